"""The monthly bulletin's 督查通报 section (seed 000: 常态化督查, 通报 of laggards; seed 003: 定期通报).

Per county: the year's coverage to the month's end (inspections done vs planned, the share of projects under
construction inspected), projects inspected in the month, findings, notices due by the month's end and how they stand; then the
laggards by name — every notice that is overdue or was rectified late as of the month's end, with the county, the
project and the responsible enterprise (an enterprise's name is public; no individual is named).
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from accounts.models import Region
from inspections.a1 import LATE, NOT_DUE, ON_TIME, OVERDUE, PENALISED, month_end, outcome
from inspections.models import Finding, Inspection, RectificationNotice
from inspections.services import coverage


def supervision_section(year: int, month: int) -> dict:
    end = month_end(year, month)
    start = end.replace(day=1)
    counties = list(Region.objects.filter(level=Region.Level.COUNTY).order_by("order", "code"))
    inspected = defaultdict(int)
    for county_id in Inspection.objects.filter(inspected_on__range=(start, end)).values_list(
        "project__county_id", flat=True
    ):
        inspected[county_id] += 1
    found = defaultdict(int)
    for county_id in Finding.objects.filter(inspection__inspected_on__range=(start, end)).values_list(
        "inspection__project__county_id", flat=True
    ):
        found[county_id] += 1
    notices = (
        RectificationNotice.objects.filter(issued_on__lte=end)
        .filter(Q(deadline__year=year) | Q(issued_on__year=year))
        .select_related("finding__inspection__project__county", "finding__participant__enterprise")
        .order_by("deadline", "pk")
    )
    tallies: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    laggards = []
    as_of = min(end, timezone.localdate())
    for notice in notices:
        result = outcome(notice, as_of)
        county_id = notice.finding.inspection.project.county_id
        tallies[county_id][result] += 1
        if result in (OVERDUE, LATE):
            laggards.append(
                {
                    "county_name": notice.finding.inspection.project.county.name,
                    "project_name": notice.finding.inspection.project.name,
                    "enterprise": notice.finding.participant.enterprise.name,
                    "number": notice.number,
                    "description": notice.finding.description,
                    "deadline": notice.deadline,
                    "state": result.label
                    if result == OVERDUE
                    else f"{result.label}（{notice.closed_on:%m月%d日}销号）",
                }
            )
    covered = {c.county_id: c for c in coverage(year, counties, until=end)}
    rows = [
        {
            "county_name": c.name,
            "planned": covered[c.pk].planned,
            "done": covered[c.pk].done,
            "under_construction": covered[c.pk].under_construction,
            "inspected_construction": covered[c.pk].inspected_construction,
            "coverage": covered[c.pk].share_display,
            "inspected": inspected[c.pk],
            "findings": found[c.pk],
            "on_time": tallies[c.pk][ON_TIME],
            "penalised": tallies[c.pk][PENALISED],
            "late": tallies[c.pk][LATE],
            "overdue": tallies[c.pk][OVERDUE],
            "not_due": tallies[c.pk][NOT_DUE],
        }
        for c in counties
    ]
    named = sorted({r["county_name"] for r in laggards}, key=[c.name for c in counties].index)
    if laggards:
        summary = (
            f"截至{as_of:%m月%d日}，" + "、".join(named) + f"共{len(laggards)}份整改通知单未按期整改到位，予以通报。"
        )
    else:
        summary = f"截至{as_of:%m月%d日}，“双随机、一公开”检查发现的问题均已按期整改或依法处罚。"
    return {"rows": rows, "laggards": laggards, "summary": summary, "month_end": end}
