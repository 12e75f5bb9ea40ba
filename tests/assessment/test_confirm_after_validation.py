"""Issue 26 point 4: the city's 退回 and 重新打开 of a county's month are confirmed after the service has checked
them — an empty return or a reopen without a reason is refused at once with no confirmation; a valid one gets a
请确认 repeating the opinions; only the POST with confirmed=1 acts."""

from __future__ import annotations

import pytest

from assessment.choices import Status
from assessment.models import ReviewComment
from tests.assessment.factories import approved, submitted, target

pytestmark = pytest.mark.django_db
STEP = 'data-testid="confirm-step"'


def test_a_return_without_an_opinion_is_refused_without_a_confirmation(client, county, county_user, city_admin):
    target(county)
    sub = submitted(county, county_user)
    client.force_login(city_admin)
    response = client.post(f"/assessment/submissions/{sub.pk}/return/", {"general": "  "}, follow=True)
    html = response.content.decode()
    assert "退回时请至少填写一条审核意见。" in html and STEP not in html
    sub.refresh_from_db()
    assert sub.status == Status.SUBMITTED


def test_a_return_is_confirmed_first_then_done(client, county, county_user, city_admin):
    target(county)
    sub = submitted(county, county_user)
    client.force_login(city_admin)
    url = f"/assessment/submissions/{sub.pk}/return/"
    response = client.post(url, {"comment_D1": "请核实", "general": "佐证不全"})
    html = response.content.decode()
    assert response.status_code == 200 and STEP in html and "确认退回" in html
    assert "总体意见：佐证不全" in html and "请核实" in html and 'href="#return-form"' in html
    sub.refresh_from_db()
    assert sub.status == Status.SUBMITTED and not ReviewComment.objects.filter(submission=sub).exists()

    response = client.post(url, {"comment_D1": "请核实", "general": "佐证不全", "confirmed": "1"})
    assert response.status_code == 302 and response["Location"] == f"/assessment/submissions/{sub.pk}/"
    sub.refresh_from_db()
    assert sub.status == Status.RETURNED


def test_reopening_needs_a_reason_before_any_confirmation_and_is_then_confirmed(
    client, county, county_user, city_admin
):
    target(county)
    sub = approved(county, county_user, city_admin)
    client.force_login(city_admin)
    url = f"/assessment/submissions/{sub.pk}/reopen/"
    response = client.post(url, {"reason": ""}, follow=True)
    assert "重新打开须填写理由。" in response.content.decode() and STEP not in response.content.decode()
    response = client.post(url, {"reason": "面积填报有误"})
    html = response.content.decode()
    assert response.status_code == 200 and STEP in html and "理由：面积填报有误" in html
    sub.refresh_from_db()
    assert sub.status == Status.APPROVED
    assert client.post(url, {"reason": "面积填报有误", "confirmed": "1"}).status_code == 302
    sub.refresh_from_db()
    assert sub.status == Status.RETURNED
