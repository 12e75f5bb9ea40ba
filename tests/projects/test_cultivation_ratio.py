"""Cultivation ratio: government-invested projects of a county and year in the library ÷ all of them, ≥ 10 %."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from projects import services
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def make(county, n, *, library=0, year=2023, gov=True):
    for i in range(n):
        ProjectFactory(
            county=county, year=year, government_invested=gov, jingpin_status="cultivating" if i < library else "none"
        )


@pytest.mark.parametrize(
    "library, total, percent, below",
    [
        (1, 10, Decimal("10.00"), False),  # exactly on the line: met
        (1, 11, Decimal("9.09"), True),
        (0, 4, Decimal("0.00"), True),
        (2, 3, Decimal("66.66"), False),  # truncated, not rounded
        (3, 3, Decimal("100.00"), False),
    ],
)
def test_ratio_against_the_ten_percent_line(county, library, total, percent, below):
    make(county, total, library=library)
    row = services.cultivation_ratio(county, 2023)
    assert (row.library_count, row.total_count) == (library, total)
    assert row.percent == percent
    assert row.below_minimum is below
    assert row.status_label == ("低于10%" if below else "达标")


def test_only_government_invested_projects_of_that_year_count_and_all_library_statuses_count(county):
    make(county, 3, gov=False, library=3)
    make(county, 5, year=2022, library=0)
    ProjectFactory(county=county, jingpin_status="certified")
    ProjectFactory(county=county, jingpin_status="demonstration")
    ProjectFactory(county=county, jingpin_status="failed")
    ProjectFactory(county=county, jingpin_status="none")
    row = services.cultivation_ratio(county, 2023)
    assert (row.library_count, row.total_count) == (2, 4)


def test_a_county_without_government_investment_has_no_ratio_and_no_warning(county):
    make(county, 2, gov=False, library=0)
    row = services.cultivation_ratio(county, 2023)
    assert row.total_count == 0 and row.percent is None
    assert row.below_minimum is False and row.status_label == "本年度无政府投资项目"


def test_the_line_comes_from_settings(county, settings):
    settings.JINGPIN = {**settings.JINGPIN, "CULTIVATION_MIN_PERCENT": "20"}
    make(county, 10, library=1)
    row = services.cultivation_ratio(county, 2023)
    assert row.below_minimum is True and row.status_label == "低于20%"


def test_one_row_per_county_in_the_given_order(county, other_county, django_assert_num_queries):
    make(county, 10, library=1)
    make(other_county, 20, library=1)
    with django_assert_num_queries(1):
        rows = services.cultivation_ratios(2023, [other_county, county])
    assert [(r.county_name, r.below_minimum) for r in rows] == [("阳城县", True), ("高平市", False)]


def test_the_dashboard_chart_plots_percents_on_a_fixed_0_to_100_percent_axis(county, county_user, client):
    """Percents are 0–100 (1 of 4 → 25.0, not 0.25) and the axis stays 0–100 % even when every value is 0."""
    import json
    import re

    from django.core.cache import cache

    cache.clear()
    make(county, 4, library=1, year=2023)
    client.force_login(county_user)
    page = client.get("/?cultivation_year=2023").content.decode()
    raw = re.search(r'<script id="cultivation-data" type="application/json">(.*?)</script>', page).group(1)
    chart = json.loads(raw)
    assert chart["percents"] == [25.0] and chart["minimum"] == 10.0
    assert chart["axis"] == {"min": 0, "max": 100, "unit": "%"}
    # the chart is started by static/js/dashboard-charts.js (also for a panel swapped in from its placeholder)
    assert "js/dashboard-charts.js" in page
    script = (Path(settings.BASE_DIR) / "static" / "js" / "dashboard-charts.js").read_text(encoding="utf-8")
    assert "max: d.axis.max" in script and 'name: "%"' not in script
