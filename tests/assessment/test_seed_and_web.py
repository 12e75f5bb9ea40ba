"""Reference and demo seeds; the web pages of the county form and the city review."""

import datetime as dt
import io
from decimal import Decimal as D

import pytest

from accounts.seed import seed_reference as seed_accounts
from assessment import services
from assessment.choices import Status
from assessment.models import AnnualTarget, Rubric, Submission
from assessment.seed import seed_demo, seed_reference
from tests.assessment.factories import GAOPING_JUNE, REPORT, filled_submission, local, submitted, target
from tests.xlsx import sheet_rows

pytestmark = pytest.mark.django_db


def test_reference_seed_is_the_2023_rubric_and_targets_and_is_idempotent():
    seed_accounts(io.StringIO())
    seed_reference(io.StringIO())
    seed_reference(io.StringIO())
    rubric = Rubric.objects.get(year=2023)
    items = list(rubric.items.order_by("order"))
    assert [i.code for i in items] == [
        "A1", "A2", "A3", "A4", "A5", "A6", "B1", "B2", "B3", "B4", "B5", "B6", "B7", "C1", "D1", "D2", "D3", "D4",
    ]  # fmt: skip
    assert sum(i.max_points for i in items) == 100
    groups = {g.name: g.max_points for g in rubric.groups.all()}
    assert groups == {
        "建筑节能": 24,
        "绿色建筑": 40,
        "绿色创新示范": 6,
        "装配式建筑": 20,
        "BIM技术推广应用": 5,
        "科技创新": 5,
    }
    for group in rubric.groups.all():
        assert sum(i.max_points for i in group.items.all()) == group.max_points
    targets = {
        t.county.name: t for t in AnnualTarget.objects.filter(year=2023).select_related("county__parent__parent")
    }
    assert len(targets) == 7
    assert targets["阳城县"].retrofit_residential_area == D("9.75")
    assert targets["陵川县"].retrofit_public_area == D("5")
    assert sum(t.retrofit_residential_area for t in targets.values()) == D("34.75")
    assert {t.effective_prefab_ratio() for t in targets.values()} == {D("24")}


def test_demo_seed_has_every_state_and_the_worked_example(settings, tmp_path, demo_clock):
    """Built on DEMO_TODAY (2024-03-12): 2023 complete and published, 2024 up to the open month of March."""
    from accounts.seed import seed_demo as seed_accounts_demo

    out = io.StringIO()
    seed_accounts(out)
    seed_accounts_demo(out)
    seed_reference(out)
    seed_demo(out)
    seed_demo(out)  # idempotent
    previous = Submission.objects.filter(year=2023)
    assert previous.count() == 84 and set(previous.values_list("status", flat=True)) == {Status.PUBLISHED}
    gaoping = previous.get(county__name="高平市", month=6)
    assert (gaoping.items_total, gaoping.score) == (D("73.53"), D("74.53"))  # the seed's worked example
    assert len(set(previous.filter(month=6).values_list("score", flat=True))) >= 5  # varied
    assert previous.filter(adjustments__isnull=False).count() == 2

    def states(month):
        subs = Submission.objects.filter(year=2024, month=month).select_related("county")
        return {s.county.name: (s.status, s.is_late) for s in subs}

    january = states(1)
    assert january["陵川县"] == (Status.PUBLISHED, True) and len(january) == 7
    assert Submission.objects.get(year=2024, month=1, county__name="陵川县").score == 0
    february = states(2)
    assert "沁水县" not in february and february["阳城县"] == (Status.RETURNED, False)
    assert {s for s, _ in february.values()} == {Status.APPROVED, Status.SUBMITTED, Status.RETURNED}
    march = states(3)  # open, before its deadline: three on time, two drafts, two not started
    assert sorted(s for s, _ in march.values()) == [Status.DRAFT] * 2 + [Status.SUBMITTED] * 3
    assert not any(late for _, late in march.values())
    rubric_2024 = Rubric.objects.get(year=2024)
    assert rubric_2024.based_on.year == 2023 and rubric_2024.items.count() == 18
    assert AnnualTarget.objects.filter(year=2024).count() == 7


@pytest.mark.parametrize(
    "today, late, missing, returned, march",
    [
        # today        late (陵川县)  missing (沁水县) returned (阳城县)  fate of this month for 城区 / 陵川县
        ("2024-03-12", (2024, 1), (2024, 2), (2024, 2), ("submitted", "none")),
        ("2024-03-25", (2024, 1), (2024, 2), (2024, 2), ("submitted", "draft")),  # after the 20th: overdue draft
        ("2027-01-01", (2026, 12), (2026, 11), (2027, 1), ("submitted", "none")),  # January: previous December
        ("2027-01-21", (2026, 12), (2026, 11), (2027, 1), ("submitted", "draft")),
        ("2027-02-03", (2027, 1), (2027, 1), (2027, 1), ("submitted", "none")),
        ("2026-12-01", (2026, 1), (2026, 2), (2026, 11), ("submitted", "none")),
    ],
)
def test_the_demo_plan_for_any_day(today, late, missing, returned, march):
    import datetime as dt

    from assessment.seed import DemoPlan

    day = dt.date.fromisoformat(today)
    plan = DemoPlan.for_day(day)
    assert (plan.late, plan.missing, plan.returned) == (late, missing, returned)
    assert (plan.fate("城区", 0, day.year, day.month), plan.fate("陵川县", 5, day.year, day.month)) == march
    assert plan.months()[0] == (day.year - 1, 1) and plan.months()[-1] == (day.year, day.month)
    for year, month in plan.months()[:12]:  # the previous year: published, except the missing month
        fates = {plan.fate(c, i, year, month) for i, c in enumerate(["城区", "阳城县", "陵川县", "沁水县"])}
        assert fates <= {"published", "none"}
    assert plan.sent_at("陵川县", 5, *plan.late).day == 22  # late: after the 20th


def test_county_fills_the_form_sees_the_live_preview_and_submits(client, county, county_user):
    target(county)
    sub = filled_submission(county, county_user, data={k: v for k, v in GAOPING_JUNE.items() if k == "bim_met"})
    client.force_login(county_user)
    page = client.get(f"/assessment/submissions/{sub.pk}/edit/").content.decode()
    assert "建筑节能（24分）" in page and "A1 新建建筑节能标准执行率100%" in page and "得分预览" in page
    form = {k: ("on" if v is True else v) for k, v in {**GAOPING_JUNE, **REPORT}.items() if v is not False}
    preview = client.post(f"/assessment/submissions/{sub.pk}/preview/", form, HTTP_HX_REQUEST="true").content.decode()
    assert "73.53" in preview and "封顶20" in preview
    sub.refresh_from_db()
    assert sub.new_building_area is None  # preview saves nothing
    response = client.post(f"/assessment/submissions/{sub.pk}/edit/", {**form, "submit": "1"})
    assert response.status_code == 302, [m.message for m in response.context["messages"]] + [
        response.context["form"].errors
    ]
    sub.refresh_from_db()
    assert sub.status == Status.SUBMITTED and sub.items_total == D("73.53")


def test_form_errors_are_shown_inline_in_chinese(client, county, county_user):
    target(county)
    sub = filled_submission(county, county_user)
    client.force_login(county_user)
    response = client.post(f"/assessment/submissions/{sub.pk}/edit/", {"prefab_area": "-1", "submit": "1"})
    assert response.status_code == 400
    assert "不能为负数" in response.content.decode()


def test_city_reviews_adjusts_approves_and_publishes_on_the_web(client, county, county_user, city_admin):
    target(county)
    sub = submitted(county, county_user)
    client.force_login(city_admin)
    assert str(sub.county) in client.get("/assessment/review/").content.decode()
    client.post(f"/assessment/submissions/{sub.pk}/adjust/", {"points": "1", "reason": "创新性工作"})
    client.post(f"/assessment/submissions/{sub.pk}/return/", {"comment_D1": "请核实", "general": "", "confirmed": "1"})
    sub.refresh_from_db()
    assert sub.status == Status.RETURNED and sub.score == D("74.53")
    client.force_login(county_user)
    assert "请核实" in client.get(f"/assessment/submissions/{sub.pk}/edit/").content.decode()
    client.post(
        f"/assessment/submissions/{sub.pk}/edit/",
        {
            **{k: ("on" if v is True else v) for k, v in {**GAOPING_JUNE, **REPORT}.items() if v is not False},
            "submit": "1",
        },
    )
    client.force_login(city_admin)
    client.post(f"/assessment/submissions/{sub.pk}/approve/")
    client.post(f"/assessment/submissions/{sub.pk}/publish/")
    sub.refresh_from_db()
    assert sub.status == Status.PUBLISHED
    ranking_page = client.get("/assessment/ranking/?year=2023&month=6").content.decode()
    assert "74.53" in ranking_page and "ranking-chart" in ranking_page


def test_county_cannot_use_city_actions_on_the_web(client, county, county_user):
    target(county)
    sub = submitted(county, county_user)
    client.force_login(county_user)
    assert client.post(f"/assessment/submissions/{sub.pk}/approve/").status_code == 403
    assert client.post("/assessment/exceptions/", {}).status_code == 403


def test_dashboard_shows_the_city_panel_with_grid_chart_and_progress(client, county, county_user, city_admin):
    target(county)
    submitted(county, county_user)
    client.force_login(city_admin)
    page = client.get("/").content.decode()
    assert 'data-testid="status-grid"' in page and "目标任务完成进度" in page
    # nothing approved yet: the ranking card says so (the charts start from static/js/dashboard-charts.js)
    assert 'data-testid="ranking-empty"' in page and "js/dashboard-charts.js" in page
    client.force_login(county_user)
    assert "本县月度考评" in client.get("/").content.decode()


def test_every_list_page_exports_excel(client, county, county_user, city_admin):
    target(county)
    submitted(county, county_user)
    services.grant_exception(
        county, 2023, 7, user=city_admin, new_deadline=local(2023, 8, 25, 18, 0), reason="暴雨停电，系统无法报送"
    )
    client.force_login(city_admin)
    exports = {}
    for url in (
        "/assessment/?export=xlsx",
        "/assessment/annual/?year=2023&export=xlsx",
        "/assessment/exceptions/?export=xlsx",
    ):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats"), (
            url
        )
        exports[url] = sheet_rows(response.content)
    [submission] = exports["/assessment/?export=xlsx"]
    assert (submission["县（市、区）"], submission["年度"], submission["月份"], submission["状态"]) == (
        county.name,
        2023,
        6,
        "已报送",
    )
    assert D(str(submission["月度得分"])) == D("73.53")
    [annual] = exports["/assessment/annual/?year=2023&export=xlsx"]
    assert annual["县（市、区）"] == county.name and annual["排名"] == 1
    assert annual["6月"] == "待审核", annual["6月"]
    assert annual["5月"] != annual["6月"] and not isinstance(annual["5月"], float), annual["5月"]
    [exception] = exports["/assessment/exceptions/?export=xlsx"]
    assert (exception["县（市、区）"], exception["年度"], exception["月份"]) == (county.name, 2023, 7)
    assert exception["理由"] == "暴雨停电，系统无法报送"
    assert exception["延至"] == dt.datetime(2023, 8, 25, 18, 0)
    for url in ("/assessment/targets/?year=2023", "/assessment/rubric/?year=2023", "/assessment/annual/?year=2023"):
        assert client.get(url).status_code == 200, url
