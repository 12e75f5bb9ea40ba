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
from django.db.models.functions import ExtractMonth, ExtractYear

from accounts.models import Region
from complaints.choices import SUBSTANTIATED, IntakeChannel, Status
from complaints.models import ComplaintCategory
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


ONE_PLACE = Decimal("0.1")


def one_place(value: Decimal) -> Decimal:
    """The analysis's figures (days, rates in %): half-up to one decimal place."""
    return value.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


# --- timeliness: 按期受理率 and 按期办结率 -------------------------------------------------------------
# 受理: every complaint whose acceptance decision (受理 or 不予受理) was made, or is overdue; on time when the
#       decision came by the 受理时限 (``accepted_late`` is stored at the decision and never cleared).
# 办结: every accepted complaint that was closed, or is past its 办结时限; on time when closed by the 办结时限 —
#       the one an approved extension set (``closed_late`` is stored at 办结).
# Complaints are counted in the county that handles them and the month they were received; a month or county
# with nothing due has no rate ("—"), never a division by zero.


@dataclass(frozen=True)
class Rate:
    on_time: int = 0
    due: int = 0

    @property
    def percent(self) -> Decimal | None:
        if not self.due:
            return None
        return one_place(Decimal(self.on_time) * 100 / Decimal(self.due))

    def __add__(self, other: Rate) -> Rate:
        return Rate(self.on_time + other.on_time, self.due + other.due)

    def __str__(self) -> str:
        percent = self.percent
        return "—" if percent is None else f"{percent}%"

    def as_dict(self) -> dict:
        percent = self.percent
        return {"on_time": self.on_time, "due": self.due, "percent": str(percent) if percent is not None else None}


@dataclass(frozen=True)
class Timeliness:
    accept: Rate = Rate()
    close: Rate = Rate()

    def __add__(self, other: Timeliness) -> Timeliness:
        return Timeliness(self.accept + other.accept, self.close + other.close)

    def as_dict(self) -> dict:
        return {"accept": self.accept.as_dict(), "close": self.close.as_dict()}


def _timeliness_counts(qs, today: dt.date):
    accept_due = ~Q(status=Status.PENDING) | Q(accept_due__lt=today)
    close_due = Q(accepted_at__isnull=False) & (Q(status=Status.CLOSED) | Q(close_due__lt=today))
    return (
        qs.order_by()
        .annotate(y=ExtractYear("received_on"), m=ExtractMonth("received_on"))
        .values("county", "y", "m")
        .annotate(
            accept_due=Count("pk", filter=accept_due),
            accept_on_time=Count("pk", filter=~Q(status=Status.PENDING) & Q(accepted_late=False)),
            close_due=Count("pk", filter=close_due),
            close_on_time=Count("pk", filter=Q(status=Status.CLOSED, closed_late=False)),
        )
    )


def timeliness_grid(qs, year: int, today: dt.date) -> dict[tuple[int, int], Timeliness]:
    """(county id, month) → the rates of the complaints received that month, in one query."""
    grid: dict[tuple[int, int], Timeliness] = {}
    for row in _timeliness_counts(qs.filter(received_on__year=year), today):
        grid[(row["county"], row["m"])] = Timeliness(
            Rate(row["accept_on_time"], row["accept_due"]), Rate(row["close_on_time"], row["close_due"])
        )
    return grid


@dataclass(frozen=True)
class CountyTimeliness:
    county_id: int
    county: str
    year: Timeliness
    months: list[Timeliness]  # January … December


def timeliness_by_county(qs, year: int, today: dt.date, counties=None) -> list[CountyTimeliness]:
    """Per county (all counties, or the ones given: a county's staff see their own), the year's rates and each
    month's."""
    grid = timeliness_grid(qs, year, today)
    if counties is None:
        counties = Region.objects.filter(level=Region.Level.COUNTY).order_by("order", "code")
    rows = []
    for county in counties:
        months = [grid.get((county.pk, m), Timeliness()) for m in range(1, 13)]
        rows.append(CountyTimeliness(county.pk, county.name, sum(months, Timeliness()), months))
    return rows


def timeliness_by_month(qs, year: int, today: dt.date) -> list[Timeliness]:
    """The scope's rates for each month of ``year`` (January … December)."""
    grid = timeliness_grid(qs, year, today)
    return [sum((t for (_, m), t in grid.items() if m == month), Timeliness()) for month in range(1, 13)]


def timeliness(qs, year: int, today: dt.date) -> Timeliness:
    return sum(timeliness_grid(qs, year, today).values(), Timeliness())


def average_days_to_close(qs) -> Decimal | None:
    """Mean calendar days from receipt to 办结, half-up to 1 decimal; None when nothing was closed."""
    # every field days_to_close() reads: a deferred one costs a query per complaint (5,013 at province scale)
    closed = qs.filter(status=Status.CLOSED).select_related(None).only("status", "received_on", "finished_at")
    days = [c.days_to_close() for c in closed]
    days = [d for d in days if d is not None]
    if not days:
        return None
    return one_place(Decimal(sum(days)) / Decimal(len(days)))


def summary(qs, year: int, today: dt.date) -> dict:
    """Everything the analysis shows for one year, as plain data (API, dashboard, annual report)."""
    year_qs = qs.filter(received_at__year=year)
    average = average_days_to_close(year_qs)
    counties = timeliness_by_county(qs, year, today)
    rates = {row.county: row.year for row in counties}
    return {
        "year": year,
        "received": year_qs.count(),
        "closed": year_qs.filter(status=Status.CLOSED).count(),
        "rejected": year_qs.filter(status=Status.REJECTED).count(),
        "open": year_qs.open().count(),
        "overdue": year_qs.overdue(today).count(),
        "average_days_to_close": str(average) if average is not None else None,
        "by_county": [
            {**row.__dict__, "accept_rate": str(rates[row.county].accept), "close_rate": str(rates[row.county].close)}
            for row in by_county(year_qs, today)
        ],
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
        "timeliness": sum((row.year for row in counties), Timeliness()).as_dict(),
        "timeliness_by_county": [
            {
                "county": row.county,
                **row.year.as_dict(),
                "by_month": [{"month": m, **t.as_dict()} for m, t in enumerate(row.months, start=1)],
            }
            for row in counties
        ],
    }
