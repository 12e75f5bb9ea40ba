"""The rule is data (issue 24): the city adopts a new version through the API; county staff may read the versions
but not adopt one; invalid data is a 400 with the rule's Chinese messages and no new version."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from credit import scoring
from credit.models import CreditRule
from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db


def rule_data(**changes):
    data = copy.deepcopy(scoring.DEFAULT_RULE)
    data.update(changes)
    return data


def adopt(user, data, note="按省厅新办法调整分值。", effective_from=None):
    body = {"data": data, "note": note}
    if effective_from:
        body["effective_from"] = effective_from
    return api_client_for(user).post("/api/v1/credit-rules/", body, format="json")


def test_the_city_adopts_a_new_version_from_a_later_day(folks):
    data = rule_data()
    data["behaviours"]["penalty"] = {"points": "-8", "months": 12}
    response = adopt(folks.city, data, effective_from="2026-07-01")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["version"], body["effective_from"], body["change_note"]) == (2, "2026-07-01", "按省厅新办法调整分值。")
    assert body["data"]["behaviours"]["penalty"] == {"points": "-8", "months": 12}
    versions = api_client_for(folks.staff).get("/api/v1/credit-rules/").json()["results"]
    assert [v["version"] for v in versions] == [2, 1]
    in_force = api_client_for(folks.staff).get("/api/v1/credit-rules/?in_force_on=2026-06-30").json()["results"]
    assert [v["version"] for v in in_force] == [1]
    later = api_client_for(folks.staff).get("/api/v1/credit-rules/?in_force_on=2026-07-01").json()["results"]
    assert [v["version"] for v in later] == [2]


def test_county_staff_and_unit_users_may_not_adopt_a_rule(folks):
    data = rule_data(base="110")
    response = adopt(folks.staff, data)
    assert response.status_code == 403
    assert adopt(folks.member, data).status_code == 403
    assert adopt(folks.expert, data).status_code == 403
    assert CreditRule.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "note", "effective_from", "messages"),
    [
        (rule_data(grades={"A": "90", "B": "95", "C": "75"}), "调整", None, ["等级分数线应满足 A > B > C。"]),
        (rule_data(base="abc"), "调整", None, ["基础分应为数字。"]),
        (rule_data(), "", None, ["请填写修订说明。"]),
        (rule_data(base="101"), "调整", "2026-01-01", ["生效日期不能早于今天（已计算的信用分不追溯修改）。"]),
        (rule_data(), "调整", None, ["新规则与现行规则相同，无需修订。"]),
        ([1, 2, 3], "调整", None, ["规则格式不正确。"]),
        ("规则", "调整", None, ["规则格式不正确。"]),
    ],
    ids=["grades-out-of-order", "base-not-a-number", "no-note", "in-the-past", "unchanged", "a-list", "a-string"],
)
def test_invalid_rules_are_400s_in_chinese_and_no_version_is_made(folks, data, note, effective_from, messages):
    response = adopt(folks.city, data, note=note, effective_from=effective_from)
    assert response.status_code == 400, response.content
    body = response.json()
    found = body.get("non_field_errors", body) if isinstance(body, dict) else body
    assert found == messages
    assert CreditRule.objects.count() == 1


def test_a_validity_period_outside_the_national_range_is_named(folks):
    data = rule_data()
    data["behaviours"]["constraint_major"] = {"points": "-10", "months": 48}
    response = adopt(folks.city, data)
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["“约束记录（严重）”的有效期应在6至36个月之间（建市〔2017〕241号：不良行为信息公开期限）。"]
    }


@pytest.mark.parametrize(
    "data",
    [
        rule_data(grades=["A", "B"]),
        rule_data(behaviours=["award"]),
        rule_data(behaviours=[{"x": 1}]),
        rule_data(constraint_severity=["minor"]),
        rule_data(base="1e999999"),
        rule_data(base=1e308),
        rule_data(expelled_severity=["major"]),
        {"behaviours": {"award": ["points"]}},
    ],
    ids=[
        "grades-list",
        "behaviours-list",
        "behaviours-unhashable",
        "severity-list",
        "huge",
        "float",
        "unhashable",
        "x",
    ],
)
def test_malformed_rules_are_400s_never_500s(folks, data):
    response = adopt(folks.city, data)
    assert response.status_code == 400, response.content
    messages = response.json()["non_field_errors"]
    assert messages and all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in messages)
    assert "输入的数据无效或超出范围，请检查后重试。" not in messages  # the rule's own message, not the fallback
    assert CreditRule.objects.count() == 1


def test_the_rule_versions_export_opens(folks):
    response = api_client_for(folks.city).get("/api/v1/credit-rules/export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_today_a_new_rule_applies_at_once(folks, today):
    response = adopt(folks.city, rule_data(base="110"))
    assert response.status_code == 201
    assert response.json()["effective_from"] == today.isoformat()
    assert CreditRule.objects.order_by("-version").first().effective_from == dt.date(2026, 6, 15)
