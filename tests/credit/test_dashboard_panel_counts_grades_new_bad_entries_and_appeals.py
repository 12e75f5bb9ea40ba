"""The credit panel of the 驾驶舱 (issue 24: "Dashboard panel (grade distribution, new bad entries this month)"):
the grade distribution with the enterprises without any entry counted at the base grade, this month's bad entries,
the appeals waiting for the user's decision; a county's staff see their county."""

from __future__ import annotations

import datetime as dt

import pytest

from credit.models import CreditAppeal
from tests.credit.list_factories import cast, entry, score_all
from tests.factories import CountyFactory, EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db


def panel(client, user):
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    found = [p for p in response.context["panels"] if p["key"] == "credit"]
    return (found[0]["ctx"], response.content.decode()) if found else (None, response.content.decode())


def grades(ctx) -> dict[str, int]:
    return {g["grade"]: g["count"] for g in ctx["grades"]}


def test_the_city_sees_the_grade_distribution_with_the_base_grade_for_enterprises_without_entries(client, today):
    cast()
    EnterpriseFactory(name="另一家无记录单位")
    ctx, html = panel(client, UserFactory(role="city_admin"))
    # A: a, a_major, expired_major; B: b, b_major, withdrawn_major + 2 without any entry; C: c; D: d
    assert grades(ctx) == {"A": 3, "B": 5, "C": 1, "D": 1}
    assert ctx["without_standing"] == 2 and ctx["total"] == 10
    assert "其中 2 家单位尚无信用记录，按基础分 100 分计为B级" in html
    assert [g["percent"] for g in ctx["grades"]] == [30, 50, 10, 10]


def test_this_months_bad_entries_are_counted_and_the_latest_five_shown(client, today):
    cast()  # none of its entries is dated this month
    gaoping = CountyFactory(name="高平市")
    enterprise = EnterpriseFactory(name="六月失信单位")
    for day in range(1, 8):
        entry(enterprise, "complaint", dt.date(2026, 6, day), county=gaoping)
    entry(enterprise, "penalty", dt.date(2026, 5, 31), county=gaoping)  # last month
    entry(enterprise, "penalty", dt.date(2026, 6, 20), county=gaoping)  # later this month: not yet
    entry(enterprise, "penalty", dt.date(2026, 6, 9), county=gaoping, withdrawn_on=dt.date(2026, 6, 12))
    entry(enterprise, "award", dt.date(2026, 6, 10), catalogue_points=2, county=gaoping)  # good
    score_all([enterprise], today)
    ctx, html = panel(client, UserFactory(role="city_admin"))
    assert ctx["new_bad_count"] == 7
    assert [e.occurred_on.day for e in ctx["new_bad"]] == [7, 6, 5, 4, 3]
    assert html.count('data-testid="credit-new-bad-row"') == 5
    assert f"/credit/enterprises/{enterprise.pk}/" in html


def test_pending_appeals_are_those_the_user_decides(client, today):
    gaoping, yangcheng = CountyFactory(name="高平市"), CountyFactory(name="阳城县")
    enterprise = EnterpriseFactory()
    mine = entry(enterprise, "penalty", dt.date(2026, 6, 1), county=gaoping)
    other = entry(enterprise, "penalty", dt.date(2026, 6, 2), county=yangcheng)
    decided = entry(enterprise, "penalty", dt.date(2026, 6, 3), county=gaoping)
    CreditAppeal.objects.create(entry=mine, enterprise=enterprise, reasons="理由")
    CreditAppeal.objects.create(entry=other, enterprise=enterprise, reasons="理由")
    CreditAppeal.objects.create(entry=decided, enterprise=enterprise, reasons="理由", status="kept")
    score_all([enterprise], today)
    assert panel(client, UserFactory(role="city_admin"))[0]["pending_appeals"] == 2
    assert panel(client, UserFactory(role="county_staff", region=gaoping, username="gp"))[0]["pending_appeals"] == 1
    assert panel(client, UserFactory(role="county_staff", region=yangcheng, username="yc"))[0]["pending_appeals"] == 1


def test_a_countys_staff_see_the_enterprises_active_in_their_county(client, today):
    gaoping, yangcheng = CountyFactory(name="高平市"), CountyFactory(name="阳城县")
    cast(county=gaoping)
    d_elsewhere = EnterpriseFactory(name="阳城失信单位", region=yangcheng)
    for i in range(6):
        entry(d_elsewhere, "penalty", dt.date(2026, 6, 1 + i), county=yangcheng)
    score_all([d_elsewhere], today)
    ctx, html = panel(client, UserFactory(role="county_staff", region=gaoping, username="gp"))
    assert grades(ctx) == {"A": 3, "B": 4, "C": 1, "D": 1}
    assert ctx["new_bad_count"] == 0 and ctx["county_scope"]
    assert "本县（市、区）活跃单位" in html
    ctx, _ = panel(client, UserFactory(role="county_staff", region=yangcheng, username="yc"))
    assert grades(ctx) == {"A": 0, "B": 0, "C": 0, "D": 1}
    assert ctx["new_bad_count"] == 6


def test_units_and_experts_have_no_credit_panel(client, today):
    enterprise = EnterpriseFactory()
    assert panel(client, UserFactory(role="unit_user", enterprise=enterprise, username="u"))[0] is None
    assert panel(client, UserFactory(role="expert", username="x"))[0] is None


def test_the_panel_follows_a_new_entry(client, today):
    admin = UserFactory(role="city_admin")
    enterprise = EnterpriseFactory()
    assert panel(client, admin)[0]["new_bad_count"] == 0
    entry(enterprise, "penalty", dt.date(2026, 6, 1))
    score_all([enterprise], today)
    ctx, _ = panel(client, admin)  # the cached panel is dropped with the change
    assert ctx["new_bad_count"] == 1 and grades(ctx)["B"] == 1
