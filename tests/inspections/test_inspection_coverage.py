"""Coverage (issue 25): seed 002 A1 “‘双随机、一公开’检查发现的问题均按时整改到位、依法处罚” rewards not inspecting — a
county with no notices passes. A1 stays as the seed words it; beside it, per county, the inspections done vs planned
and the share of projects under construction inspected this year (dashboard, monthly bulletin and its Excel)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from inspections import a1, services
from tests.projects_factories import ProjectFactory


def test_a_county_that_never_inspects_still_passes_a1_but_shows_zero_coverage(inspection, county, other_county, clock):
    ProjectFactory(county=other_county, stage="construction")
    ProjectFactory(county=other_county, stage="construction")
    ProjectFactory(county=other_county, stage="tender")  # not under construction: not counted
    assert a1.a1_fact(other_county.pk, 2024, 3).computed  # the seed's words, unchanged
    rows = {c.county_name: c for c in services.coverage(2024, [county, other_county])}
    idle = rows[other_county.name]
    assert (idle.planned, idle.done, idle.under_construction, idle.inspected_construction) == (0, 0, 2, 0)
    assert idle.share == Decimal("0.00") and idle.share_display == "0.00%"
    busy = rows[county.name]
    # the plan drew 2 of the county's 6 projects under construction; one is recorded (2024-03-05)
    assert (busy.planned, busy.done, busy.under_construction, busy.inspected_construction) == (2, 1, 6, 1)
    assert busy.share == Decimal("16.67")


def test_coverage_counts_to_a_date_and_a_county_without_building_sites_shows_a_dash(inspection, county, clock):
    before = services.coverage(2024, [county], until=dt.date(2024, 3, 4))[0]
    assert (before.planned, before.done, before.inspected_construction) == (2, 0, 0)
    assert services.coverage(2025, [county])[0].planned == 0
    empty = services.CountyCoverage(1, "某县", 0, 0, 0, 0)
    assert empty.share is None and empty.share_display == "—"


def test_the_dashboard_shows_every_county_to_the_city_and_its_own_to_a_county(
    client, inspection, county, other_county, county_user, city_admin, clock
):
    client.force_login(city_admin)
    page = client.get("/").content.decode()
    assert 'data-testid="inspection-coverage"' in page
    assert other_county.name in page and "16.67%" in page and "1/2" in page
    client.force_login(county_user)
    page = client.get("/").content.decode()
    table = page.split('data-testid="inspection-coverage"')[1].split("</table>")[0]
    assert county.name in table and other_county.name not in table


def test_the_monthly_bulletin_and_its_excel_carry_the_coverage(inspection, county, clock):
    from inspections.bulletin import supervision_section
    from reports.generators.monthly import MonthlyBulletin

    row = next(r for r in supervision_section(2024, 3)["rows"] if r["county_name"] == county.name)
    assert (row["done"], row["planned"], row["under_construction"], row["inspected_construction"]) == (1, 2, 6, 1)
    assert row["coverage"] == "16.67%"
    generator = MonthlyBulletin(year=2024, month=3)
    sheets = {name: (cols, rows) for name, cols, rows in generator.sheets(generator.collect())}
    cols, _ = sheets["督查通报"]
    assert "在建项目检查覆盖率" in [c.header for c in cols] and "本年计划检查" in [c.header for c in cols]
