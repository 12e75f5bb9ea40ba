"""A whole assessment year on the seven demo counties, with the clock moved day by day through 2024.

The city starts 2024 from 2023 on 2 January (the rollover); each county sends its month on its own day; on the
17th and 19th the beat reminds those who have not sent (陵川县 sends March late, on the 22nd, and scores 0;
沁水县 never sends May; 阳城县's June is returned once); the city approves what arrives and publishes the month
on the 21st at 07:30, the beat builds the bulletin at 08:00; at year end the annual report is built and 2025 is
started from 2024. Celery runs eagerly; the database commits for real (transaction=True) so the notices that
follow a commit are sent.
"""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Region
from accounts.seed import seed_reference as seed_regions
from assessment import services, years
from assessment import tasks as assessment_tasks
from assessment.choices import Status
from assessment.models import Submission
from assessment.ranking import monthly_ranking
from assessment.seed import _counts, _facts, _figures, _report, seed_reference
from notifications.models import Notification
from reports import tasks
from reports.models import ReportArchive
from tests.assessment.factories import attach_evidence
from tests.conftest import at
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

YEAR = 2024
LATE = ("陵川县", 3)  # sent on 22 March
MISSING = ("沁水县", 5)  # never sent
RETURNED = ("阳城县", 6)  # returned on receipt, sent again two days later


def send_day(index: int, county: str, month: int) -> int | None:
    """County i sends on day 8 + 2i (the 8th … the 20th, the deadline day); the exceptions above."""
    if (county, month) == MISSING:
        return None
    if (county, month) == LATE:
        return 22
    return 8 + 2 * index


def fill_and_send(county, user, month, index):
    sub = services.get_or_create_submission(county, YEAR, month, user=user)
    attach_evidence(sub, user)  # 无印证材料的不计分: every item has its file
    data = {**_figures(county.name, month), **_facts(county.name, month), **_counts(county.name, month, index)}
    services.update_submission(sub, {**data, **_report(county.name, month)}, user=user)
    sub.refresh_from_db()
    services.update_submission(sub, {"self_score": sub.items_total}, user=user)
    return services.submit(sub, user=user)


def reminders_of(month: int, day: int) -> set[str]:
    key = f"reminder:{YEAR}-{month:02d}:{day:02d}"
    return set(Notification.objects.filter(event_key=key).values_list("recipient__region__name", flat=True))


def test_a_year_of_assessment_day_by_day(clock):
    seed_regions(io.StringIO())
    seed_reference(io.StringIO())  # the 2023 rubric and targets
    counties = list(Region.objects.filter(level="county", parent__code="140500").order_by("order"))
    staff = {c.pk: UserFactory(role="county_staff", region=c, username=f"staff{c.order}") for c in counties}
    city = UserFactory(role="city_admin", username="city")

    # 1 January: 2024 is not set up yet, a county cannot open its month
    clock.move_to(at(YEAR, 1, 1, 10))
    with pytest.raises(ValidationError, match="2024年尚未设定考评赋分表"):
        services.get_or_create_submission(counties[0], YEAR, 1, user=staff[counties[0].pk])
    clock.move_to(at(YEAR, 1, 2, 9))
    rubric = years.start_year(YEAR, user=city)
    assert rubric.based_on.year == 2023

    returned_once = False
    day = dt.date(YEAR, 1, 2)
    while day <= dt.date(YEAR, 12, 31):
        month = day.month
        # 09:00 on the 17th and 19th: the beat reminds every county that has not sent this month
        if day.day in (17, 19):
            clock.move_to(at(YEAR, month, day.day, 9))
            assessment_tasks.send_submission_reminders()
            waiting = {c.name for i, c in enumerate(counties) if (send_day(i, c.name, month) or 99) > day.day}
            assert reminders_of(month, day.day) == waiting, (month, day.day)
        # 10:00: the counties whose day it is send their month
        clock.move_to(at(YEAR, month, day.day, 10))
        for index, county in enumerate(counties):
            if send_day(index, county.name, month) == day.day:
                sub = fill_and_send(county, staff[county.pk], month, index)
                assert sub.is_late == ((county.name, month) == LATE)
        if (RETURNED[1], day.day) == (month, 8 + 2 * 4 + 2) and returned_once:  # resubmitted two days later
            sub = Submission.objects.get(county__name=RETURNED[0], year=YEAR, month=month)
            assert services.submit(sub, user=staff[sub.county_id]).status == Status.RESUBMITTED
        # 07:00 on the 21st (before the bulletin) and 16:00 every day: the city reviews what has arrived
        review_at = at(YEAR, month, day.day, 7) if day.day == 21 else at(YEAR, month, day.day, 16)
        clock.move_to(review_at)
        for sub in Submission.objects.filter(year=YEAR, status__in=["submitted", "resubmitted"]).select_related(
            "county"
        ):
            if (sub.county.name, sub.month) == RETURNED and not returned_once:
                services.return_submission(sub, user=city, comments={"D1": "装配式建筑面积与项目月报不一致，请核实。"})
                returned_once = True
            else:
                services.approve(sub, user=city)
                if sub.month < month or day.day > 21:  # a late month is published on its own once approved
                    services.publish(sub, user=city)
        if day.day == 21:
            clock.move_to(at(YEAR, month, 21, 7, 30))
            assert services.publish_month(YEAR, month, user=city) == (6 if month in (LATE[1], MISSING[1]) else 7)
            clock.move_to(at(YEAR, month, 21, 8))
            archive = ReportArchive.objects.get(pk=tasks.build_due_monthly_bulletin())
            assert archive.status == "done" and archive.params == {"year": YEAR, "month": month}
            assert archive.has_published_data and archive.scheduled
            if month == 3:
                assert "未报送（当月0分）：陵川县" in archive.summary  # the late month is not in yet
            elif month == 5:
                assert "未报送（当月0分）：沁水县" in archive.summary
            else:
                assert "未报送" not in archive.summary and "无逾期报送" in archive.summary
        day += dt.timedelta(days=1)

    # the year's states and scores
    subs = Submission.objects.filter(year=YEAR)
    assert subs.count() == 7 * 12 - 1 and set(subs.values_list("status", flat=True)) == {Status.PUBLISHED}
    late = subs.get(county__name=LATE[0], month=LATE[1])
    assert late.is_late and late.score == 0 and late.items_total > 0
    assert "逾期报送：首次报送于2024-03-22 10:00" in late.late_reason
    assert not subs.filter(county__name=MISSING[0], month=MISSING[1]).exists()
    assert subs.filter(is_late=False, score=0).count() == 0
    returned = subs.get(county__name=RETURNED[0], month=RETURNED[1])
    assert returned.status == Status.PUBLISHED and returned.comments.count() == 1
    march = {r.county_name: r for r in monthly_ranking(YEAR, 3)}
    assert march["陵川县"].is_late and march["陵川县"].score == 0
    may = {r.county_name: r for r in monthly_ranking(YEAR, 5)}
    assert may["沁水县"].is_missing

    # notices: reminders on the 17th and 19th only, each event once per county's staff
    reminders = Notification.objects.filter(event_key__startswith="reminder:")
    assert {key.rsplit(":", 1)[1] for key in reminders.values_list("event_key", flat=True)} == {"17", "19"}
    titles = list(Notification.objects.filter(recipient__region__name="阳城县").values_list("title", flat=True))
    assert titles.count("阳城县2024年6月考评退回") == 1 and titles.count("阳城县2024年6月考评已发布") == 1
    assert sum(t.endswith("考评审核通过") for t in titles) == 12
    lingchuan = set(Notification.objects.filter(recipient__region__name="陵川县").values_list("title", flat=True))
    assert "提醒：2024年3月考评材料尚未报送" in lingchuan

    # twelve bulletins, one per month, built by the beat on the 21st
    bulletins = ReportArchive.objects.filter(report_type="monthly_bulletin", status="done")
    assert sorted(a.params["month"] for a in bulletins) == list(range(1, 13))

    # year end: the annual report of 2024, then 2025 started from 2024 and open for January
    clock.move_to(at(YEAR + 1, 1, 2, 9))
    from reports.services import request_report

    annual, _ = request_report("annual_report", {"year": YEAR}, user=city)
    annual.refresh_from_db()
    assert annual.status == "done" and annual.has_published_data
    assert "年度得分第一" in annual.summary and annual.pdf and annual.xlsx
    next_rubric = years.start_year(YEAR + 1, user=city)
    assert next_rubric.based_on == rubric and next_rubric.version == 1
    january = services.get_or_create_submission(counties[0], YEAR + 1, 1, user=staff[counties[0].pk])
    assert january.rubric == next_rubric and january.status == Status.DRAFT
