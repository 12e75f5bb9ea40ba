"""The city's goals per project as data: rules per year (editable by the city, audited), each project checked
against the rules of its year with the units' reported figures; unmet goals per county (web + API, scoped) and
counted on the dashboard.

Seed 002 一(二) 3: “装配率不低于30%”; 三(一): “新建居住建筑执行75%节能标准，新建公共建筑执行72%节能标准”;
一(二) 5: “……以及试点要求的新开工项目BIM技术应用率100%”."""

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.urls import reverse

from projects import services
from projects.dashboard import programme_panel
from projects.models import GoalRule, Project, ProjectMilestone
from tests.conftest import api_client_for
from tests.projects.factories import MonthlyReportFactory, ProjectFactory

pytestmark = pytest.mark.django_db

PREFAB_30 = {
    "year": 2023,
    "name": "装配式建筑",
    "category": "building",
    "prefabricated_only": True,
    "min_prefab_rate": Decimal("30"),
    "basis": "装配率不低于30%",
}


@pytest.fixture
def rules(city_admin):
    services.save_goal_rule(None, PREFAB_30, user=city_admin)
    services.save_goal_rule(
        None,
        {"year": 2023, "name": "新建居住建筑", "building_use": "residential", "min_energy_standard": Decimal("75")},
        user=city_admin,
    )
    services.save_goal_rule(
        None,
        {"year": 2023, "name": "新建公共建筑", "building_use": "public", "min_energy_standard": Decimal("72")},
        user=city_admin,
    )
    services.save_goal_rule(
        None, {"year": 2023, "name": "绿色建造试点", "pilot_only": True, "bim_required": True}, user=city_admin
    )


def building(county, code, **kw):
    values = dict(
        county=county,
        code=code,
        category="building",
        building_use="public",
        energy_standard=Decimal("72"),
        prefabricated=True,
        prefab_rate=Decimal("30.00"),
        bim_applied=True,
    )
    return ProjectFactory(**{**values, **kw})


def test_only_the_city_sets_goal_rules_and_every_change_is_kept(city_admin, county_user):
    with pytest.raises(PermissionDenied):
        services.save_goal_rule(None, PREFAB_30, user=county_user)
    rule = services.save_goal_rule(None, PREFAB_30, user=city_admin)
    services.save_goal_rule(rule, {**PREFAB_30, "min_prefab_rate": Decimal("35")}, user=city_admin)
    history = list(rule.history.order_by("history_date").values_list("min_prefab_rate", "history_user_id"))
    assert history == [(Decimal("30.00"), city_admin.pk), (Decimal("35.00"), city_admin.pk)]


def test_a_rule_without_any_goal_or_with_too_long_a_name_is_refused_and_nothing_saved(city_admin):
    with pytest.raises(ValidationError) as exc:
        services.save_goal_rule(None, {"year": 2023, "name": "空规则"}, user=city_admin)
    assert "请至少设定一项目标（装配率、节能标准或BIM应用）。" in exc.value.messages
    with pytest.raises(ValidationError) as exc:
        services.save_goal_rule(None, {**PREFAB_30, "name": "装" * 101}, user=city_admin)
    assert exc.value.message_dict == {"name": ["适用项目不能超过100个字符。"]}
    assert not GoalRule.objects.exists()


def test_the_prefab_threshold_is_30_percent(county, rules):
    """“装配率不低于30%”: 29.99 unmet, 30.00 met."""
    building(county, "JC-2023-0101", prefab_rate=Decimal("29.99"))
    building(county, "JC-2023-0102", prefab_rate=Decimal("30.00"))
    rows = services.unmet_goals(ProjectFactory._meta.model.objects.all())
    assert [(r.project_code, r.rule_name, r.missed) for r in rows] == [
        ("JC-2023-0101", "装配式建筑", ("装配率29.99%，低于30%",))
    ]


def test_energy_standards_and_bim_of_pilots(county, rules):
    building(county, "JC-2023-0201", building_use="residential", energy_standard=Decimal("72"))  # 75 % required
    building(county, "JC-2023-0202", building_use="residential", energy_standard=Decimal("75"))
    building(county, "JC-2023-0203", building_use="public", energy_standard=Decimal("71.99"))  # 72 % required
    building(county, "JC-2023-0204", green_pilot=True, bim_applied=False)  # BIM 100 %
    rows = services.unmet_goals(ProjectFactory._meta.model.objects.order_by("code"))
    assert [(r.project_code, r.missed_text) for r in rows] == [
        ("JC-2023-0201", "执行72%节能标准，低于75%"),
        ("JC-2023-0203", "执行71.99%节能标准，低于72%"),
        ("JC-2023-0204", "未应用BIM技术（要求应用率100%）"),
    ]


def test_rules_are_versioned_by_year(city_admin, county):
    services.save_goal_rule(None, {**PREFAB_30, "year": 2022}, user=city_admin)
    p2023 = building(county, "JC-2023-0301", year=2023, prefab_rate=Decimal("40"))
    p2021 = building(county, "JC-2021-0301", year=2021, prefab_rate=Decimal("10"))
    book = services.GoalBook()
    assert [r.year for r, _ in book.check(p2023)] == []  # 2022's 30 % still in force for 2023: met
    assert book.check(p2021) == []  # no rule before 2022
    services.save_goal_rule(None, {**PREFAB_30, "year": 2023, "min_prefab_rate": Decimal("50")}, user=city_admin)
    ((rule, missed),) = services.GoalBook().check(p2023)  # 2023's own version replaces 2022's
    assert rule.year == 2023 and missed == ["装配率40%，低于50%"]


def test_unmet_goals_are_listed_per_county_and_scoped(client, county_user, colleague, county, other_county, rules):
    building(county, "JC-2023-0401", name="高平市保障房", prefab_rate=Decimal("20"))
    building(other_county, "JC-2023-0402", name="阳城县文化馆", prefab_rate=Decimal("25"))
    client.force_login(county_user)
    page = client.get(reverse("projects:unmet-goal-list")).content.decode()
    assert "高平市保障房" in page and "阳城县文化馆" not in page and "装配率20%，低于30%" in page
    rows = api_client_for(colleague).get("/api/v1/unmet-goals/").json()["results"]
    assert [(r["project_code"], r["missed"]) for r in rows] == [("JC-2023-0402", ["装配率25%，低于30%"])]
    assert api_client_for(colleague).get("/api/v1/unmet-goals/", {"year": "abc"}).status_code == 400


def test_the_city_edits_rules_on_the_web_and_the_county_may_not(client, city_admin, county_user):
    client.force_login(county_user)
    assert client.get(reverse("projects:goal-rule-create")).status_code == 403
    client.force_login(city_admin)
    form = {"year": "2024", "name": "新建公共建筑", "category": "building", "building_use": "public"}
    response = client.post(reverse("projects:goal-rule-create"), {**form, "min_energy_standard": "72"})
    assert response.status_code == 302
    rule = GoalRule.objects.get()
    assert rule.min_energy_standard == Decimal("72") and rule.updated_by == city_admin
    bad = client.post(reverse("projects:goal-rule-update", args=[rule.pk]), {**form, "min_energy_standard": "120"})
    assert bad.status_code == 200 and "百分比不能大于100。" in bad.content.decode()
    rule.refresh_from_db()
    assert rule.min_energy_standard == Decimal("72")


def test_the_goal_rule_api_reads_for_all_and_writes_for_the_city(city_admin, county_user):
    data = {"year": 2024, "name": "装配式建筑", "prefabricated_only": True, "min_prefab_rate": "30"}
    assert api_client_for(county_user).post("/api/v1/goal-rules/", data, format="json").status_code == 403
    created = api_client_for(city_admin).post("/api/v1/goal-rules/", data, format="json")
    assert created.status_code == 201, created.content
    assert api_client_for(county_user).get("/api/v1/goal-rules/").json()["results"][0]["min_prefab_rate"] == "30.00"
    empty = api_client_for(city_admin).post("/api/v1/goal-rules/", {"year": 2024, "name": "空规则"}, format="json")
    assert empty.status_code == 400 and "请至少设定一项目标" in empty.content.decode()


def test_the_dashboard_counts_unmet_goals_and_late_milestones_per_county(
    city_admin, county_user, county, other_county, rules, clock
):
    building(county, "JC-2023-0501", prefab_rate=Decimal("20"))
    building(county, "JC-2023-0502", energy_standard=Decimal("65"), prefab_rate=Decimal("10"))
    building(other_county, "JC-2023-0503")
    request = RequestFactory().get("/")
    request.user = city_admin
    ctx = programme_panel.uncached(request)
    assert {r["county_name"]: r["unmet"] for r in ctx["rows"]} == {"高平市": 2, "阳城县": 0}
    assert ctx["unmet_total"] == 2
    request.user = county_user
    assert [r["county_name"] for r in programme_panel.uncached(request)["rows"]] == ["高平市"]


def test_bim_is_checked_against_the_latest_accepted_monthly_report(county, rules, client, county_user):
    """一(二) 5: “新开工项目BIM技术应用率100%” — the units' reported figure: the latest accepted report wins over
    the project card; a draft or returned report does not count; without one the card is the fallback."""
    reported = building(county, "JC-2023-0501", name="试点学校", green_pilot=True, bim_applied=True)
    MonthlyReportFactory(project=reported, year=2023, month=5, status="accepted", bim_applied=True)
    MonthlyReportFactory(project=reported, year=2023, month=6, status="accepted", bim_applied=False)
    MonthlyReportFactory(project=reported, year=2023, month=7, status="returned", bim_applied=True)
    card_only = building(county, "JC-2023-0502", name="试点医院", green_pilot=True, bim_applied=False)
    MonthlyReportFactory(project=card_only, year=2023, month=6, status="draft", bim_applied=True)
    fixed = building(county, "JC-2023-0503", green_pilot=True, bim_applied=False)
    MonthlyReportFactory(project=fixed, year=2023, month=6, status="accepted", bim_applied=True)
    rows = services.unmet_goals(ProjectFactory._meta.model.objects.order_by("code"))
    assert [(r.project_code, r.missed_text, r.source) for r in rows] == [
        (
            "JC-2023-0501",
            "未应用BIM技术（要求应用率100%）",
            "BIM应用：2023年6月项目月报（已接收）；装配率、节能标准：项目登记信息（月报不填报）",
        ),
        (
            "JC-2023-0502",
            "未应用BIM技术（要求应用率100%）",
            "BIM应用、装配率、节能标准：项目登记信息（尚无已接收的项目月报）",
        ),
    ]
    # The project page reads the same figures and names the source.
    assert [missed for _, missed in services.GoalBook().check(fixed)] == []
    client.force_login(county_user)
    page = client.get(reverse("projects:unmet-goal-list")).content.decode()
    assert "数据来源" in page and "BIM应用：2023年6月项目月报（已接收）" in page
    detail = client.get(reverse("projects:project-detail", args=[reported.pk])).content.decode()
    assert "数据来源：BIM应用：2023年6月项目月报（已接收）" in detail


def test_the_unmet_goal_list_reads_the_reports_in_bounded_queries(county, rules, django_assert_max_num_queries):
    """装配率 30 % (registered figure) and BIM from the reports: the subqueries keep one query for the list."""
    for i in range(5):
        p = building(county, f"JC-2023-06{i:02}", green_pilot=True, prefab_rate=Decimal("29"))
        MonthlyReportFactory(project=p, year=2023, month=6, status="accepted", bim_applied=False)
    with django_assert_max_num_queries(3):
        rows = services.unmet_goals(ProjectFactory._meta.model.objects.order_by("code"))
    assert len(rows) == 10  # each project: 装配率29% < 30 % and BIM not applied


def test_only_the_projects_a_rule_can_apply_to_are_read(city_admin, county, django_assert_num_queries):
    """The city's dashboard counts unmet goals over every project: without rules nothing is read but the rules,
    and projects older than the first rules' year (no rule before it, as versioned by year) are not read."""
    building(county, "JC-2021-0401", year=2021, prefab_rate=Decimal("10"))
    with django_assert_num_queries(1):  # the rules, none
        assert services.unmet_goals(ProjectFactory._meta.model.objects.all()) == []
    services.save_goal_rule(None, {**PREFAB_30, "year": 2022}, user=city_admin)
    building(county, "JC-2022-0401", year=2022, prefab_rate=Decimal("10"))
    rows = services.unmet_goals(ProjectFactory._meta.model.objects.order_by("code"))
    assert [(r.project_code, r.missed) for r in rows] == [("JC-2022-0401", ("装配率10%，低于30%",))]


def test_the_panel_counts_per_county_what_the_lists_show(city_admin, county, other_county, rules, clock):
    """The dashboard's 进度滞后 and 未达目标 per county are the lists' rows per county; the lists read only the
    projects a rule may find short (GoalBook.may_miss), and find the same ones as checking every project."""
    services.save_goal_rule(None, {**PREFAB_30, "year": 2021, "min_prefab_rate": Decimal("40")}, user=city_admin)
    building(county, "JC-2023-0801", prefab_rate=Decimal("20"))  # 装配率
    building(county, "JC-2023-0802", energy_standard=None)  # 节能 not reported
    building(county, "JC-2023-0803", green_pilot=True, bim_applied=False)  # BIM
    building(county, "JC-2023-0804", building_use="residential", energy_standard=Decimal("72"))  # 72 < 75
    building(county, "JC-2023-0805")  # meets every goal
    building(other_county, "JC-2022-0806", year=2022, prefab_rate=Decimal("35"))  # 2021's rule: 35 < 40
    building(other_county, "JC-2020-0807", year=2020, prefab_rate=Decimal("1"))  # before any rule
    ProjectFactory(county=other_county, code="JC-2023-0808", category="municipal", prefab_rate=None)  # not covered
    for code, planned, actual in [
        ("JC-2023-0801", dt.date(2023, 3, 1), None),  # late, open
        ("JC-2023-0802", dt.date(2023, 3, 1), dt.date(2023, 5, 1)),  # reached late
        ("JC-2023-0805", dt.date(2023, 3, 1), dt.date(2023, 3, 20)),  # on time
        ("JC-2022-0806", dt.date(2023, 3, 1), None),
    ]:
        project = Project.objects.get(code=code)
        ProjectMilestone.objects.create(project=project, kind="start", planned_on=planned, actual_on=actual)
    request = RequestFactory().get("/")
    request.user = city_admin
    panel = {r["county_id"]: (r["late"], r["unmet"]) for r in programme_panel.uncached(request)["rows"]}

    unmet = services.unmet_goals(Project.objects.order_by("code"))
    book = services.GoalBook()
    assert {r.project_code for r in unmet} == {p.code for p in Project.objects.all() if book.check(p)}
    # the panel's 进度滞后: late and still open, the list's 只看未完成 (?open=1)
    listed_late = Counter(m.project.county_id for m in services.late_milestones(city_admin, open_only=True))
    listed_unmet = Counter(county_id for county_id, _ in {(r.county_id, r.project_id) for r in unmet})
    assert panel == {c: (listed_late[c], listed_unmet[c]) for c in panel}
    assert panel[county.pk] == (1, 4) and panel[other_county.pk] == (1, 1)
