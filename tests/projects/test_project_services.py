"""Registering and editing projects, and the stage history (forward only, backwards by the city admin)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from projects import services
from projects.models import Project, StageChange
from tests.conftest import at
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def base_data(county, **extra):
    data = {
        "code": "JC-2023-1001",
        "name": "高平市人民医院门诊楼",
        "county": county,
        "year": 2023,
        "category": "building",
        "government_invested": True,
        "total_investment": Decimal("12000.50"),
        "floor_area": Decimal("42600.00"),
        "planned_start": dt.date(2023, 3, 1),
        "planned_completion": dt.date(2024, 9, 30),
    }
    data.update(extra)
    return data


def test_county_staff_registers_a_project_and_its_first_stage_is_recorded(county_user, county):
    project = services.create_project(base_data(county), user=county_user)
    assert project.created_by == county_user
    assert project.stage == "cultivation" and project.jingpin_status == "none"
    (first,) = project.stage_changes.all()
    assert first.from_stage == "" and first.to_stage == "cultivation" and first.changed_by == county_user


def test_county_staff_project_defaults_to_own_county(county_user, county):
    data = base_data(county)
    data.pop("county")
    assert services.create_project(data, user=county_user).county == county


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("total_investment", Decimal("-1"), "不能为负数"),
        ("floor_area", Decimal("-0.01"), "不能为负数"),
        ("total_investment", "abc", "十进制"),
        ("prefab_rate", Decimal("100.01"), "百分比不能大于100"),
        ("prefab_rate", Decimal("-5"), "百分比不能小于0"),
    ],
)
def test_bad_numbers_are_refused_with_a_chinese_message_and_nothing_is_written(
    county_user, county, field, value, message
):
    extra = {field: value}
    if field == "prefab_rate":
        extra["prefabricated"] = True
    with pytest.raises(ValidationError) as exc:
        services.create_project(base_data(county, **extra), user=county_user)
    assert message in " ".join(exc.value.message_dict[field])
    assert not Project.objects.exists()


def test_completion_before_start_is_refused(county_user, county):
    with pytest.raises(ValidationError) as exc:
        services.create_project(
            base_data(county, actual_start=dt.date(2023, 5, 1), actual_completion=dt.date(2023, 4, 30)),
            user=county_user,
        )
    assert exc.value.message_dict["actual_completion"] == ["实际竣工日期不能早于实际开工日期。"]
    with pytest.raises(ValidationError) as exc:
        services.create_project(base_data(county, planned_completion=dt.date(2023, 1, 1)), user=county_user)
    assert "计划竣工日期不能早于计划开工日期" in exc.value.message_dict["planned_completion"][0]
    assert not Project.objects.exists()


def test_prefabricated_project_needs_its_prefab_rate(county_user, county):
    with pytest.raises(ValidationError) as exc:
        services.create_project(base_data(county, prefabricated=True), user=county_user)
    assert exc.value.message_dict["prefab_rate"] == ["装配式建筑须填写装配率。"]


def test_county_staff_cannot_register_or_move_a_project_into_another_county(county_user, other_county, project):
    with pytest.raises(ValidationError) as exc:
        services.create_project(base_data(other_county), user=county_user)
    assert "本县" in exc.value.message_dict["county"][0]
    with pytest.raises(ValidationError):
        services.update_project(project, {"county": other_county}, user=county_user)
    project.refresh_from_db()
    assert project.county_id == county_user.region_id


def test_a_duplicate_project_code_is_refused(county_user, county, project):
    with pytest.raises(ValidationError) as exc:
        services.create_project(base_data(county, code=project.code), user=county_user)
    assert exc.value.message_dict["code"] == ["该项目编号已存在。"]


def test_stage_and_jingpin_status_cannot_be_edited_as_fields(county_user, project):
    for field, value in (("stage", "operation"), ("jingpin_status", "certified")):
        with pytest.raises(ValidationError):
            services.update_project(project, {field: value}, user=county_user)
    project.refresh_from_db()
    assert project.stage == "cultivation" and project.jingpin_status == "none"


def test_colleague_and_unit_users_cannot_edit_the_project(colleague, outsider, project):
    for user in (colleague, outsider):
        with pytest.raises(PermissionDenied):
            services.update_project(project, {"name": "改名"}, user=user)
    project.refresh_from_db()
    assert project.name == "高平市第一中学教学楼"


def test_stage_moves_forward_and_every_transition_is_kept_with_date_and_user(county_user, project):
    services.change_stage(project, "planning", user=county_user, changed_on=dt.date(2023, 2, 1))
    services.change_stage(
        project, "construction", user=county_user, changed_on=dt.date(2023, 4, 1), note="取得施工许可"
    )
    project.refresh_from_db()
    assert project.stage == "construction"
    history = list(project.stage_changes.values_list("from_stage", "to_stage", "changed_on", "changed_by"))
    assert history == [
        ("cultivation", "planning", dt.date(2023, 2, 1), county_user.pk),
        ("planning", "construction", dt.date(2023, 4, 1), county_user.pk),
    ]


def test_stage_cannot_move_backwards_for_county_staff_but_can_for_the_city_admin(county_user, city_admin, project):
    services.change_stage(project, "design", user=county_user, changed_on=dt.date(2023, 2, 1))
    with pytest.raises(ValidationError) as exc:
        services.change_stage(project, "planning", user=county_user, changed_on=dt.date(2023, 3, 1))
    assert "回退须由市局管理员操作" in exc.value.message_dict["to_stage"][0]
    services.change_stage(project, "planning", user=city_admin, changed_on=dt.date(2023, 3, 1), note="纠正误操作")
    project.refresh_from_db()
    assert project.stage == "planning"
    assert project.stage_changes.last().changed_by == city_admin


def test_stage_change_dates_must_not_go_back_in_time_or_into_the_future(county_user, project, clock):
    clock.move_to(at(2024, 3, 12, 10))
    services.change_stage(project, "planning", user=county_user, changed_on=dt.date(2023, 5, 1))
    with pytest.raises(ValidationError) as exc:
        services.change_stage(project, "design", user=county_user, changed_on=dt.date(2023, 4, 1))
    assert "不能早于上一次阶段变更日期（2023-05-01）" in exc.value.message_dict["changed_on"][0]
    with pytest.raises(ValidationError) as exc:
        services.change_stage(project, "design", user=county_user, changed_on=dt.date(2024, 3, 15))
    assert exc.value.message_dict["changed_on"] == ["转换日期不能晚于今天。"]
    with pytest.raises(ValidationError):
        services.change_stage(project, "planning", user=county_user)
    assert StageChange.objects.filter(project=project).count() == 1


def test_stage_change_by_another_county_is_refused(colleague, project):
    with pytest.raises(PermissionDenied):
        services.change_stage(project, "planning", user=colleague)


def test_only_city_and_county_staff_register_projects(county):
    expert = UserFactory(role="expert", username="expert")
    with pytest.raises(PermissionDenied):
        services.create_project(base_data(county), user=expert)
