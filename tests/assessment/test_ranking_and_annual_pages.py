"""What the ranking and annual pages show for the seed's numbers (rows written by the ``assessment_ui`` tags), and
that their kept rows (``LIST_CACHE``) follow every change: a review, an adjustment, an extension running out."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment import services
from tests.assessment.factories import approved, local, submitted, target
from tests.factories import CountyFactory, UserFactory

pytestmark = pytest.mark.django_db
RANKING = "/assessment/ranking/?year=2023&month=6"
ANNUAL = "/assessment/annual/?year=2023"


def _row(page: str, county_name: str) -> str:
    start = page.index(f'<tr data-county="{county_name}">')
    return page[start : page.index("</tr>", start)]


def _get(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


@pytest.fixture
def june_after_the_deadline():
    with time_machine.travel(local(2023, 6, 25, 10, 0), tick=False) as traveller:
        yield traveller


def test_the_ranking_rows_show_score_link_adjustment_and_state_badges(
    client, county, county_user, city_admin, june_after_the_deadline
):
    target(county)
    sub = submitted(county, county_user, month=6)
    services.add_adjustment(sub, user=city_admin, points=D("1"), reason="创新性工作<b>")
    services.approve(sub, user=city_admin)
    late = CountyFactory(name="沁水县")
    submitted(late, UserFactory(role="county_staff", region=late), month=6, at=local(2023, 6, 21, 9, 0))
    CountyFactory(name="阳城县<i>")  # nothing sent: 未报送, its name escaped
    client.force_login(city_admin)
    page, _ = _get(client, RANKING)

    gaoping = _row(page, "高平市")
    assert '<td class="fw-bold">1</td>' in gaoping
    assert f'<a href="/assessment/submissions/{sub.pk}/">高平市</a>' in gaoping
    assert '<td class="num fw-bold">74.53</td>' in gaoping  # 73.53 + 1.00
    assert '<td class="num">1.00</td>' in gaoping
    assert "<div>行政绩效 +1.00：创新性工作&lt;b&gt;</div>" in gaoping
    assert '<td data-state="approved">已审核</td>' in gaoping
    missing = _row(page, "阳城县&lt;i&gt;")
    assert '<span class="badge text-bg-secondary">未报送</span>' in missing and "当月未报送，得0分" in missing
    assert '<td class="num fw-bold">0.00</td>' in missing
    assert '<td class="num">—</td>' in missing  # no 考评项 total for a month never sent
    late_row = _row(page, "沁水县")
    assert '<td data-state="late"><span class="badge text-bg-danger">逾期报送</span></td>' in late_row
    assert "<b>" not in page.split("<tbody>")[1].split("</tbody>")[0]
    chart = json.loads(page.split('<script id="ranking-data" type="application/json">')[1].split("</script>")[0])
    assert chart["names"][0] == "高平市" and chart["scores"][0] == 74.53  # the chart's data: the same rows


def test_the_annual_rows_show_target_average_score_status_and_month_cells(
    client, county, county_user, city_admin, june_after_the_deadline
):
    target(county, final_target_score=D("88.40"))
    approved(county, county_user, city_admin, month=6)
    client.force_login(city_admin)
    page, _ = _get(client, ANNUAL)

    row = _row(page, "高平市")
    assert '<td class="num" data-field="target"><div>88.40</div>' in row
    assert "市局核定" in row
    # months 1–5 are missing (0 each), June 73.53: average 73.53 / 6 = 12.25 (cut), 88.40×80% + 12.25×20% = 73.17
    assert '<td class="num" title="6个月">12.25<div class="small text-muted">6个月</div></td>' in row
    assert '<td class="num fw-bold" data-field="score">73.17</td>' in row
    assert '<span class="badge text-bg-warning">暂定</span>' in row
    cells = row.split('<td class="num small ')[1:]
    assert len(cells) == 12
    assert cells[0].startswith(
        'state-missing" data-state="missing" title="未报送">0.00<div class="text-muted">未报送</div>'
    )
    assert cells[5].startswith('state-approved" data-state="approved" title="已审核">73.53</td>')
    assert cells[6].startswith('state-not_due" data-state="not_due" title="未到期"></td>')


def test_kept_rows_follow_a_review_and_an_extension_that_runs_out_the_same_day(
    client, settings, county, county_user, city_admin, june_after_the_deadline
):
    settings.DASHBOARD_CACHE_SECONDS, settings.LIST_CACHE = 600, True  # as with CACHE_URL (a shared cache)
    target(county)
    sub = submitted(county, county_user, month=6)
    other = CountyFactory(name="阳城县")
    services.grant_exception(other, 2023, 6, user=city_admin, new_deadline=local(2023, 6, 25, 10, 5), reason="停电")
    client.force_login(city_admin)

    page, computed = _get(client, RANKING)
    assert "待审核" in _row(page, "高平市") and "延期报送中" in _row(page, "阳城县")
    page, kept = _get(client, RANKING)
    assert kept < computed, (kept, computed)  # the second view reads the kept rows
    _get(client, ANNUAL)

    services.approve(sub, user=city_admin)
    page, _ = _get(client, RANKING)
    assert '<td class="num fw-bold">73.53</td>' in _row(page, "高平市")
    annual, _ = _get(client, ANNUAL)
    assert "73.53" in _row(annual, "高平市")

    # the extension runs out two minutes later: the same day, well within DASHBOARD_CACHE_SECONDS
    june_after_the_deadline.move_to(local(2023, 6, 25, 10, 6))
    page, _ = _get(client, RANKING)
    assert '<span class="badge text-bg-secondary">未报送</span>' in _row(page, "阳城县")
    annual, _ = _get(client, ANNUAL)
    assert 'data-state="missing" title="未报送">0.00' in _row(annual, "阳城县").split("state-")[6]
