"""Writes and computations of the projects app that other apps call."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import Coalesce

from projects.models import MonthlyReport, ReportStatus

ZERO = Decimal("0.00")

# County assessment figure -> the monthly-report fields summed into it (areas in m²).
COUNTY_FIGURE_FIELDS: dict[str, tuple[str, ...]] = {
    "new_building_area": ("new_start_area",),
    "prefab_area": ("prefab_area",),
    "green_area_accepted": ("green_area_basic", "green_area_one_star", "green_area_two_star", "green_area_three_star"),
    "green_area_star_rated": ("green_area_one_star", "green_area_two_star", "green_area_three_star"),
    "green_area_one_star": ("green_area_one_star",),
    "green_area_two_star": ("green_area_two_star",),
    "green_area_three_star": ("green_area_three_star",),
    "renewable_area": ("renewable_area",),
    "retrofit_residential_area": ("retrofit_residential_area",),
    "retrofit_public_area": ("retrofit_public_area",),
}


@dataclass(frozen=True)
class CountyFigures:
    """Sums of accepted monthly project reports (m²); ``report_count`` says how many fed them."""

    county_id: int
    year: int
    month: int
    cumulative: bool
    values: dict[str, Decimal]
    report_count: int


def county_month_figures(county_id: int, year: int, month: int, *, cumulative: bool = True) -> CountyFigures:
    """Sum the ACCEPTED monthly project reports of a county: month ``month`` alone, or January..month
    (year-to-date, what the county assessment needs) when ``cumulative``. One aggregate query."""
    reports = MonthlyReport.objects.filter(project__county_id=county_id, year=year, status=ReportStatus.ACCEPTED)
    reports = reports.filter(month__lte=month) if cumulative else reports.filter(month=month)
    base = {field: Coalesce(Sum(field), ZERO) for fields in COUNTY_FIGURE_FIELDS.values() for field in fields}
    from django.db.models import Count

    totals = reports.aggregate(report_count=Count("pk"), **base)
    values = {
        figure: sum((Decimal(totals[f]) for f in fields), ZERO) for figure, fields in COUNTY_FIGURE_FIELDS.items()
    }
    return CountyFigures(county_id, year, month, cumulative, values, totals["report_count"])
