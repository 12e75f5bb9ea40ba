"""Celery tasks of the assessment app: reminders to counties before the deadline, and the notices sent when the
city acts on their month (bell + e-mail through ``notifications.services.notify``, once per event)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.urls import reverse
from django.utils import timezone

from accounts.models import Region
from assessment.choices import SENT_STATUSES
from assessment.deadlines import deadline
from assessment.models import Submission
from assessment.services import open_month_todo, open_resubmit_todo
from notifications.choices import NoticeKind
from notifications.services import notify_county

EVENTS = {
    "returned": ("退回", "请根据审核意见修改后重新报送。"),
    "approved": ("审核通过", "本月考评已审核通过。"),
    "published": ("已发布", "本月考评结果已发布，可在报表中查看通报。"),
}


@shared_task
def send_submission_reminders(now: dt.datetime | None = None) -> int:
    """Beat, 17th and 19th: remind each county without a sent submission for the current month (one notice per
    county and day, so a retried run sends nothing again)."""
    local = timezone.localtime(now) if now else timezone.localtime()
    year, month = local.year, local.month
    due = timezone.localtime(deadline(year, month))
    if local > due:
        return 0
    sent = set(
        Submission.objects.filter(year=year, month=month, status__in=SENT_STATUSES).values_list("county_id", flat=True)
    )
    created = 0
    url = reverse("assessment:submission-list")
    for county in Region.objects.filter(level=Region.Level.COUNTY).exclude(pk__in=sent):
        open_month_todo(county, year, month, due)
        created += notify_county(
            county.pk,
            f"reminder:{year}-{month:02d}:{local.day:02d}",
            f"提醒：{year}年{month}月考评材料尚未报送",
            f"{county.name}：{year}年{month}月的月度考评材料请于{due:%m月%d日 %H:%M}前报送，逾期当月考核评分为0分。",
            url,
            kind=NoticeKind.REMINDER,
        )
    return created


@shared_task(acks_late=True, max_retries=3)
def notify_submission_event(submission_id: int, event: str) -> int:
    """A county is told when its month is returned, approved or published (once per event)."""
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
    key = f"submission:{submission.pk}:{event}:{when:%Y%m%d%H%M%S}"
    title = f"{submission.county.name}{submission.year}年{submission.month}月考评{label}"
    if event == "returned":
        open_resubmit_todo(submission)
    return notify_county(
        submission.county_id,
        key,
        title,
        body
        + (f"\n审核意见：{submission.return_comment}" if event == "returned" and submission.return_comment else ""),
        _submission_url(submission),
        kind=NoticeKind.TODO if event == "returned" else NoticeKind.INFO,
    )


def _submission_url(submission) -> str:
    return reverse("assessment:submission-detail", args=[submission.pk])
