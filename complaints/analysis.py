"""汇总分析 of the ledger: counts by county, category and sub-category (共性问题), channel,
month, project and responsible unit; time to close; repeats.

Every function takes an already scoped queryset (``Complaint.objects.visible_to(user)`` or the report's), so the
dashboard, the analysis page, the API and the annual report share one implementation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth

from accounts.models import Region
from complaints.models import SUBSTANTIATED, ComplaintCategory, IntakeChannel, Status
from complaints.querysets import overdue_q

REPEAT_MIN = 2  # a project or unit with this many complaints in the period is a 重复投诉 subject


@dataclass(frozen=True)
class CountyRow:
    county: str
    received: int
    closed: int
    rejected: int
    open: int
    overdue: int


def by_county(qs, today: dt.date) -> list[CountyRow]:
    counts = {
        row["county"]: row
        for row in qs.order_by()
        .values("county")
        .annotate(
            received=Count("pk"),
            closed=Count("pk", filter=Q(status=Status.CLOSED)),
            rejected=Count("pk", filter=Q(status=Status.REJECTED)),
            overdue=Count("pk", filter=overdue_q(today)),
        )
    }
    rows = []
    for county in Region.objects.filter(level=Region.Level.COUNTY).order_by("order", "code"):
        c = counts.get(county.pk, {"received": 0, "closed": 0, "rejected": 0, "overdue": 0})
        rows.append(
            CountyRow(
                county=county.name,
                received=c["received"],
                closed=c["closed"],
                rejected=c["rejected"],
                open=c["received"] - c["closed"] - c["rejected"],
                overdue=c["overdue"],
            )
        )
    return rows


def by_category(qs) -> list[tuple[str, int]]:
    """Counts by category, in the list's order: every active category (0 when none), and a stopped one only when
    complaints of the period carry it."""
    counts = dict(qs.order_by().values_list("category").annotate(n=Count("pk")))
    return [
        (c.name, counts.get(c.code, 0))
        for c in ComplaintCategory.objects.top().order_by("order", "pk")
        if c.active or counts.get(c.code)
    ]


def by_subcategory(qs) -> list[tuple[str, str, int]]:
    """共性问题: (category, sub-category, count) of the sub-categories complained about, most first; complaints
    filed without a sub-category are counted as "未细分" of their category."""
    rows = (
        qs.order_by()
        .values("category__name", "subcategory__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "category__name", "subcategory__name")
    )
    return [(r["category__name"], r["subcategory__name"] or "未细分", r["n"]) for r in rows]


def by_channel(qs) -> list[tuple[str, int]]:
    """Counts by how the complaints arrived: 网上, 12345热线转办, 电话, 来信, 来访, 信访转办."""
    counts = dict(qs.order_by().values_list("channel").annotate(n=Count("pk")))
    return [(label, counts.get(value, 0)) for value, label in IntakeChannel.choices]


def by_month(qs, year: int) -> list[tuple[int, int]]:
    counts = dict(
        qs.filter(received_at__year=year)
        .order_by()
        .annotate(m=ExtractMonth("received_at"))
        .values_list("m")
        .annotate(n=Count("pk"))
    )
    return [(m, counts.get(m, 0)) for m in range(1, 13)]


def by_project(qs, minimum: int = 1) -> list[tuple[str, str, int]]:
    """(project, county, count), most complained-about first; ``minimum=REPEAT_MIN`` gives the repeats."""
    rows = (
        qs.filter(project__isnull=False)
        .order_by()
        .values("project__name", "project__county__name")
        .annotate(n=Count("pk"))
        .filter(n__gte=minimum)
        .order_by("-n", "project__name")
    )
    return [(r["project__name"], r["project__county__name"], r["n"]) for r in rows]


def by_unit(qs, minimum: int = 1) -> list[tuple[str, int]]:
    """Responsible units, most complaints first: only the units the handler named at 办结 of a complaint found
    属实 or 部分属实 — not every participant of the project, and never a rejected or untrue complaint."""
    rows = (
        qs.filter(status=Status.CLOSED, substantiated__in=SUBSTANTIATED, responsible_enterprises__isnull=False)
        .order_by()
        .values("responsible_enterprises__name")
        .annotate(n=Count("pk", distinct=True))
        .filter(n__gte=minimum)
    )
    return sorted(((r["responsible_enterprises__name"], r["n"]) for r in rows), key=lambda r: (-r[1], r[0]))


def average_days_to_close(qs) -> Decimal | None:
    """Mean calendar days from receipt to 办结, half-up to 1 decimal; None when nothing was closed."""
    closed = qs.filter(status=Status.CLOSED).select_related(None).only("status", "received_at", "finished_at")
    days = [c.days_to_close() for c in closed]
    days = [d for d in days if d is not None]
    if not days:
        return None
    return (Decimal(sum(days)) / Decimal(len(days))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def summary(qs, year: int, today: dt.date) -> dict:
    """Everything the analysis shows for one year, as plain data (API, dashboard, annual report)."""
    year_qs = qs.filter(received_at__year=year)
    average = average_days_to_close(year_qs)
    return {
        "year": year,
        "received": year_qs.count(),
        "closed": year_qs.filter(status=Status.CLOSED).count(),
        "rejected": year_qs.filter(status=Status.REJECTED).count(),
        "open": year_qs.open().count(),
        "overdue": year_qs.overdue(today).count(),
        "average_days_to_close": str(average) if average is not None else None,
        "by_county": [row.__dict__ for row in by_county(year_qs, today)],
        "by_category": [{"category": c, "count": n} for c, n in by_category(year_qs)],
        "by_subcategory": [
            {"category": c, "subcategory": sub, "count": n} for c, sub, n in by_subcategory(year_qs)[:30]
        ],
        "by_channel": [{"channel": c, "count": n} for c, n in by_channel(year_qs)],
        "by_month": [{"month": m, "count": n} for m, n in by_month(year_qs, year)],
        "by_project": [{"project": p, "county": c, "count": n} for p, c, n in by_project(year_qs)[:20]],
        "by_unit": [{"unit": u, "count": n} for u, n in by_unit(year_qs)[:20]],
        "repeat_projects": [{"project": p, "county": c, "count": n} for p, c, n in by_project(year_qs, REPEAT_MIN)],
        "repeat_units": [{"unit": u, "count": n} for u, n in by_unit(year_qs, REPEAT_MIN)],
    }
