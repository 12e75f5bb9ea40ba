"""The counting rule case by case (assessment.counting), and what a person sees because of it: a returned or
unreviewed month is not ranked, late and missing are 0 and say so, the target score never comes from a month
that does not count, a new month opened by one county does not collapse the dashboard."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal as D

import pytest
import time_machine
from openpyxl import load_workbook

from assessment import counting, ranking, services
from assessment.counting import INTERNAL, PUBLISHED, MonthState, month_count
from reports.generators import get_generator
from tests.assessment.factories import approved, filled_submission, local, published, submitted, target
from tests.factories import CountyFactory, UserFactory

pytestmark = pytest.mark.django_db
AFTER_YEAR = local(2024, 2, 1, 0, 0)


def county_with_staff(name):
    county = CountyFactory(name=name)
    target(county)
    return county, UserFactory(role="county_staff", region=county)


@pytest.mark.parametrize(
    ("status", "late", "due", "audience", "state", "score"),
    [
        ("published", False, True, INTERNAL, MonthState.PUBLISHED, D("70")),
        ("published", False, True, PUBLISHED, MonthState.PUBLISHED, D("70")),
        ("approved", False, True, INTERNAL, MonthState.APPROVED, D("70")),
        ("approved", False, True, PUBLISHED, MonthState.UNPUBLISHED, None),
        ("submitted", False, True, INTERNAL, MonthState.IN_REVIEW, None),
        ("resubmitted", False, True, INTERNAL, MonthState.IN_REVIEW, None),
        ("returned", False, True, INTERNAL, MonthState.RETURNED, None),
        ("returned", True, True, INTERNAL, MonthState.LATE, D("0.00")),
        ("submitted", True, True, PUBLISHED, MonthState.LATE, D("0.00")),
        ("draft", False, True, INTERNAL, MonthState.MISSING, D("0.00")),
        (None, False, True, PUBLISHED, MonthState.MISSING, D("0.00")),
        (None, False, False, INTERNAL, MonthState.NOT_DUE, None),
        ("submitted", False, False, INTERNAL, MonthState.IN_REVIEW, None),
        ("approved", False, False, INTERNAL, MonthState.APPROVED, None),
    ],
)
def test_the_rule_for_each_state(status, late, due, audience, state, score):
    sub = None if status is None else {"id": 1, "status": status, "score": D("70"), "is_late": late}
    count = month_count(6, sub, due=due, audience=audience)
    assert (count.state, count.score, count.counted) == (state, score, score is not None)
    if not count.counted:
        assert count.note  # the state says why there is no score


def test_a_running_extension_is_not_yet_missing():
    count = month_count(6, None, due=True, extended=True)
    assert (count.state, count.score, count.counted, count.pending) == (MonthState.EXTENDED, None, False, True)


def test_a_returned_or_unreviewed_month_is_not_ranked_nor_labelled_on_time(city_admin):
    a, ua = county_with_staff("甲县")
    b, ub = county_with_staff("乙县")
    c, uc = county_with_staff("丙县")
    approved(a, ua, city_admin, month=6)
    services.return_submission(submitted(b, ub, month=6), user=city_admin, comments={"D1": "请核实装配式面积。"})
    submitted(c, uc, month=6)
    rows = {r.county_name: r for r in ranking.monthly_ranking(2023, 6, as_of=AFTER_YEAR)}
    assert (rows["甲县"].rank, rows["甲县"].score) == (1, D("73.53"))
    assert (rows["乙县"].rank, rows["乙县"].score, rows["乙县"].state_label) == (None, None, "已退回")
    assert (rows["丙县"].rank, rows["丙县"].score, rows["丙县"].state_label) == (None, None, "待审核")
    assert all(r.state_label != "按时报送" for r in rows.values())


def test_the_target_score_comes_from_the_city_or_the_last_reviewed_on_time_month_only(county, county_user, city_admin):
    target(county)
    weaker = {"bim_met": False}
    approved(county, county_user, city_admin, month=5, data=None)  # 73.53
    june = filled_submission(county, county_user, month=6)
    services.update_submission(june, weaker, user=county_user)
    services.submit(june, user=county_user, now=local(2023, 6, 21, 8, 0))  # late: scores 0
    services.approve(june, user=city_admin)
    submitted(county, county_user, month=7)  # unreviewed
    sub8 = submitted(county, county_user, month=8)
    services.return_submission(sub8, user=city_admin, comments={}, general="请补充材料。")  # returned
    filled_submission(county, county_user, month=9)  # a draft
    row = ranking.annual_scores(2023, as_of=AFTER_YEAR)[0]
    assert (row.target_score, row.target_score_source) == (D("73.53"), "按5月（已审核）累计数据计算")
    published_row = ranking.annual_scores(2023, as_of=AFTER_YEAR, audience=PUBLISHED)[0]
    assert (published_row.target_score, published_row.target_score_source) == (D("0.00"), "无已发布的月份，暂计0分")
    # the average: May 73.53, June late 0, July/August left out, the rest missing (0): 73.53 / 10
    assert row.months_counted == 10 and row.monthly_average == D("7.35")
    assert row.provisional and row.pending == "7月待审核、8月已退回"
    services.AnnualTarget.objects.filter(county=county, year=2023).update(final_target_score=D("88.40"))
    row = ranking.annual_scores(2023, as_of=AFTER_YEAR)[0]
    assert (row.target_score, row.target_score_source) == (D("88.40"), "市局核定")


def test_a_new_month_opened_by_one_county_does_not_collapse_the_dashboard(client, city_admin):
    a, ua = county_with_staff("甲县")
    b, ub = county_with_staff("乙县")
    with time_machine.travel(local(2023, 7, 5, 10, 0), tick=False):
        for county, user in ((a, ua), (b, ub)):
            published(county, user, city_admin, month=6)
        july = submitted(a, ua, month=7, at=local(2023, 7, 4, 9, 0))  # July is open, due on the 20th
        services.approve(july, user=city_admin)  # even approved early, July is not scored before its deadline
        client.force_login(city_admin)
        html = client.get("/").content.decode()
        data = json.loads(re.search(r'id="assessment-chart-data" type="application/json">(.*?)</script>', html)[1])
        assert "2023年6月考评排名" in html
        assert data["ranking"]["scores"] == [73.53, 73.53]
        assert data["trend"]["months"] == [f"{m}月" for m in range(1, 7)]  # July not plotted
        for series in data["trend"]["series"]:
            assert series["data"] == [0.0] * 5 + [73.53]
            assert series["states"] == ["missing"] * 5 + ["published"]
        page = client.get("/assessment/ranking/?year=2023&month=7").content.decode()
        assert 'data-testid="ranking-not-due"' in page and "暂不排名" in page


def test_late_and_missing_are_marked_apart_from_a_real_zero(client, city_admin):
    a, ua = county_with_staff("甲县")
    b, ub = county_with_staff("乙县")
    county_with_staff("丙县")  # never submits
    approved(a, ua, city_admin, month=6)
    submitted(b, ub, month=6, at=local(2023, 6, 21, 9, 0))
    client.force_login(city_admin)
    page = client.get("/assessment/ranking/?year=2023&month=6").content.decode()
    assert '<span class="badge text-bg-danger">逾期报送</span>' in page
    assert '<span class="badge text-bg-secondary">未报送</span>' in page
    annual = client.get("/assessment/annual/?year=2023").content.decode()
    assert 'data-state="late"' in annual and 'data-state="missing"' in annual


def test_a_year_with_nothing_counted_shows_an_empty_state_not_a_row_of_zeros(client, county, county_user):
    target(county, year=2023)
    with time_machine.travel(local(2023, 1, 10, 10, 0), tick=False):
        client.force_login(county_user)
        page = client.get("/assessment/annual/?year=2023").content.decode()
        assert 'data-testid="annual-empty"' in page and 'data-testid="annual-table"' not in page


def _bulletin(year, month):
    cls = get_generator("monthly_bulletin")
    return cls(**cls.validate_params({"year": year, "month": month})).generate()


def test_the_bulletin_says_every_county_was_on_time_only_when_true(city_admin):
    a, ua = county_with_staff("甲县")
    b, ub = county_with_staff("乙县")
    published(a, ua, city_admin, month=5)
    published(b, ub, city_admin, month=5)
    published(a, ua, city_admin, month=6)
    services.return_submission(submitted(b, ub, month=6), user=city_admin, comments={}, general="请补充印证材料。")
    may, june = _bulletin(2023, 5), _bulletin(2023, 6)
    assert "未计入排名" not in may.summary
    assert "未计入排名：乙县（已退回）" in june.summary
    wb = load_workbook(io.BytesIO(june.xlsx))
    assert [row[1] for row in wb["排名"].iter_rows(min_row=2, values_only=True)] == ["甲县"]
    assert [row[:2] for row in wb["逾期、未报送与未计入"].iter_rows(min_row=2, values_only=True)] == [
        ("乙县", "已退回")
    ]
    from pypdf import PdfReader

    def text(report):
        return "".join(p.extract_text() for p in PdfReader(io.BytesIO(report.pdf)).pages)

    assert "本月各县（市、区）均按时报送" in text(may)
    assert "本月各县（市、区）均按时报送" not in text(june)


def test_publishing_warns_about_earlier_unpublished_months_and_returned_or_missing_counties(client, city_admin):
    a, ua = county_with_staff("甲县")
    b, ub = county_with_staff("乙县")
    county_with_staff("丙县")  # missing in June
    approved(a, ua, city_admin, month=5)  # May approved, not published
    approved(a, ua, city_admin, month=6)
    services.return_submission(submitted(b, ub, month=6), user=city_admin, comments={}, general="请补充印证材料。")
    client.force_login(city_admin)
    page = client.get("/assessment/ranking/?year=2023&month=6").content.decode()
    warnings = re.search(r'data-testid="publish-warnings">(.*?)</div>', page, re.S)[1]
    assert "5月尚有未发布的考评" in warnings and "本月已退回：乙县" in warnings and "本月未报送：丙县" in warnings
    assert 'data-confirm-detail="publish-warnings"' in page  # shown again in the confirmation
    response = client.post("/assessment/ranking/publish/", {"year": 2023, "month": 6})
    assert response.status_code == 302
    assert services.Submission.objects.get(county=a, year=2023, month=6).status == "published"


def test_returning_without_a_comment_is_a_message_not_a_500(client, county, county_user, city_admin):
    target(county)
    sub = submitted(county, county_user)
    client.force_login(city_admin)
    response = client.post(f"/assessment/submissions/{sub.pk}/return/", {"general": "  "}, follow=True)
    assert response.status_code == 200
    assert "退回时请至少填写一条审核意见。" in response.content.decode()
    from tests.conftest import api_client_for

    api = api_client_for(city_admin).post(
        f"/api/v1/assessment/submissions/{sub.pk}/return/", {"comments": {}, "general": ""}, format="json"
    )
    assert api.status_code == 400 and api.json() == {"comments": ["退回时请至少填写一条审核意见。"]}
    sub.refresh_from_db()
    assert sub.status == "submitted" and not sub.comments.exists()


def test_counting_rule_has_one_home():
    """The rule's states and labels come from assessment.counting only (ranking re-exports them)."""
    assert ranking.MonthState is counting.MonthState
