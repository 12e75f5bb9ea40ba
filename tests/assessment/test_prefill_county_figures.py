"""The 预填 county figures (assessment.prefill) sum ACCEPTED reports only, year-to-date or for one month."""

from decimal import Decimal

import pytest

from assessment.prefill import counties_month_figures, county_month_figures
from tests.factories import CountyFactory
from tests.projects_factories import MonthlyReportFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_only_accepted_reports_of_the_county_are_summed_year_to_date(county, other_county):
    p1 = ProjectFactory(county=county)
    p2 = ProjectFactory(county=county)
    MonthlyReportFactory(
        project=p1, month=5, status="accepted", new_start_area=Decimal("100.50"), prefab_area=Decimal("20")
    )
    MonthlyReportFactory(
        project=p2,
        month=6,
        status="accepted",
        new_start_area=Decimal("200.25"),
        prefab_area=Decimal("30"),
        green_area_one_star=Decimal("10"),
        green_area_basic=Decimal("5"),
    )
    MonthlyReportFactory(project=p1, month=6, status="submitted", new_start_area=Decimal("9999"))
    MonthlyReportFactory(project=p2, month=7, status="accepted", new_start_area=Decimal("7777"))
    MonthlyReportFactory(
        project=ProjectFactory(county=other_county), month=6, status="accepted", new_start_area=Decimal("5555")
    )

    ytd = county_month_figures(county.pk, 2023, 6)
    assert ytd.values["new_building_area"] == Decimal("300.75")
    assert ytd.values["prefab_area"] == Decimal("50")
    assert ytd.values["green_area_accepted"] == Decimal("15")
    assert ytd.values["green_area_star_rated"] == Decimal("10")
    assert ytd.report_count == 2

    june = county_month_figures(county.pk, 2023, 6, cumulative=False)
    assert june.values["new_building_area"] == Decimal("200.25") and june.report_count == 1


def test_a_county_with_no_reports_gets_zeros(county):
    figures = county_month_figures(county.pk, 2023, 1)
    assert figures.report_count == 0
    assert set(figures.values.values()) == {Decimal("0")}


def test_all_counties_at_once_in_one_query_agree_with_one_county_at_a_time(
    county, other_county, django_assert_num_queries
):
    for c, area in ((county, "100.50"), (other_county, "7.25")):
        for month in (5, 6):
            MonthlyReportFactory(
                project=ProjectFactory(county=c),
                month=month,
                status="accepted",
                new_start_area=Decimal(area),
                renewable_area=Decimal("1.11"),
            )
    idle = CountyFactory(name="无月报县")
    with django_assert_num_queries(1):
        everyone = counties_month_figures(2023, 6, [county.pk, other_county.pk, idle.pk])
    for c in (county, other_county, idle):
        assert everyone[c.pk] == county_month_figures(c.pk, 2023, 6)
    assert everyone[county.pk].values["new_building_area"] == Decimal("201.00")
    assert everyone[idle.pk].report_count == 0 and everyone[idle.pk].values["renewable_area"] == Decimal("0.00")
