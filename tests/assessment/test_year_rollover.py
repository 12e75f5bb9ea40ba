"""Year rollover: the city admin starts a year from the previous one (rubric + targets), checks the rubric
maxima, edits the targets; pages of a year not set up say so; the county's form warns of an overdue month."""

import io
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Region
from accounts.seed import seed_reference as seed_regions
from assessment import services, years
from assessment.models import AnnualTarget, AuditEntry, Rubric, Submission
from assessment.seed import seed_reference
from tests.assessment.factories import attach_evidence
from tests.conftest import at
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference(clock):
    """Regions, the 2023 rubric and targets (reference data); the clock in 2024 (no 2024 rubric yet)."""
    seed_regions(io.StringIO())
    seed_reference(io.StringIO())
    AnnualTarget.objects.filter(year=2023, county__name="城区").update(final_target_score=D("88.5"))
    return Region.objects.filter(level="county", parent__code="140500").order_by("order")


@pytest.fixture
def city(reference):
    return UserFactory(role="city_admin", username="city")


@pytest.fixture
def gaoping_staff(reference):
    return UserFactory(role="county_staff", region=reference.get(name="高平市"), username="gaoping")


def snapshot():
    return (
        list(Rubric.objects.values_list("year", "version")),
        list(AnnualTarget.objects.order_by("pk").values_list("year", "county_id", "retrofit_residential_area")),
        AuditEntry.objects.count(),
    )


# --- services ---------------------------------------------------------------------------------------
def test_start_year_copies_the_rubric_as_a_new_version_and_the_targets(city, reference):
    assert not years.is_set_up(2024)
    rubric = years.start_year(2024, user=city)
    source = Rubric.objects.get(year=2023)
    assert (rubric.year, rubric.version, rubric.based_on, rubric.frozen_at) == (2024, 1, source, None)
    assert "由2023年第1版复制" in rubric.change_note
    copy = [(i.code, i.group.name, i.max_points, i.kind, i.params) for i in rubric.items.select_related("group")]
    original = [(i.code, i.group.name, i.max_points, i.kind, i.params) for i in source.items.select_related("group")]
    assert copy == original and len(copy) == 18
    assert years.rubric_checks(rubric)[1:] == (D(100), [])
    targets = {t.county.name: t for t in AnnualTarget.objects.filter(year=2024).select_related("county")}
    assert len(targets) == 7 and targets["阳城县"].retrofit_residential_area == D("9.75")
    assert targets["城区"].final_target_score is None  # the city's year-end score is not copied
    assert AuditEntry.objects.filter(kind="rubric", year=2024, field="2024年赋分表").exists()


def test_after_start_year_the_months_are_open_for_the_counties(city, gaoping_staff, clock):
    clock.move_to(at(2024, 1, 8, 9))
    county = gaoping_staff.region
    with pytest.raises(ValidationError, match="2024年尚未设定考评赋分表"):
        services.get_or_create_submission(county, 2024, 1, user=gaoping_staff)
    years.start_year(2024, user=city)
    sub = services.get_or_create_submission(county, 2024, 1, user=gaoping_staff)
    assert sub.rubric.year == 2024 and sub.status == "draft"
    assert years.rubric_in_use(sub.rubric)


@pytest.mark.parametrize(
    "year, source, message",
    [
        ("abc", None, "请填写年度"),
        (1999, None, "年度应在2000至2100之间"),
        (2023, None, "2023年已设定考评赋分表"),
        (2024, 2019, "2019年没有可复制的考评赋分表"),
    ],
)
def test_start_year_refuses_bad_input_and_changes_nothing(city, year, source, message):
    before = snapshot()
    with pytest.raises(ValidationError, match=message):
        years.start_year(year, user=city, source_year=source)
    assert snapshot() == before


def test_start_year_refuses_a_source_rubric_whose_groups_do_not_add_up_to_100(city):
    group = Rubric.objects.get(year=2023).groups.get(name="建筑节能")
    group.max_points = D("25")
    group.save()
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        years.start_year(2024, user=city)
    text = " ".join(exc.value.messages)
    assert "各分组分值合计101分，应为100分" in text and "“绿色发展/建筑节能”各项满分合计24分" in text
    assert snapshot() == before


def test_county_staff_and_experts_cannot_start_a_year(gaoping_staff, reference):
    before = snapshot()
    for user in (gaoping_staff, UserFactory(role="expert", username="expert")):
        with pytest.raises(PermissionDenied, match="只有市局管理员"):
            years.start_year(2024, user=user)
    assert snapshot() == before


def test_rubric_maxima_change_only_when_every_group_adds_up(city):
    rubric = years.start_year(2024, user=city)
    a1, a2 = rubric.items.get(code="A1"), rubric.items.get(code="A2")
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        years.update_rubric_maxima(rubric, user=city, groups={}, items={"A1": str(a1.max_points + 1)})
    assert "各项满分合计25分，与分组分值24分不一致" in " ".join(exc.value.messages)
    with pytest.raises(ValidationError, match="A2满分应为0至100之间的数字"):
        years.update_rubric_maxima(rubric, user=city, groups={}, items={"A2": "很多"})
    assert snapshot() == before
    years.update_rubric_maxima(
        rubric, user=city, groups={}, items={"A1": str(a1.max_points + 1), "A2": str(a2.max_points - 1)}
    )
    a1.refresh_from_db()
    assert a1.max_points == Rubric.objects.get(year=2023).items.get(code="A1").max_points + 1
    assert years.rubric_checks(rubric)[2] == []


def test_rubric_maxima_of_a_version_used_only_by_open_months_change_in_place_and_rescore_them(
    city, gaoping_staff, clock
):
    clock.move_to(at(2024, 2, 3, 9))
    rubric = years.start_year(2024, user=city)
    sub = services.get_or_create_submission(gaoping_staff.region, 2024, 1, user=gaoping_staff)
    changed = years.update_rubric_maxima(rubric, user=city, groups={}, items={"A1": "5", "A2": "1"}, note="试行")
    assert changed == rubric and Rubric.objects.filter(year=2024).count() == 1
    sub.refresh_from_db()
    assert sub.rubric == rubric and sub.item_scores.get(item__code="A1").item.max_points == D("5")


def test_rubric_maxima_of_a_published_version_make_the_next_version(city, gaoping_staff, clock):
    clock.move_to(at(2024, 2, 3, 9))
    rubric = years.start_year(2024, user=city)
    sub = services.get_or_create_submission(gaoping_staff.region, 2024, 1, user=gaoping_staff)
    Rubric.objects.filter(pk=rubric.pk).update(frozen_at=at(2024, 2, 1, 9))  # as publishing a month does
    changed = years.update_rubric_maxima(rubric, user=city, groups={}, items={"A1": "5", "A2": "1"}, note="试行")
    assert (changed.year, changed.version, changed.based_on) == (2024, 2, rubric)
    assert changed.items.get(code="A1").max_points == D("5") and rubric.items.get(code="A1").max_points == D("4")
    assert years.rubric_checks(changed)[1:] == (D(100), [])
    sub.refresh_from_db()
    assert sub.rubric == rubric  # moves only through services.adopt_rubric_version
    with pytest.raises(ValidationError, match="只能修改最新版本"):
        years.update_rubric_maxima(rubric, user=city, groups={}, items={"A1": "6", "A2": "0"})


def test_targets_are_saved_as_a_whole_or_not_at_all_and_reopen_the_scores(city, gaoping_staff, clock):
    clock.move_to(at(2024, 2, 3, 9))
    years.start_year(2024, user=city)
    county = gaoping_staff.region
    sub = services.get_or_create_submission(county, 2024, 1, user=gaoping_staff)
    attach_evidence(sub, gaoping_staff, ["A3"])  # 无印证材料的不计分
    services.update_submission(sub, {"retrofit_residential_area": "3.5"}, user=gaoping_staff)
    sub.refresh_from_db()
    score_before = sub.items_total
    chengqu = Region.objects.get(name="城区")
    good = {"retrofit_residential_area": "3.5", "retrofit_public_area": "1", "prefab_ratio": "", "green_ratio": "80"}
    good |= {"innovation_projects": "1", "sci_tech_registrations": "1"}
    before = snapshot()
    bad = {**good, "green_ratio": "120", "innovation_projects": "两个"}
    with pytest.raises(ValidationError) as exc:
        years.save_targets(2024, user=city, rows={str(county.pk): good, str(chengqu.pk): bad})
    messages = exc.value.message_dict
    assert messages[f"{chengqu.pk}_green_ratio"] == ["城区：绿色建筑比例（%）应为0至100之间的数字（最多两位小数）。"]
    assert messages[f"{chengqu.pk}_innovation_projects"] == ["城区：培育绿色建筑创新项目（个）应为0至1000之间的整数。"]
    assert snapshot() == before  # 高平市's good row was not saved either
    assert years.save_targets(2024, user=city, rows={str(county.pk): good}) == 1
    target = AnnualTarget.objects.get(county=county, year=2024)
    assert target.retrofit_residential_area == D("3.5") and target.prefab_ratio is None
    sub.refresh_from_db()
    assert sub.items_total > score_before  # 3.5 of 3.5 instead of 3.5 of 7: the open month is re-scored
    assert years.save_targets(2024, user=city, rows={str(county.pk): good}) == 0  # nothing changed, nothing audited
    with pytest.raises(ValidationError, match="2030年尚未设定考评赋分表"):
        years.save_targets(2030, user=city, rows={str(county.pk): good})
    with pytest.raises(PermissionDenied):
        years.save_targets(2024, user=gaoping_staff, rows={str(county.pk): good})


# --- web --------------------------------------------------------------------------------------------
def test_city_admin_starts_a_year_on_the_web_page(client, city):
    client.force_login(city)
    page = client.get("/assessment/years/?year=2024").content.decode()
    assert "2024年尚未设定考评赋分表和年度目标任务" in page and "2023年赋分表（最新版本）与目标任务" in page
    response = client.post("/assessment/years/", {"year": "2024", "action": "start", "source_year": "2023"})
    assert response.status_code == 302 and response["Location"] == "/assessment/years/?year=2024"
    page = client.get("/assessment/years/?year=2024").content.decode()
    assert "已设定2024年度" in page and "✓ 100分" in page and 'data-testid="targets-table"' in page
    assert Rubric.objects.filter(year=2024).count() == 1 and AnnualTarget.objects.filter(year=2024).count() == 7


def test_the_targets_table_shows_chinese_errors_and_saves_nothing(client, city):
    years.start_year(2024, user=city)
    client.force_login(city)
    yangcheng = Region.objects.get(name="阳城县")
    before = snapshot()
    response = client.post(
        "/assessment/years/",
        {"year": "2024", "action": "targets", f"t-{yangcheng.pk}-retrofit_residential_area": "-1"}
        | {f"t-{yangcheng.pk}-{f}": "1" for f in ("retrofit_public_area", "green_ratio")}
        | {f"t-{yangcheng.pk}-{f}": "1" for f in ("innovation_projects", "sci_tech_registrations")},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "未保存，请改正以下问题：阳城县：既有居住建筑节能改造（万m²）应为不小于0的数字" in page
    assert 'value="-1"' in page and "is-invalid" in page
    assert snapshot() == before


def test_the_rubric_check_is_shown_and_wrong_maxima_are_refused_on_the_page(client, city):
    rubric = years.start_year(2024, user=city)
    client.force_login(city)
    group = rubric.groups.get(name="建筑节能")
    response = client.post("/assessment/years/", {"year": "2024", "action": "rubric", f"group-{group.pk}": "30"})
    assert response.status_code == 400
    assert "各分组分值合计106分，应为100分" in response.content.decode()
    group.refresh_from_db()
    assert group.max_points == 24


def test_county_staff_cannot_open_or_post_the_year_page(client, gaoping_staff):
    client.force_login(gaoping_staff)
    assert client.get("/assessment/years/?year=2024").status_code == 403
    assert client.post("/assessment/years/", {"year": "2024", "action": "start"}).status_code == 403
    assert not Rubric.objects.filter(year=2024).exists()


@pytest.mark.parametrize("path", ["ranking", "annual", "targets", "rubric"])
def test_pages_of_a_year_not_set_up_say_so_instead_of_tables_of_zeros(client, city, gaoping_staff, path):
    client.force_login(city)
    page = client.get(f"/assessment/{path}/?year=2026").content.decode()
    assert "2026年尚未设定考评赋分表，暂无2026年的考评数据" in page
    assert 'href="/assessment/years/?year=2026"' in page and "<table" not in page
    client.force_login(gaoping_staff)
    page = client.get(f"/assessment/{path}/?year=2026").content.decode()
    assert "请联系市局" in page and "/assessment/years/" not in page and "<table" not in page
    years.start_year(2026, user=city)
    assert "尚未设定" not in client.get(f"/assessment/{path}/?year=2026").content.decode()


def test_the_county_is_told_to_contact_the_city_when_this_year_is_not_set_up(client, gaoping_staff, clock):
    clock.move_to(at(2026, 12, 1, 10))
    client.force_login(gaoping_staff)
    assert (
        "2026年尚未设定考评赋分表，暂无2026年的考评数据。\n  请联系市局" in client.get("/assessment/").content.decode()
    )
    response = client.post("/assessment/start/", {"year": "2026", "month": "12"}, follow=True)
    assert "2026年尚未设定考评赋分表，暂不能填报，请联系市局。" in response.content.decode()
    assert not Submission.objects.exists()


def test_the_form_warns_before_submitting_that_the_month_is_overdue(client, city, gaoping_staff, clock):
    clock.move_to(at(2024, 3, 20, 23, 59))
    years.start_year(2024, user=city)
    sub = services.get_or_create_submission(gaoping_staff.region, 2024, 3, user=gaoping_staff)
    client.force_login(gaoping_staff)
    assert 'data-testid="overdue"' not in client.get(f"/assessment/submissions/{sub.pk}/edit/").content.decode()
    clock.move_to(at(2024, 3, 21, 0, 0, 1))
    page = client.get(f"/assessment/submissions/{sub.pk}/edit/").content.decode()
    assert 'data-testid="overdue"' in page and "逾期报送当月得分为0分" in page and "2024年3月20日 23:59" in page


# --- API --------------------------------------------------------------------------------------------
def test_the_api_starts_a_year_for_the_city_and_refuses_county_staff(city, gaoping_staff):
    from tests.conftest import api_client_for

    response = api_client_for(gaoping_staff).post("/api/v1/assessment/years/", {"year": 2024}, format="json")
    assert response.status_code == 403 and "只有市局管理员" in str(response.json())
    response = api_client_for(city).post("/api/v1/assessment/years/", {"year": "二〇二四"}, format="json")
    assert response.status_code == 400
    assert not Rubric.objects.filter(year=2024).exists()
    response = api_client_for(city).post("/api/v1/assessment/years/", {"year": 2024, "source_year": 2023})
    assert response.status_code == 201 and (response.json()["year"], response.json()["version"]) == (2024, 1)
    again = api_client_for(city).post("/api/v1/assessment/years/", {"year": 2024})
    assert again.status_code == 400 and "2024年已设定考评赋分表" in str(again.json())
