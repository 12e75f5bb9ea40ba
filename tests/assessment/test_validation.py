"""Validation at submission: refused with Chinese messages and nothing changes; flags for the reviewer."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from assessment import services
from assessment.choices import Status
from tests.assessment.factories import GAOPING_JUNE, REPORT, filled_submission, local, submitted, target
from tests.conftest import at
from tests.projects_factories import MonthlyReportFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _targets(county):
    target(county)


def test_required_fields_must_be_filled_a_zero_is_a_zero_not_a_blank(county, county_user):
    sub = services.get_or_create_submission(county, 2023, 6, user=county_user)
    with pytest.raises(ValidationError) as exc:
        services.submit(sub, user=county_user)
    errors = exc.value.message_dict
    assert "数据为0的也要填写0" in errors["new_building_area"][0]
    assert "report_tasks" in errors and "self_score" in errors
    sub.refresh_from_db()
    assert sub.status == Status.DRAFT and sub.first_submitted_at is None


def test_negative_areas_are_refused_and_nothing_changes(county, county_user):
    sub = filled_submission(county, county_user)
    with pytest.raises(ValidationError) as exc:
        services.update_submission(sub, {"prefab_area": "-1", "renewable_area": "1"}, user=county_user)
    assert exc.value.message_dict["prefab_area"] == ["不能为负数。"]
    sub.refresh_from_db()
    assert sub.prefab_area == D("7.80") and sub.renewable_area == D("12.34")


def test_values_are_cut_never_rounded_on_input(county, county_user):
    sub = filled_submission(county, county_user)
    sub = services.update_submission(sub, {"prefab_area": "7.899"}, user=county_user)
    assert sub.prefab_area == D("7.89")


def test_ratios_above_100_percent_are_refused(county, county_user):
    sub = filled_submission(county, county_user, data={**GAOPING_JUNE, "prefab_area": "31"})
    with pytest.raises(ValidationError) as exc:
        services.submit(sub, user=county_user)
    assert "超过100%" in exc.value.message_dict["prefab_area"][0]


def test_cumulative_figures_below_last_month_need_an_explanation(county, county_user):
    submitted(county, county_user, month=5)
    june = filled_submission(county, county_user, month=6, data={**GAOPING_JUNE, "green_area_accepted": "20.00"})
    with pytest.raises(ValidationError) as exc:
        services.submit(june, user=county_user)
    assert "低于5月" in exc.value.message_dict["green_area_accepted"][0]
    services.update_submission(june, {"decrease_explanation": "一个项目验收被撤销，核减1.5万m²"}, user=county_user)
    assert services.submit(june, user=county_user, now=local(2023, 6, 10, 9)).status == Status.SUBMITTED


def test_values_far_outside_the_countys_history_are_flagged_not_refused(county, county_user):
    base = {k: v for k, v in GAOPING_JUNE.items()}
    for month, new_area in ((1, "5"), (2, "10"), (3, "15")):
        submitted(
            county,
            county_user,
            month=month,
            data={
                **base,
                "new_building_area": new_area,
                "renewable_area": "1",
                "green_area_accepted": "1",
                "green_area_star_rated": "1",
                "prefab_area": "1",
            },
        )
    april = filled_submission(
        county,
        county_user,
        month=4,
        data={
            **base,
            "new_building_area": "90",
            "renewable_area": "1",
            "green_area_accepted": "1",
            "green_area_star_rated": "1",
            "prefab_area": "1",
        },
    )
    april = services.submit(april, user=county_user, now=local(2023, 4, 10, 9))
    assert april.status == Status.SUBMITTED
    outliers = [f for f in april.flags if f["code"] == "outlier"]
    assert [f["field"] for f in outliers] == ["new_building_area"]
    assert "远高于本县此前月均" in outliers[0]["message"]


def test_items_scored_without_evidence_are_flagged_no_evidence(county, county_user, client):
    """ "无印证材料的不计分" (seed 002 附件1 四): flagged for the reviewer, and scored 0."""
    sub = submitted(county, county_user, evidence=False)
    flagged = {f["item"] for f in sub.flags if f["code"] == "no_evidence"}
    assert {"A1", "D1", "B2"} <= flagged and "B3" not in flagged  # B3 scored 0 anyway
    d1 = sub.item_scores.get(item__code="D1")
    assert d1.evidence_missing and d1.score == 0 and sub.score == 0
    client.force_login(county_user)
    assert "无印证材料，不计分" in client.get(f"/assessment/submissions/{sub.pk}/").content.decode()


def test_prefill_from_accepted_project_reports_converts_to_wan_m2_cut_and_marks_each_value(county, county_user):
    project = ProjectFactory(county=county)
    MonthlyReportFactory(
        project=project, month=5, status="accepted", new_start_area=D("123456.78"), prefab_area=D("33333.33")
    )
    MonthlyReportFactory(project=ProjectFactory(county=county), month=6, status="submitted", new_start_area=D("99999"))
    sub = services.get_or_create_submission(county, 2023, 6, user=county_user)
    filled = services.prefill_from_projects(sub, user=county_user)
    sub.refresh_from_db()
    assert sub.new_building_area == D("12.34")  # 12.345678 → cut, not 12.35
    assert sub.prefab_area == D("3.33")
    assert sub.prefilled["new_building_area"] == "12.34" and set(filled) == set(sub.prefilled)
    assert sub.audit.filter(kind="figure", reason__contains="项目月报预填").exists()


def test_a_corrected_prefilled_value_needs_a_note(county, county_user):
    sub = services.get_or_create_submission(county, 2023, 6, user=county_user)
    services.prefill_from_projects(sub, user=county_user)
    sub = services.update_submission(sub, {**GAOPING_JUNE, **REPORT}, user=county_user)
    with pytest.raises(ValidationError) as exc:
        services.submit(sub, user=county_user)
    assert "更正说明" in exc.value.message_dict["new_building_area"][0]
    notes = {f: "部分项目月报尚未接收，按县局台账填报" for f in sub.prefilled}
    sub = services.update_submission(sub, {}, user=county_user, notes=notes)
    assert services.submit(sub, user=county_user, now=local(2023, 6, 10, 9)).status == Status.SUBMITTED


def test_a_future_month_cannot_be_opened(county, county_user, clock):
    import pytest
    from django.core.exceptions import ValidationError

    from assessment import services
    from assessment.models import Submission
    from tests.assessment.factories import target

    clock.move_to(at(2024, 12, 31, 23, 0))  # the last evening of 2024 in Shanghai
    target(county, year=2025)
    year, month = 2025, 1
    with pytest.raises(ValidationError) as exc:
        services.get_or_create_submission(county, year, month, user=county_user)
    assert "不能填报未来月份" in str(exc.value)
    assert not Submission.objects.filter(county=county, year=year, month=month).exists()


@pytest.mark.django_db
def test_a_deadline_exception_cannot_reach_into_the_far_future(county, city_admin):
    import datetime as dt

    from django.core.exceptions import ValidationError

    from assessment import services
    from assessment.models import DeadlineException
    from tests.assessment.factories import local

    with pytest.raises(ValidationError) as exc:
        services.grant_exception(
            county, 2023, 6, user=city_admin, new_deadline=dt.datetime(9999, 12, 31, 23, 59), reason="系统故障"
        )
    assert "正常截止时间或今天起90天内" in str(exc.value)
    services.grant_exception(
        county, 2023, 6, user=city_admin, new_deadline=local(2023, 6, 25, 18, 0), reason="系统故障"
    )
    assert DeadlineException.objects.count() == 1
