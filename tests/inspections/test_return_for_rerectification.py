"""整改不到位，退回 (issue 25): once the unit has answered, the inspector may return the notice with a reason and a new
deadline; the notice goes back to the unit, and the history shows every round.

Decision on seed 002 A1 “‘双随机、一公开’检查发现的问题均按时整改到位、依法处罚”: 按时 is judged against the ORIGINAL
deadline. A return grants time to finish the work, not a new chance to be on time: a notice returned and then
rectified after its original deadline was not 按时整改到位 (逾期整改); one returned and rectified again before the
original deadline was. While it is open past the original deadline it does not pass A1, though the notice itself is
open and due on its new deadline (it is not 逾期未整改 on the notice or the public page until that passes)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from inspections import a1, rectification, services
from inspections.models import NoticeRound, NoticeState, NoticeStatus, RectificationNotice
from notifications.models import Notification, Todo
from tests.conftest import at
from tests.inspections.conftest import PNG

ORIGINAL, NEW = dt.date(2024, 3, 20), dt.date(2024, 4, 10)


def _answered(inspection, county_user, unit_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        finding = services.add_finding(
            inspection,
            user=county_user,
            description="临边洞口防护不到位",
            severity="serious",
            responsible_role="contractor",
            deadline=ORIGINAL,
        )
    return rectification.answer_notice(
        finding.notice, user=unit_user, answer="已设置防护栏杆。", files=[SimpleUploadedFile("a.png", PNG)]
    )


def _answer_again(notice, unit_user):
    return rectification.answer_notice(
        notice, user=unit_user, answer="已按要求补设挡脚板和安全网。", files=[SimpleUploadedFile("b.png", PNG)]
    )


def test_the_inspector_returns_a_notice_with_a_reason_and_a_new_deadline_and_the_unit_is_told(
    inspection, county_user, unit_user, clock, django_capture_on_commit_callbacks
):
    notice = _answered(inspection, county_user, unit_user, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        notice = rectification.return_notice(
            notice, user=county_user, reason="防护栏杆高度不足1.2米，未设挡脚板", new_deadline=NEW
        )
    assert notice.status == NoticeStatus.ISSUED and notice.round == 2
    assert notice.deadline == NEW and notice.original_deadline == ORIGINAL and notice.answer == ""
    note = Notification.objects.filter(recipient=unit_user, title__contains="退回重新整改").get()
    assert "挡脚板" in note.body and "2024年04月10日" in note.body
    assert Todo.objects.open().filter(user=unit_user, kind=Todo.Kind.NOTICE_ANSWER).count() == 1
    assert not Todo.objects.open().filter(kind=Todo.Kind.NOTICE_VERIFY).exists()
    assert notice.public_status == "退回重新整改（第2轮）" and not notice.is_overdue()

    notice = _answer_again(notice, unit_user)
    notice = rectification.close_notice(notice, user=county_user, closed_on=dt.date(2024, 3, 12))
    history = rectification.notice_history(notice)
    assert [r["number"] for r in history] == [1, 2]
    assert history[0]["reason"] == "防护栏杆高度不足1.2米，未设挡脚板" and history[0]["answer"] == "已设置防护栏杆。"
    assert history[0]["deadline"] == ORIGINAL and history[0]["new_deadline"] == NEW
    assert history[1]["answer"] == "已按要求补设挡脚板和安全网。" and history[1]["current"]


def test_returned_then_rectified_after_the_original_deadline_is_not_on_time(
    inspection, county_user, unit_user, clock, django_capture_on_commit_callbacks
):
    """“问题均按时整改到位”: returned on 3月12日, original deadline 3月20日, rectified again on 3月25日 → 逾期整改."""
    notice = _answered(inspection, county_user, unit_user, django_capture_on_commit_callbacks)
    notice = rectification.return_notice(notice, user=county_user, reason="整改不彻底", new_deadline=NEW)
    clock.move_to(at(2024, 3, 25, 9))
    notice.refresh_from_db()
    assert a1.outcome(notice, dt.date(2024, 3, 25)) == a1.OVERDUE  # open past the original deadline
    assert not notice.is_overdue()  # … but due on its new deadline
    notice = _answer_again(notice, unit_user)
    notice = rectification.close_notice(notice, user=county_user, closed_on=dt.date(2024, 3, 25))
    assert a1.outcome(notice, dt.date(2024, 3, 31)) == a1.LATE
    assert not a1.a1_fact(inspection.project.county_id, 2024, 3).computed
    assert notice.state(dt.date(2024, 3, 31)) == NoticeState.CLOSED_LATE and notice.public_status == "逾期整改"


def test_returned_and_rectified_again_before_the_original_deadline_is_on_time(
    inspection, county_user, unit_user, clock, django_capture_on_commit_callbacks
):
    notice = _answered(inspection, county_user, unit_user, django_capture_on_commit_callbacks)
    notice = rectification.return_notice(notice, user=county_user, reason="整改不彻底", new_deadline=NEW)
    clock.move_to(at(2024, 3, 18, 9))
    notice = rectification.close_notice(
        _answer_again(notice, unit_user), user=county_user, closed_on=dt.date(2024, 3, 18)
    )
    assert a1.outcome(notice, dt.date(2024, 3, 31)) == a1.ON_TIME


@pytest.mark.parametrize(
    ("reason", "new_deadline", "field"),
    [("", NEW, "reason"), ("不到位", None, "new_deadline"), ("不到位", dt.date(2024, 3, 12), "new_deadline")],
)
def test_a_return_without_a_reason_or_a_later_deadline_is_refused_and_changes_nothing(
    inspection, county_user, unit_user, clock, django_capture_on_commit_callbacks, reason, new_deadline, field
):
    notice = _answered(inspection, county_user, unit_user, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as exc:
        rectification.return_notice(notice, user=county_user, reason=reason, new_deadline=new_deadline)
    assert field in exc.value.message_dict
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.ANSWERED and notice.round == 1 and not NoticeRound.objects.exists()


def test_only_an_answered_notice_may_be_returned_and_only_by_the_inspectors(
    inspection, county_user, unit_user, colleague, clock, django_capture_on_commit_callbacks
):
    notice = _answered(inspection, county_user, unit_user, django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDenied):
        rectification.return_notice(notice, user=unit_user, reason="x", new_deadline=NEW)
    with pytest.raises(PermissionDenied):
        rectification.return_notice(notice, user=colleague, reason="x", new_deadline=NEW)
    rectification.close_notice(notice, user=county_user)
    with pytest.raises(ValidationError):
        rectification.return_notice(notice, user=county_user, reason="x", new_deadline=NEW)


def test_the_web_button_and_the_api_return_a_notice(
    client, inspection, county_user, unit_user, clock, django_capture_on_commit_callbacks
):
    notice = _answered(inspection, county_user, unit_user, django_capture_on_commit_callbacks)
    client.force_login(county_user)
    page = client.get(f"/inspections/notices/{notice.pk}/").content.decode()
    assert "整改不到位，退回" in page and 'id="return-form"' in page
    bad = client.post(f"/inspections/notices/{notice.pk}/return/", {"reason": "", "new_deadline": "2024-04-10"})
    assert bad.status_code == 400
    ok = client.post(
        f"/inspections/notices/{notice.pk}/return/",
        {"reason": "未设挡脚板", "new_deadline": "2024-04-10", "confirmed": "1"},
    )
    assert ok.status_code == 302
    page = client.get(f"/inspections/notices/{notice.pk}/").content.decode()
    assert 'data-testid="notice-history"' in page and "未设挡脚板" in page
    notice = _answer_again(RectificationNotice.objects.get(pk=notice.pk), unit_user)
    response = client.post(
        f"/api/v1/rectification-notices/{notice.pk}/return/",
        {"reason": "安全网破损", "new_deadline": "2024-04-20"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["round"] == 3 and response.json()["original_deadline"] == "2024-03-20"
