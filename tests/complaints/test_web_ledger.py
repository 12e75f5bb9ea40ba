"""The ledger's web steps and its photos: only in scope, errors in Chinese, nothing changes on bad input."""

import pytest
from django.urls import reverse

from complaints.models import Complaint
from tests.complaints.factories import file_complaint, photo
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_photos_are_served_only_to_staff_in_scope(client, county, county_user, colleague):
    complaint, _ = file_complaint(county, photos=[photo()])
    url = reverse("complaints:photo", args=[complaint.photos.get().pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(colleague)
    assert client.get(url).status_code == 404
    client.force_login(county_user)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"


def test_reject_from_the_web_needs_a_reason(client, county, county_user):
    complaint, _ = file_complaint(county)
    client.force_login(county_user)
    url = reverse("complaints:action", args=[complaint.pk, "reject"])
    page = client.post(url, {"reason": ""}, follow=True)
    assert "请填写不予受理的理由" in page.content.decode()
    assert Complaint.objects.get(pk=complaint.pk).status == "pending"
    reason = "不属于住建部门职责，已告知向生态环境部门反映。"
    page = client.post(url, {"reason": reason}).content.decode()  # issue 26: confirmed after the check
    assert 'data-testid="confirm-step"' in page and f"不予受理理由（投诉人可见）：{reason}" in page
    assert Complaint.objects.get(pk=complaint.pk).status == "pending"
    assert client.post(url, {"reason": reason, "confirmed": "1"}).status_code == 302
    assert Complaint.objects.get(pk=complaint.pk).status == "rejected"


def test_assign_from_the_web_then_only_the_handler_accepts(client, county, county_user, city_admin):
    handler = UserFactory(role="county_staff", region=county, username="handler")
    complaint, _ = file_complaint(county)
    client.force_login(city_admin)
    client.post(reverse("complaints:action", args=[complaint.pk, "assign"]), {"handler": handler.pk})
    assert Complaint.objects.get(pk=complaint.pk).handler == handler
    client.force_login(county_user)
    page = client.post(reverse("complaints:action", args=[complaint.pk, "accept"]), follow=True)
    assert "请由承办人办理" in page.content.decode()
    assert Complaint.objects.get(pk=complaint.pk).status == "pending"


def test_an_unknown_step_is_404(client, county, county_user):
    complaint, _ = file_complaint(county)
    client.force_login(county_user)
    assert client.post(reverse("complaints:action", args=[complaint.pk, "delete"])).status_code == 404
