"""Issue 26 point 4: 退回, 销号 and 认定逾期 are confirmed after the server has checked them. The first POST runs the
service as a rehearsal that is rolled back (nothing written, nobody notified); errors show at once without a
confirmation; a valid entry gets a 请确认 repeating what was entered; only the POST with confirmed=1 acts."""

from __future__ import annotations

import pytest

from core.models import OutboxMessage
from inspections.models import NoticeRound, NoticeStatus, RectificationNotice
from notifications.models import Notification
from tests.inspections.test_return_for_rerectification import _answered

pytestmark = pytest.mark.django_db
STEP = 'data-testid="confirm-step"'


@pytest.fixture
def answered(inspection, county_user, unit_user, clock, django_capture_on_commit_callbacks, client):
    notice = _answered(inspection, county_user, unit_user, django_capture_on_commit_callbacks)
    client.force_login(county_user)
    return notice


def _counts():
    return Notification.objects.count(), OutboxMessage.objects.count(), NoticeRound.objects.count()


def test_a_return_without_a_reason_gets_the_error_and_no_confirmation(answered, client):
    before = _counts()
    response = client.post(f"/inspections/notices/{answered.pk}/return/", {"reason": "", "new_deadline": "2024-04-10"})
    assert response.status_code == 400 and STEP not in response.content.decode()
    assert RectificationNotice.objects.get(pk=answered.pk).status == NoticeStatus.ANSWERED and _counts() == before


def test_a_deadline_the_service_refuses_gets_the_error_and_no_confirmation(answered, client):
    """The service's own rule (新的整改期限须晚于今天) is checked before the confirmation, not after it."""
    response = client.post(
        f"/inspections/notices/{answered.pk}/return/", {"reason": "未设挡脚板", "new_deadline": "2024-03-01"}
    )
    assert response.status_code == 400 and STEP not in response.content.decode()
    assert RectificationNotice.objects.get(pk=answered.pk).status == NoticeStatus.ANSWERED


def test_a_valid_return_is_confirmed_first_then_done(answered, unit_user, client, django_capture_on_commit_callbacks):
    url = f"/inspections/notices/{answered.pk}/return/"
    before = _counts()
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post(url, {"reason": "未设挡脚板", "new_deadline": "2024-04-10"})
    html = response.content.decode()
    assert response.status_code == 200 and STEP in html
    assert "退回理由：未设挡脚板" in html and "新的整改期限：2024-04-10" in html and "确认退回" in html
    assert '<input type="hidden" name="reason" value="未设挡脚板">' in html and 'href="#return-form"' in html
    notice = RectificationNotice.objects.get(pk=answered.pk)
    assert notice.status == NoticeStatus.ANSWERED and notice.round == 1
    assert _counts() == before and queued == []  # the rehearsal's notification was rolled back with it

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "未设挡脚板", "new_deadline": "2024-04-10", "confirmed": "1"})
    assert response.status_code == 302 and response["Location"] == f"/inspections/notices/{answered.pk}/"
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.ISSUED and notice.round == 2
    assert Notification.objects.filter(recipient=unit_user, title__contains="退回重新整改").exists()


def test_closing_a_notice_is_confirmed_first_then_done(answered, client):
    url = f"/inspections/notices/{answered.pk}/close/"
    response = client.post(url, {"closed_on": "2024-03-10", "note": "复查合格"})
    html = response.content.decode()
    assert response.status_code == 200 and STEP in html and "整改完成日期：2024-03-10" in html
    assert RectificationNotice.objects.get(pk=answered.pk).status == NoticeStatus.ANSWERED
    response = client.post(url, {"closed_on": "2024-03-10", "note": "复查合格", "confirmed": "1"})
    assert response.status_code == 302
    assert RectificationNotice.objects.get(pk=answered.pk).status == NoticeStatus.CLOSED


def test_escalating_before_the_deadline_gets_the_error_and_no_confirmation(answered, client):
    response = client.post(f"/inspections/notices/{answered.pk}/escalate/", {"note": "逾期"})
    html = response.content.decode()
    assert response.status_code == 400 and STEP not in html
    assert RectificationNotice.objects.get(pk=answered.pk).status == NoticeStatus.ANSWERED
