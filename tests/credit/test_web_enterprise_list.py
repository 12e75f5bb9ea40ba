"""The staff's list of enterprises with their credit: score and grade from the standing (the base score for an
enterprise without one), the entries in force counted, searchable, paginated in a constant number of queries."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.credit.factories import add_entry
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def rows_of(response) -> dict[str, object]:
    """The page's rows (plain values, as the view reads them) by enterprise name."""
    return {e["name"]: SimpleNamespace(**e) for e in response.context["object_list"]}


def test_scores_grades_and_counts_come_from_the_record(client, today, county, county_user):
    punished = EnterpriseFactory(name="甲建设有限公司")
    add_entry(punished, "constraint_major", dt.date(2026, 5, 1), county=county)  # −10, 严重: 黑名单
    add_entry(punished, "penalty", dt.date(2024, 1, 10), county=county)  # expired: not counted
    honoured = EnterpriseFactory(name="乙建设有限公司")
    add_entry(honoured, "award", dt.date(2026, 1, 5), catalogue_points=8)
    add_entry(honoured, "demonstration", dt.date(2026, 1, 5))
    EnterpriseFactory(name="丙建设有限公司")  # no entry at all
    client.force_login(county_user)
    response = client.get("/credit/enterprises/")
    rows = rows_of(response)
    a, b, c = rows["甲建设有限公司"], rows["乙建设有限公司"], rows["丙建设有限公司"]
    assert (a.credit_score, a.credit_grade, a.good_count, a.bad_count) == (90, "B", 0, 1)
    assert [label for label, _ in a.badges] == ["黑名单"]
    assert (b.credit_score, b.credit_grade, b.good_count, b.bad_count) == (111, "A", 2, 0)
    assert [label for label, _ in b.badges] == ["红榜"]
    assert (c.credit_score, c.credit_grade, c.rule_version) == (100, "B", None)
    page = response.content.decode()
    assert "无信用记录的单位按基础分 100 分（B级）计" in page


def test_search_by_name_or_credit_code_and_filter_by_grade_and_list(client, today, city_admin):
    low = EnterpriseFactory(name="丁建设有限公司")
    for day in (dt.date(2026, 2, 1), dt.date(2026, 3, 1), dt.date(2026, 4, 1)):
        add_entry(low, "penalty", day)  # 85: C
    plain = EnterpriseFactory(name="戊建设有限公司")
    client.force_login(city_admin)
    assert set(rows_of(client.get("/credit/enterprises/?q=丁建设"))) == {"丁建设有限公司"}
    assert set(rows_of(client.get(f"/credit/enterprises/?q={plain.credit_code[-8:]}"))) == {"戊建设有限公司"}
    assert set(rows_of(client.get("/credit/enterprises/?grade=C"))) == {"丁建设有限公司"}
    assert "戊建设有限公司" in rows_of(client.get("/credit/enterprises/?grade=B"))  # the base grade
    assert set(rows_of(client.get("/credit/enterprises/?listed=watch"))) == {"丁建设有限公司"}
    assert not rows_of(client.get("/credit/enterprises/?listed=black"))
    ordered = list(rows_of(client.get("/credit/enterprises/?sort=credit_score")))
    assert ordered[0] == "丁建设有限公司"


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_the_query_count_does_not_grow_with_the_rows(client, today, county, county_user):
    client.force_login(county_user)
    for _ in range(2):
        add_entry(EnterpriseFactory(), "penalty", county=county)
    EnterpriseFactory()
    few = _queries(client, "/credit/enterprises/")
    for _ in range(12):
        e = EnterpriseFactory()
        add_entry(e, "penalty", county=county)
        add_entry(e, "jingpin", county=county)
        EnterpriseFactory()
    assert _queries(client, "/credit/enterprises/") == few
    assert _queries(client, "/credit/enterprises/?grade=B&q=测试") == _queries(client, "/credit/enterprises/?grade=B")
