"""Monthly ranking (ties share a rank, rank change, late/missing marked) and the annual score, set-based."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment import ranking, services
from assessment.models import AnnualTarget
from tests.assessment.factories import GAOPING_JUNE, approved, local, submitted, target
from tests.factories import CountyFactory, UserFactory

pytestmark = pytest.mark.django_db
AFTER_YEAR = local(2024, 2, 1, 0, 0)


def county_with_staff(name):
    county = CountyFactory(name=name)
    target(county)
    return county, UserFactory(role="county_staff", region=county)


def test_ties_share_a_rank_late_and_missing_are_marked_and_rank_change_is_reported(city_admin):
    a, ua = county_with_staff("甲县")
    b, ub = county_with_staff("乙县")
    c, uc = county_with_staff("丙县")
    d, _ud = county_with_staff("丁县")
    weaker = {**GAOPING_JUNE, "bim_met": False}  # 68.53
    # May: 甲 73.53, 乙 68.53, 丙 73.53, 丁 missing
    approved(a, ua, city_admin, month=5, data=weaker)
    approved(b, ub, city_admin, month=5)
    approved(c, uc, city_admin, month=5, data=weaker)
    # June: 甲 and 乙 tie at 73.53, 丙 late (0, whatever its review state), 丁 missing
    approved(a, ua, city_admin, month=6)
    approved(b, ub, city_admin, month=6)
    submitted(c, uc, month=6, at=local(2023, 6, 21, 0, 0, 1))
    rows = {r.county_name: r for r in ranking.monthly_ranking(2023, 6, as_of=AFTER_YEAR)}
    assert (rows["甲县"].rank, rows["乙县"].rank) == (1, 1)
    assert rows["丙县"].is_late and rows["丙县"].score == 0 and "逾期" in rows["丙县"].late_reason
    assert rows["丁县"].is_missing and rows["丁县"].score == 0 and rows["丁县"].state_label == "未报送"
    assert rows["丙县"].rank == rows["丁县"].rank == 3
    assert rows["甲县"].previous_rank == 2 and rows["甲县"].rank_change == 1
    assert rows["乙县"].previous_rank == 1 and rows["乙县"].rank_change == 0
    assert rows["丙县"].rank_change == -1 and rows["丙县"].rank_change_label == "↓1"


def test_adjustments_are_listed_in_the_ranking(county, county_user, city_admin):
    target(county)
    sub = submitted(county, county_user, month=6)
    services.add_adjustment(sub, user=city_admin, points=D("1"), reason="创新性工作")
    services.approve(sub, user=city_admin)
    row = ranking.monthly_ranking(2023, 6, as_of=AFTER_YEAR)[0]
    assert row.score == D("74.53") and row.adjustments == [(D("1.00"), "创新性工作")]


def test_counties_see_only_published_scores(county, county_user, city_admin):
    target(county)
    approved(county, county_user, city_admin, month=6)
    assert ranking.monthly_ranking(2023, 6, published_only=True, as_of=AFTER_YEAR)[0].score is None
    assert ranking.monthly_ranking(2023, 6, as_of=AFTER_YEAR)[0].score == D("73.53")


def test_a_month_before_its_deadline_is_pending_not_missing(county):
    target(county)
    row = ranking.monthly_ranking(2023, 6, as_of=local(2023, 6, 15, 12, 0))[0]
    assert row.state == "not_due" and row.score is None and row.rank is None


def test_annual_score_with_the_worked_example_through_the_database(county, county_user, city_admin):
    """Target score 88.40 (city-recorded) and months 80, 82.5, late, 85 … missing … → 72.62 → 85.24 → 良好."""
    target(county, final_target_score=D("88.40"))
    items = {1: "80", 2: "82.5", 4: "85", 5: "86", 6: "87", 7: "88", 9: "90", 10: "90", 11: "91", 12: "92"}
    for month in range(1, 13):
        if month == 8:
            continue  # missing
        sub = submitted(county, county_user, month=month, at=local(2023, month, 22 if month == 3 else 10, 9, 0))
        if month in items:
            # bring the month exactly to the example's score with a 行政绩效 adjustment
            services.add_adjustment(
                sub, user=city_admin, points=D(items[month]) - sub.items_total, reason="校准至示例得分"
            )
        services.approve(sub, user=city_admin)
    row = ranking.annual_scores(2023, as_of=AFTER_YEAR)[0]
    assert row.monthly_scores[2] == D("0.00") and row.month_states[2] == "late"
    assert row.monthly_scores[7] == D("0.00") and row.month_states[7] == "missing"
    assert row.target_score == D("88.40") and row.target_score_source == "市局核定"
    assert row.monthly_average == D("72.62")
    assert row.score == D("85.24") and row.grade == "良好"


def test_during_the_year_the_average_runs_over_months_whose_deadline_passed(county, county_user, city_admin):
    target(county)
    approved(county, county_user, city_admin, month=1)
    approved(county, county_user, city_admin, month=2)
    row = ranking.annual_scores(2023, as_of=local(2023, 3, 5, 0, 0))[0]
    assert row.months_counted == 2 and row.monthly_average == D("73.53")
    assert row.target_score == D("73.53") and "按2月" in row.target_score_source
    assert row.monthly_scores[2] is None


def test_weights_are_settings(county, county_user, settings):
    settings.JINGPIN = {**settings.JINGPIN, "ANNUAL_TARGET_WEIGHT": "0.5", "ANNUAL_MONTHLY_WEIGHT": "0.5"}
    AnnualTarget.objects.update_or_create(county=county, year=2023, defaults={"final_target_score": D("80")})
    target(county)
    row = ranking.annual_scores(2023, as_of=AFTER_YEAR)[0]
    assert row.score == D("40.00")  # all months missing


@pytest.mark.parametrize("func", ["ranking", "annual", "grid", "progress"])
def test_reads_make_a_constant_number_of_queries_whatever_the_number_of_counties(func, city_admin):
    calls = {
        "ranking": lambda: ranking.monthly_ranking(2023, 6, as_of=AFTER_YEAR),
        "annual": lambda: ranking.annual_scores(2023, as_of=AFTER_YEAR),
        "grid": lambda: ranking.status_grid(2023, as_of=AFTER_YEAR),
        "progress": lambda: ranking.target_progress(2023),
    }

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            calls[func]()
        return len(ctx.captured_queries)

    county, user = county_with_staff("一号县")
    submitted(county, user, month=6)
    small = measure()
    for i in range(4):
        county, user = county_with_staff(f"{i}号新县")
        submitted(county, user, month=5)
        submitted(county, user, month=6)
    assert measure() == small
