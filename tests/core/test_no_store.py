"""Every page that shows a secret is never stored (``Cache-Control: no-store``), its errors included, and a failed
complaint status check does not write the query code back into the page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from disclosure.models import ProjectDisclosure
from tests.disclosure.factories import disclosed_project

pytestmark = pytest.mark.django_db


def assert_no_store(response):
    assert "no-store" in response.get("Cache-Control", ""), response.get("Cache-Control")


def test_the_token_page_that_shows_a_new_key_is_never_stored(client, county_user):
    client.force_login(county_user)
    response = client.post("/accounts/tokens/", {"name": "脚本"}, follow=True)
    assert re.search(r'data-testid="new-token-key">[0-9a-f]{40}<', response.content.decode())
    assert_no_store(response)
    assert_no_store(client.get("/accounts/tokens/"))


def test_the_token_endpoint_answers_are_never_stored(api, county_user):
    ok = api.post("/api/v1/auth/token/", {"username": "owner", "password": "Test@12345"}, format="json")
    assert ok.status_code == 200 and len(ok.json()["token"]) == 40
    assert_no_store(ok)
    refused = api.post("/api/v1/auth/token/", {"username": "owner", "password": "nope"}, format="json")
    assert refused.status_code == 400
    assert_no_store(refused)


@pytest.fixture
def filed(client, county, county_user):
    project = disclosed_project(county, county_user)
    public_id = ProjectDisclosure.objects.get(project=project).public_id
    form = {"project": public_id, "category": "quality", "description": "楼板浇筑后出现多条贯穿裂缝。"}
    receipt = client.post(reverse("complaints:public-new"), form, follow=True)
    return receipt, receipt.context["complaint"].tracking_no, receipt.context["secret"]


def test_the_receipt_with_the_tracking_number_and_code_is_never_stored(filed):
    receipt, number, secret = filed
    assert number in receipt.content.decode() and secret in receipt.content.decode()
    assert_no_store(receipt)


def test_the_status_check_is_never_stored_and_a_failure_does_not_echo_the_code(client, filed):
    _, number, secret = filed
    url = reverse("complaints:public-status")
    ok = client.post(url, {"tracking_no": number, "secret": secret})
    assert ok.status_code == 200 and 'data-testid="status-result"' in ok.content.decode()
    assert_no_store(ok)
    assert secret not in ok.content.decode()

    typo = secret[:-1] + ("x" if secret[-1] != "x" else "y")
    for data in ({"tracking_no": number, "secret": typo}, {"tracking_no": "", "secret": typo}):
        failed = client.post(url, data)
        assert failed.status_code == 400
        assert_no_store(failed)
        assert typo not in failed.content.decode()
    assert_no_store(client.get(url))
