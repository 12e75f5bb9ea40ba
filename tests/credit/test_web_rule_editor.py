"""The rule editor: the city adopts a new version from the form (every value of the rule, a reason, an effective
date); invalid values give Chinese errors and create no version; nobody else may edit; a version's page shows its
content and what changed from the previous one."""

from __future__ import annotations

import datetime as dt

import pytest

from credit import scoring
from credit.forms import RuleForm
from credit.models import CreditRule, CreditStanding
from tests.credit.factories import add_entry
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


URL = "/credit/rule/edit/"


def form_data(**changes) -> dict:
    """The edit form as the page fills it from version 1 (the default rule), with ``changes``."""
    form = RuleForm(rule_data=scoring.DEFAULT_RULE)
    data = {name: form.initial.get(name, "") for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data.update(effective_from="2026-06-15", note="2026年第3次局务会议决定提高行政处罚扣分。")
    data.update(changes)
    return data


def test_the_form_starts_from_the_latest_version(client, today, city_admin):
    client.force_login(city_admin)
    form = client.get(URL).context["form"]
    assert form["points_penalty"].value() == -5 and form["months_constraint_major"].value() == 24
    assert form["severity_affiliation"].value() == "major" and form["severity_major_change"].value() == ""
    assert "points_award" not in form.fields  # 按奖项目录积分, fixed


def test_the_city_adopts_a_version_that_rescores_today(client, today, city_admin):
    firm = EnterpriseFactory()
    add_entry(firm, "penalty", dt.date(2026, 3, 10))
    client.force_login(city_admin)
    response = client.post(URL, form_data(points_penalty="-8"))
    assert response.status_code == 302 and response["Location"] == "/credit/rule/2/"
    rule = CreditRule.objects.get(version=2)
    assert rule.data["behaviours"]["penalty"] == {"points": "-8", "months": 12}
    assert rule.data["behaviours"]["award"] == {"points": "catalogue", "months": 36}
    assert rule.data["constraint_severity"]["major_change"] is None
    assert {k: v for k, v in rule.data.items() if k != "behaviours"} == {
        k: v for k, v in scoring.DEFAULT_RULE.items() if k != "behaviours"
    }
    assert (rule.created_by, rule.effective_from) == (city_admin, today)
    assert rule.change_note == "2026年第3次局务会议决定提高行政处罚扣分。"
    page = client.get(response["Location"]).content.decode()
    assert "已发布信用评价规则第2版" in page
    assert "行政处罚 · 分值" in page and "<del>-5</del>" in page and "-8" in page
    assert CreditStanding.objects.get(enterprise=firm).rule.version == 2  # every score rescored under it


def test_a_version_for_a_later_date_waits(client, today, city_admin):
    client.force_login(city_admin)
    client.post(URL, form_data(base="101", effective_from="2026-07-01"))
    page = client.get("/credit/rule/").content.decode()
    assert "待生效" in page and "现行规则：第1版" in page


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"grade_b": "110"}, "等级分数线应满足 A &gt; B &gt; C。"),
        ({"points_penalty": "5"}, "“行政处罚”的扣分应在-100至0之间。"),
        ({"points_jingpin": "-2"}, "“精品工程”的加分应在0至50之间。"),
        ({"months_penalty": "48"}, "“行政处罚”的有效期应在6至36个月之间"),
        ({"months_jingpin": "60"}, "“精品工程”的有效期应在1至36个月之间"),
        ({"points_penalty": "abc"}, "“行政处罚”的分值应为数字。"),
        ({"months_penalty": "1.5"}, "“行政处罚”的有效期应为整数（月）。"),
        ({"base": ""}, "请填写基础分。"),
        ({"note": "  "}, "请填写修订说明。"),
        ({"effective_from": "2026-06-01"}, "生效日期不能早于今天"),
        ({}, "新规则与现行规则相同，无需修订。"),
        ({"severity_attendance": "fatal"}, "选择一个有效的选项"),
    ],
)
def test_invalid_values_give_chinese_errors_and_create_no_version(client, today, city_admin, changes, message):
    client.force_login(city_admin)
    data = form_data(**changes)
    if not changes:
        data["note"] = "无变化"
    response = client.post(URL, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert CreditRule.objects.count() == 1


def test_nobody_but_the_city_may_edit(client, today, county_user, outsider):
    for user in (county_user, outsider):
        client.force_login(user)
        assert client.post(URL, form_data(points_penalty="-8")).status_code == 403
    assert CreditRule.objects.count() == 1
    client.force_login(county_user)
    page = client.get("/credit/rule/").content.decode()
    assert "现行规则：第1版" in page and 'data-testid="edit-rule"' not in page


def test_the_first_versions_page_shows_its_full_content(client, today, county_user):
    client.force_login(county_user)
    response = client.get("/credit/rule/1/")
    page = response.content.decode()
    assert "这是第一个版本。" in page
    rows = {label: value for _, label, value in response.context["rows"]}
    assert rows["基础分"] == "100" and rows["A级分数线"] == "≥ 105" and rows["D级"] == "低于 75"
    assert rows["获奖 · 分值"] == "按奖项目录积分" and rows["示范项目 · 分值"] == "+3"
    assert rows["约束记录（严重） · 有效期"] == "24个月"
    assert rows["约束记录：资质挂靠"] == "严重" and rows["约束记录：重大设计/勘察变更"] == "不计入信用记录"
    assert rows["清退出场"] == "严重"
    assert client.get("/credit/rule/9/").status_code == 404
