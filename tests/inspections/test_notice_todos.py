"""整改通知单 to-dos: the unit's to-do opens with the notice and ends with its answer; the county's to-do of
verifying opens with the answer and ends with the closure (or the escalation)."""

import datetime as dt

import pytest

from inspections import rectification
from notifications.models import Todo
from tests.conftest import at
from tests.inspections.test_findings_and_notices import add, photo

pytestmark = pytest.mark.django_db


def _open(user):
    return list(Todo.objects.filter(user=user, done_at__isnull=True).values_list("kind", flat=True))


def test_the_unit_has_a_to_do_until_it_answers_then_the_county_until_it_closes(
    inspection, county_user, unit_user, colleague, clock, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notice = add(inspection, county_user, deadline=dt.date(2024, 3, 20)).notice
    (todo,) = Todo.objects.filter(user=unit_user)
    assert todo.kind == Todo.Kind.NOTICE_ANSWER and todo.done_at is None
    assert todo.url == f"/inspections/notices/{notice.pk}/" and notice.number in todo.title
    assert todo.deadline == at(2024, 3, 20, 23, 59, 59)
    assert _open(county_user) == [] and _open(colleague) == []

    rectification.answer_notice(notice, user=unit_user, answer="已返工并复测保护层厚度。", files=[photo()])
    assert _open(unit_user) == []
    assert _open(county_user) == [Todo.Kind.NOTICE_VERIFY] and _open(colleague) == []

    rectification.close_notice(notice, user=county_user, closed_on=dt.date(2024, 3, 11))
    assert _open(county_user) == [] and Todo.objects.filter(done_at__isnull=True).count() == 0


def test_an_escalated_notice_leaves_no_to_do(
    inspection, county_user, unit_user, clock, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notice = add(inspection, county_user, deadline=dt.date(2024, 3, 20)).notice
    clock.move_to(at(2024, 3, 25, 9))
    assert Todo.objects.get(user=unit_user).is_overdue()
    rectification.escalate_notice(notice, user=county_user, note="责令停工整改")
    assert not Todo.objects.filter(done_at__isnull=True).exists()


def test_a_reminder_task_running_late_does_not_reopen_an_answered_notice(
    inspection, county_user, unit_user, clock, django_capture_on_commit_callbacks
):
    from inspections.notices import ISSUED, notify_notice_event

    notice = add(inspection, county_user).notice  # the notice task has not run yet
    rectification.answer_notice(notice, user=unit_user, answer="已整改", files=[photo()])
    notify_notice_event(notice.pk, ISSUED)
    assert _open(unit_user) == []


def test_the_due_soon_reminder_reaches_the_unit_by_its_channels(
    inspection, county_user, unit_user, clock, caplog, django_capture_on_commit_callbacks
):
    import logging

    from django.core import mail

    from inspections.notices import send_reminders

    unit_user.phone, unit_user.email = "13800001111", "unit@example.cn"
    unit_user.save()
    notice = add(inspection, county_user, deadline=dt.date(2024, 3, 20)).notice
    caplog.set_level(logging.INFO, logger="notifications.sms")
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(today=dt.date(2024, 3, 18), days=3)
    assert any(m.to == ["unit@example.cn"] and "整改期限将至" in m.subject for m in mail.outbox)
    sms = [r.getMessage() for r in caplog.records if r.name == "notifications.sms"]
    assert sms == [f"SMS to 13800001111: 【精品工程管理系统】整改期限将至：{notice.number}（03月20日）"]
