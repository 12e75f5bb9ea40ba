"""预填: the county assessment's area figures summed from the ACCEPTED monthly project reports (SPEC §5).

The knowledge of which report fields feed which Submission figure lives here, beside the assessment that reads
it; projects only keeps its reports. Typical use::

    from assessment.prefill import county_month_figures
    figures = county_month_figures(county_id, 2023, 6)   # January..June, m²
    figures.values["prefab_area"]                        # Decimal("12345.00")
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce

from core.decimals import cut2
from projects.choices import ReportStatus
from projects.models import MonthlyReport

ZERO = Decimal("0.00")

# County assessment figure (a Submission field) -> the monthly-report fields summed into it (areas in m²).
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


def counties_month_figures(
    year: int, month: int, county_ids=None, *, cumulative: bool = True
) -> dict[int, CountyFigures]:
    """County figures for many counties at once: ONE grouped aggregate query over the reports alone (GROUP BY
    their denormalised county), whatever the number of counties. ``county_ids`` None = every county with reports; a county without accepted
    reports gets zeros when it is named in ``county_ids``."""
    reports = MonthlyReport.objects.filter(year=year, status=ReportStatus.ACCEPTED)
    reports = reports.filter(month__lte=month) if cumulative else reports.filter(month=month)
    if county_ids is not None:
        county_ids = list(county_ids)
        reports = reports.filter(county_id__in=county_ids)
    base = {field: Coalesce(Sum(field), ZERO) for fields in COUNTY_FIGURE_FIELDS.values() for field in fields}
    rows = reports.values("county_id").annotate(report_count=Count("pk"), **base).order_by()
    result = {}
    for totals in rows:
        values = {
            figure: cut2(sum((Decimal(totals[f]) for f in fields), ZERO))
            for figure, fields in COUNTY_FIGURE_FIELDS.items()
        }
        county_id = totals["county_id"]
        result[county_id] = CountyFigures(county_id, year, month, cumulative, values, totals["report_count"])
    for county_id in county_ids or ():
        if county_id not in result:
            zeros = {figure: cut2(ZERO) for figure in COUNTY_FIGURE_FIELDS}
            result[county_id] = CountyFigures(county_id, year, month, cumulative, zeros, 0)
    return result


def county_month_figures(county_id: int, year: int, month: int, *, cumulative: bool = True) -> CountyFigures:
    """Sum the ACCEPTED monthly project reports of a county: month ``month`` alone, or January..month
    (year-to-date, what the county assessment needs) when ``cumulative``. One aggregate query."""
    return counties_month_figures(year, month, [county_id], cumulative=cumulative)[county_id]
