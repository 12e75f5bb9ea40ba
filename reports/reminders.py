"""Reminders to counties before the deadline, and notices when the city acts on their month."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from accounts.models import Region
from assessment.models import SENT_STATUSES, Submission
from assessment.services import deadline
from reports.notifications import notify_county

EVENTS = {
    "returned": ("退回", "请根据审核意见修改后重新报送。"),
    "approved": ("审核通过", "本月考评已审核通过。"),
    "published": ("已发布", "本月考评结果已发布，可在报表中查看通报。"),
}


def send_submission_reminders(now: dt.datetime | None = None) -> int:
    """Remind each county without a sent submission for the current month; one notice per county and day."""
    local = timezone.localtime(now) if now else timezone.localtime()
    year, month = local.year, local.month
    due = timezone.localtime(deadline(year, month))
    if local > due:
        return 0
    sent = set(
        Submission.objects.filter(year=year, month=month, status__in=SENT_STATUSES).values_list("county_id", flat=True)
    )
    created = 0
    for county in Region.objects.filter(level=Region.Level.COUNTY).exclude(pk__in=sent):
        created += notify_county(
            county.pk,
            f"reminder:{year}-{month:02d}:{local.day:02d}",
            f"提醒：{year}年{month}月考评材料尚未报送",
            f"{county.name}：{year}年{month}月的月度考评材料请于{due:%m月%d日 %H:%M}前报送，逾期当月考核评分为0分。",
            reverse("assessment:submission-list"),
        )
    return created


def notify_submission_event(submission_id: int, event: str) -> int:
    submission = Submission.objects.select_related("county").get(pk=submission_id)
    label, body = EVENTS[event]
    # The event key includes when it happened, so a second return of the same month is a new event,
    # while a retried task for the same one is not.
    stamp = {
        "returned": submission.updated_at,
        "approved": submission.approved_at,
        "published": submission.published_at,
    }
    when = stamp[event] or submission.updated_at
    return notify_county(
        submission.county_id,
        f"submission:{submission.pk}:{event}:{when:%Y%m%d%H%M%S}",
        f"{submission.county.name}{submission.year}年{submission.month}月考评{label}",
        body
        + (f"\n审核意见：{submission.return_comment}" if event == "returned" and submission.return_comment else ""),
        _submission_url(submission),
    )


def _submission_url(submission) -> str:
    return reverse("assessment:submission-detail", args=[submission.pk])
