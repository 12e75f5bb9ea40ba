"""Notices to the responsible unit: at the notice, N days before the deadline, and when it is overdue.

Sent through the product's one notification function (in-app notice + e-mail, once per event and recipient), so
a task that runs twice sends nothing twice.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from assessment.services import recalculate_open
from inspections.models import NoticeStatus, RectificationNotice
from inspections.services import reminder_days
from notifications.choices import NoticeKind
from notifications.models import Todo
from notifications.services import county_staff, notify, open_todo

ISSUED, DUE_SOON, OVERDUE, RETURNED = "issued", "due_soon", "overdue", "returned"


def event_key(notice: RectificationNotice, event: str) -> str:
    """Once per notice, event and round: a notice returned for re-rectification is notified and reminded again."""
    key = f"inspection-notice:{notice.pk}:{event}"
    return key if notice.round <= 1 else f"{key}:r{notice.round}"


def _notify(users, key, title, body, url, kind):
    return notify(users, key, title, body, url, kind=kind)


def unit_users(enterprise_id: int):
    return User.objects.filter(role=User.Role.UNIT_USER, enterprise_id=enterprise_id, is_active=True)


def notify_notice_event(notice_id: int, event: str) -> int:
    notice = (
        RectificationNotice.objects.select_related("finding__inspection__project", "finding__participant__enterprise")
        .filter(pk=notice_id)
        .first()
    )
    if notice is None:
        return 0
    project = notice.finding.inspection.project
    url = reverse("inspections:notice-detail", args=[notice.pk])
    if event == ISSUED:
        title = f"整改通知单{notice.number}：{project.name}"
        body = f"“双随机、一公开”检查发现问题：{notice.finding.description}\n请于{notice.deadline:%Y年%m月%d日}前整改并在系统中回复。"
    elif event == DUE_SOON:
        title = f"整改期限将至：{notice.number}（{notice.deadline:%m月%d日}）"
        body = f"{project.name}的整改通知单{notice.number}将于{notice.deadline:%Y年%m月%d日}到期，请及时整改并回复。"
    elif event == RETURNED:
        title = f"整改不到位，退回重新整改：{notice.number}（第{notice.round}轮）"
        body = (
            f"{project.name}的整改通知单{notice.number}经复查整改不到位，已退回：{notice.inspector_note}\n"
            f"请于{notice.deadline:%Y年%m月%d日}前重新整改并在系统中回复。"
        )
    elif event == OVERDUE:
        title = f"整改已逾期：{notice.number}"
        body = f"{project.name}的整改通知单{notice.number}已于{notice.deadline:%Y年%m月%d日}到期，逾期未整改将记入约束记录并依法处罚。"
    else:
        return 0
    users = unit_users(notice.finding.participant.enterprise_id)
    key = event_key(notice, event)
    if event in (ISSUED, RETURNED):
        open_notice_todos(notice)
    kind = NoticeKind.TODO if event in (ISSUED, RETURNED) else NoticeKind.REMINDER
    return _notify(users, key, title, body, url, kind)


def send_reminders(today: dt.date | None = None, days: int | None = None) -> int:
    """Beat, daily: due-soon reminders (deadline within N days) and overdue notices for open notices."""
    today = today or timezone.localdate()
    days = reminder_days() if days is None else days
    sent = 0
    open_notices = RectificationNotice.objects.open()
    for pk in open_notices.filter(deadline__gte=today, deadline__lte=today + dt.timedelta(days=days)).values_list(
        "pk", flat=True
    ):
        sent += notify_notice_event(pk, DUE_SOON)
    for pk in open_notices.filter(deadline__lt=today).values_list("pk", flat=True):
        sent += notify_notice_event(pk, OVERDUE)
    # A deadline that passed yesterday changes the county's A1 fact: its open months are scored again.
    missed = open_notices.filter(deadline=today - dt.timedelta(days=1))
    for county_id, year in set(missed.values_list("finding__inspection__project__county_id", "deadline__year")):
        recalculate_open(county_id, year, reason="整改通知单逾期")
    return sent


def open_notice_todos(notice: RectificationNotice) -> int:
    """The to-do the notice's state asks for (from its state, so a task running late opens nothing stale): an
    issued notice waits for the unit's answer (due on its deadline), an answered one for the county's check."""
    project = notice.finding.inspection.project
    url = reverse("inspections:notice-detail", args=[notice.pk])
    if notice.status == NoticeStatus.ISSUED:
        title = f"整改并回复：整改通知单{notice.number}（{project.name}）"
        users = unit_users(notice.finding.participant.enterprise_id)
        key = event_key(notice, ISSUED)
        return open_todo(users, Todo.Kind.NOTICE_ANSWER, notice, title, url, notice.deadline, key=key)
    if notice.status == NoticeStatus.ANSWERED:
        title = f"核查整改并销号：整改通知单{notice.number}（{project.name}）"
        key = event_key(notice, "verify")
        return open_todo(county_staff(project.county_id), Todo.Kind.NOTICE_VERIFY, notice, title, url, key=key)
    return 0


def backfill_todos() -> int:
    notices = RectificationNotice.objects.filter(status__in=[NoticeStatus.ISSUED, NoticeStatus.ANSWERED])
    related = ("finding__inspection__project", "finding__participant")
    return sum(open_notice_todos(notice) for notice in notices.select_related(*related))
