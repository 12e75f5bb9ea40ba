"""The 评定分离 tender reference shows the credit grade beside the points (issue 24: "the 评定分离 tender reference
shows the credit grade beside the points ledger"): the ledger page, its export and API, and the enterprise record
with the grade on a chosen tender date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards import services
from tests.awards.factories import awardable_project, catalogue
from tests.conftest import api_client_for
from tests.credit.list_factories import entry, score_all
from tests.factories import EnterpriseFactory, UserFactory
from tests.xlsx import sheet_headers, sheet_rows

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))


def at(*args):
    return time_machine.travel(dt.datetime(*args, 10, tzinfo=TZ), tick=False)


@pytest.fixture
def today():
    with at(2026, 6, 15):
        yield dt.date(2026, 6, 15)


@pytest.fixture
def admin(db):
    return UserFactory(role="city_admin", username="ledger_admin")


@pytest.fixture
def contractors(today, admin, county):
    """good: 鲁班奖 2026 (10) → 110, A; bad: 市优奖 2026 (2) and 行政处罚 ×6 → 72, D; plain: no entry → 100, B."""
    awards = catalogue()
    good = EnterpriseFactory(name="甲守信建设", kinds=["contractor"])
    bad = EnterpriseFactory(name="丁失信建设", kinds=["contractor"])
    plain = EnterpriseFactory(name="乙无记录建设", kinds=["contractor"])
    for enterprise, award in ((good, "鲁班奖"), (bad, "市优奖")):
        services.grant_award(
            user=admin,
            project=awardable_project(county, contractor=enterprise),
            award=awards[award],
            year=2026,
            grant_date=dt.date(2026, 5, 1),
            document_no="文号",
        )
    for i in range(6):
        entry(bad, "penalty", dt.date(2026, 3, 1 + i), document_no=f"罚{i}")
    score_all([bad], today)
    return {"good": good, "bad": bad, "plain": plain}


def test_the_ledger_page_shows_each_rows_grade_and_score(client, admin, contractors):
    client.force_login(admin)
    response = client.get("/awards/ledger/", {"year": 2026})
    rows = {r.name: (r.credit_grade, r.credit_score) for r in response.context["object_list"]}
    assert rows["甲守信建设"] == ("A", Decimal("110.00"))
    assert rows["丁失信建设"] == ("D", Decimal("72.00"))
    assert rows["乙无记录建设"] == ("B", Decimal("100"))  # no entry: the base score
    html = response.content.decode()
    assert html.count('data-testid="ledger-credit-grade"') == len(rows)
    assert f"/credit/enterprises/{contractors['bad'].pk}/" in html and "黑名单" in html


def test_the_ledger_page_costs_the_same_queries_whatever_its_size(client, admin, contractors, settings):
    settings.DASHBOARD_CACHE_SECONDS = 0
    for i in range(8):
        EnterpriseFactory(name=f"补充总包{i}", kinds=["contractor"])
    client.force_login(admin)
    counts = []
    for size in (2, 10):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/awards/ledger/", {"year": 2026, "page_size": size})
        assert len(response.context["object_list"]) == size
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_the_ledger_export_has_the_grade_and_score_columns(client, admin, contractors):
    client.force_login(admin)
    web = client.get("/awards/ledger/", {"year": 2026, "export": "xlsx"})
    headers = sheet_headers(web.content)
    assert headers[-2:] == ["信用等级", "信用分"]
    rows = {r["单位名称"]: (r["信用等级"], r["信用分"]) for r in sheet_rows(web.content)}
    assert rows == {"甲守信建设": ("A", 110), "丁失信建设": ("D", 72), "乙无记录建设": ("B", 100)}
    api = api_client_for(admin).get("/api/v1/points-ledger/export/", {"year": 2026})
    assert sheet_headers(api.content) == headers
    assert {r["单位名称"]: r["信用等级"] for r in sheet_rows(api.content)} == {k: v[0] for k, v in rows.items()}


def test_the_ledger_api_gives_the_grade_and_score(admin, contractors):
    api = api_client_for(admin)
    results = api.get("/api/v1/points-ledger/", {"year": 2026}).json()["results"]
    assert {r["name"]: (r["credit_grade"], r["credit_score"]) for r in results} == {
        "甲守信建设": ("A", "110.00"),
        "丁失信建设": ("D", "72.00"),
        "乙无记录建设": ("B", "100.00"),
    }
    one = api.get(f"/api/v1/points-ledger/{contractors['bad'].pk}/", {"year": 2026}).json()
    assert (one["credit_grade"], one["credit_score"]) == ("D", "72.00")


def test_the_annual_reports_ledger_sheet_has_the_grades(contractors, today):
    from reports.generators import get_generator

    cls = get_generator("annual_report")
    xlsx = cls(**cls.validate_params({"year": 2026})).generate().xlsx
    rows = {r["单位名称"]: r["信用等级"] for r in sheet_rows(xlsx, "积分排名")}
    assert rows["甲守信建设"] == "A" and rows["丁失信建设"] == "D"


# --- the enterprise record ----------------------------------------------------------------------------------
@pytest.fixture
def history(db, county):
    """A contractor whose record changed: 95 (B) from 2026-01-10, 85 (C, 严重 in force) from 2026-03-01."""
    enterprise = EnterpriseFactory(name="有历史的总包", kinds=["contractor"])
    awardable_project(county, contractor=enterprise)
    with at(2026, 1, 10):
        entry(enterprise, "penalty", dt.date(2026, 1, 10), document_no="罚1")
        score_all([enterprise], dt.date(2026, 1, 10))
    with at(2026, 3, 1):
        entry(enterprise, "constraint_major", dt.date(2026, 3, 1), document_no="约1")
        score_all([enterprise], dt.date(2026, 3, 1))
    return enterprise


def record(client, user, enterprise, **params):
    client.force_login(user)
    with at(2026, 6, 15):
        response = client.get(f"/awards/enterprises/{enterprise.pk}/", params)
    assert response.status_code == 200
    return response


def test_the_enterprise_record_shows_the_current_grade_beside_the_points(client, admin, history):
    response = record(client, admin, history)
    assert (response.context["enterprise"].credit_grade, response.context["enterprise"].credit_score) == (
        "C",
        Decimal("85.00"),
    )
    html = response.content.decode()
    assert 'data-grade="C"' in html and "黑名单" in html
    assert f"/credit/enterprises/{history.pk}/" in html


@pytest.mark.parametrize(
    "tender_date, grade, score, since",
    [
        ("2026-02-01", "B", "95.00", dt.date(2026, 1, 10)),
        ("2026-03-01", "C", "85.00", dt.date(2026, 3, 1)),
        ("2025-12-31", "B", "100", None),  # before any entry: the base score
    ],
)
def test_the_grade_on_a_tender_date_is_what_the_record_showed_then(
    client, admin, history, tender_date, grade, score, since
):
    response = record(client, admin, history, tender_date=tender_date)
    standing = response.context["tender_standing"]
    assert (standing.grade, str(standing.score), response.context["tender_since"]) == (grade, score, since)
    assert 'data-testid="tender-standing"' in response.content.decode()


@pytest.mark.parametrize(
    "value, message",
    [("2026-06-16", "招标日期不能晚于今天"), ("2026-02-30", "请输入有效的日期"), ("明天", "请输入有效的日期")],
)
def test_a_bad_tender_date_is_refused_with_a_clear_message(client, admin, history, value, message):
    response = record(client, admin, history, tender_date=value)
    assert response.context["tender_standing"] is None
    assert message in response.content.decode()


def test_a_unit_user_sees_its_own_grade_on_its_record(client, history):
    user = UserFactory(role="unit_user", enterprise=history, username="own_unit")
    response = record(client, user, history, tender_date="2026-02-01")
    assert response.context["tender_standing"].grade == "B"
