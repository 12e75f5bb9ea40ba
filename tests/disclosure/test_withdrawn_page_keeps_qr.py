"""A printed QR never breaks (seed 001 二(一)1): "严格执行工程质量信息公示制度和工程竣工永久性标志牌制度".

The QR on an installed 永久性标志牌 holds the public page's URL. Withdrawing the page must not turn it into a 404:
the URL answers 已撤销公示 with the date and the reason; the reason is required and the withdrawal audited.
"""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from disclosure import services
from disclosure.models import DisclosureEvent, ProjectDisclosure
from tests.conftest import api_client_for, at
from tests.disclosure.factories import disclosed_project

pytestmark = pytest.mark.django_db

REASON = "工程地点登记有误，核实后重新公示"


def _url(project) -> str:
    return reverse("disclosure:public-project", args=[ProjectDisclosure.objects.get(project=project).public_id])


def test_withdrawn_page_keeps_answering_the_sign_qr_with_date_and_reason(client, clock, county, county_user):
    """工程竣工永久性标志牌: the QR's URL answers 200 with 已撤销公示, the date and the reason, not 404."""
    project = disclosed_project(county, county_user)
    url = _url(project)
    clock.move_to(at(2024, 3, 15, 9))
    services.withdraw(project, user=county_user, reason=REASON)

    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "已撤销公示" in page and "2024-03-15" in page and REASON in page
    assert project.name in page and project.code in page
    # the withdrawn page shows the withdrawal, not the record it withdrew
    for private_or_withdrawn in ("王建国", "李项目", "晋城市高平市滨河路18号", "PICC-SECRET-0001"):
        assert private_or_withdrawn not in page


def test_a_page_never_published_is_still_not_found(client, county, county_user):
    project = disclosed_project(county, county_user, publish=False)
    assert client.get(_url(project)).status_code == 404


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_withdrawal_without_a_reason_is_refused_and_changes_nothing(county, county_user, reason):
    project = disclosed_project(county, county_user)
    with pytest.raises(ValidationError) as refused:
        services.withdraw(project, user=county_user, reason=reason)
    assert "撤销公示须填写原因" in str(refused.value)
    disclosure = ProjectDisclosure.objects.get(project=project)
    assert disclosure.published and disclosure.withdrawn_at is None
    assert not DisclosureEvent.objects.filter(action=DisclosureEvent.Action.WITHDRAWN).exists()


def test_a_reason_too_long_is_refused_not_cut(county, county_user):
    project = disclosed_project(county, county_user)
    with pytest.raises(ValidationError, match="不能超过200个字符"):
        services.withdraw(project, user=county_user, reason="因" * 201)
    assert ProjectDisclosure.objects.get(project=project).published


def test_web_withdrawal_without_reason_shows_chinese_error_and_keeps_the_page(client, county, county_user):
    project = disclosed_project(county, county_user)
    client.force_login(county_user)
    response = client.post(reverse("disclosure:publish", args=[project.pk]), {"action": "withdraw", "reason": ""})
    assert response.status_code == 302
    assert any("撤销公示须填写原因" in str(m) for m in get_messages(response.wsgi_request))
    assert ProjectDisclosure.objects.get(project=project).published

    response = client.post(reverse("disclosure:publish", args=[project.pk]), {"action": "withdraw", "reason": REASON})
    assert response.status_code == 302
    disclosure = ProjectDisclosure.objects.get(project=project)
    assert not disclosure.published and disclosure.withdrawal_reason == REASON
    listing = client.get(reverse("disclosure:manage-list")).content.decode()
    assert "已撤销公示" in listing and REASON in listing


def test_every_publication_and_withdrawal_is_audited_with_who_when_why(clock, county, county_user, city_admin):
    clock.move_to(at(2024, 3, 1, 9))
    project = disclosed_project(county, county_user)
    clock.move_to(at(2024, 3, 15, 9))
    services.withdraw(project, user=county_user, reason=REASON)
    clock.move_to(at(2024, 3, 20, 9))
    services.publish(project, user=city_admin)

    events = list(ProjectDisclosure.objects.get(project=project).events.all())
    assert [(e.action, e.actor, e.reason, e.created_at.date().isoformat()) for e in events] == [
        ("published", county_user, "", "2024-03-01"),
        ("withdrawn", county_user, REASON, "2024-03-15"),
        ("published", city_admin, "", "2024-03-20"),
    ]


def test_republishing_brings_the_full_page_back_on_the_same_url(client, county, county_user):
    project = disclosed_project(county, county_user)
    url = _url(project)
    services.withdraw(project, user=county_user, reason=REASON)
    services.publish(project, user=county_user)
    page = client.get(url).content.decode()
    assert "已撤销公示" not in page and "王建国" in page
    disclosure = ProjectDisclosure.objects.get(project=project)
    assert disclosure.withdrawal_reason == "" and disclosure.withdrawn_at is None


def test_public_api_answers_a_withdrawn_page_with_410_and_its_reason(client, clock, county, county_user):
    project = disclosed_project(county, county_user)
    public_id = ProjectDisclosure.objects.get(project=project).public_id
    clock.move_to(at(2024, 3, 15, 9))
    services.withdraw(project, user=county_user, reason=REASON)

    response = client.get(f"/api/v1/public/projects/{public_id}/")
    assert response.status_code == 410
    body = response.json()
    assert body["detail"] == "已撤销公示" and body["reason"] == REASON and body["withdrawn_at"].startswith("2024-03-15")
    assert "units" not in body
    assert client.get("/api/v1/public/projects/").json()["count"] == 0
    assert client.get("/api/v1/public/projects/nosuchpage000000/").status_code == 404


def test_another_county_cannot_withdraw(county, county_user, colleague):
    project = disclosed_project(county, county_user)
    disclosure = ProjectDisclosure.objects.get(project=project)
    response = api_client_for(colleague).post(
        f"/api/v1/disclosures/{disclosure.pk}/withdraw/", {"reason": REASON}, format="json"
    )
    assert response.status_code == 404
    assert ProjectDisclosure.objects.get(project=project).published


def test_withdrawing_a_page_not_published_is_refused(county, county_user):
    project = disclosed_project(county, county_user, publish=False)
    with pytest.raises(ValidationError, match="未在公示中"):
        services.withdraw(project, user=county_user, reason=REASON)
    assert ProjectDisclosure.objects.get(project=project).withdrawn_at is None
    assert not DisclosureEvent.objects.exists()
