"""Monthly project reports: draft → submitted → accepted / returned (with reason); resubmission keeps the
earlier version; one report per project and month; accepted reports are locked; only participants report."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessment import prefill
from projects import services
from projects.models import MonthlyReport, MonthlyReportVersion
from tests.projects.factories import MonthlyReportFactory

pytestmark = pytest.mark.django_db

FIGURES = {"new_start_area": Decimal("12000.00"), "prefab_area": Decimal("3120.50"), "bim_applied": True}


def test_a_participating_unit_user_drafts_and_submits_a_report(reporter, project):
    report = services.create_report(project, 2023, 6, FIGURES, user=reporter)
    assert report.status == "draft" and report.created_by == reporter
    report = services.submit_report(report, user=reporter)
    assert report.status == "submitted" and report.version == 1 and report.submitted_at
    (version,) = report.versions.all()
    assert version.data["new_start_area"] == "12000.00" and version.submitted_by == reporter


def test_a_second_report_for_the_same_project_and_month_is_refused(reporter, project):
    services.create_report(project, 2023, 6, FIGURES, user=reporter)
    with pytest.raises(ValidationError) as exc:
        services.create_report(project, 2023, 6, FIGURES, user=reporter)
    assert exc.value.message_dict["month"] == ["该项目2023年6月的月报已存在，不能重复填报。"]
    assert MonthlyReport.objects.count() == 1


def test_a_report_for_a_project_the_enterprise_does_not_build_is_refused(outsider, project):
    with pytest.raises(ValidationError) as exc:
        services.create_report(project, 2023, 6, FIGURES, user=outsider)
    assert exc.value.message_dict["project"] == ["您所在单位未参建该项目，不能填报其月报。"]
    assert not MonthlyReport.objects.exists()


def test_county_staff_do_not_fill_reports(county_user, project):
    with pytest.raises(PermissionDenied):
        services.create_report(project, 2023, 6, FIGURES, user=county_user)


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"new_start_area": Decimal("-1")}, "new_start_area", "不能为负数。"),
        ({"renewable_area": "abc"}, "renewable_area", "十进制"),
        ({"green_material_share": Decimal("120")}, "green_material_share", "百分比不能大于100。"),
        ({"new_start_area": Decimal("100"), "prefab_area": Decimal("200")}, "prefab_area", "不能大于新开工建筑面积"),
    ],
)
def test_bad_figures_are_refused_and_nothing_is_written(reporter, project, data, field, message):
    with pytest.raises(ValidationError) as exc:
        services.create_report(project, 2023, 6, data, user=reporter)
    assert message in " ".join(exc.value.message_dict[field])
    assert not MonthlyReport.objects.exists()


def test_a_future_month_or_a_thirteenth_month_is_refused(reporter, project):
    with pytest.raises(ValidationError) as exc:
        services.create_report(project, 2099, 1, FIGURES, user=reporter)
    assert "不能填报未来月份的月报" in exc.value.message_dict["month"][0]
    with pytest.raises(ValidationError) as exc:
        services.create_report(project, 2023, 13, FIGURES, user=reporter)
    assert exc.value.message_dict["month"] == ["月份应为1-12。"]


def test_the_county_accepts_a_submitted_report_and_it_is_locked(reporter, county_user, project):
    report = services.submit_report(services.create_report(project, 2023, 6, FIGURES, user=reporter), user=reporter)
    report = services.accept_report(report, user=county_user)
    assert report.status == "accepted" and report.reviewed_by == county_user and report.reviewed_at
    assert report.versions.get().status == "accepted"
    with pytest.raises(ValidationError) as exc:
        services.update_report(report, {"new_start_area": Decimal("1")}, user=reporter)
    assert exc.value.messages == ["已接收的月报已锁定，不能修改。"]
    with pytest.raises(ValidationError):
        services.submit_report(report, user=reporter)
    with pytest.raises(ValidationError):
        services.return_report(report, "再改改", user=county_user)
    report.refresh_from_db()
    assert report.status == "accepted" and report.new_start_area == Decimal("12000.00")


def test_a_submitted_report_cannot_be_edited_until_returned(reporter, project):
    report = services.submit_report(services.create_report(project, 2023, 6, FIGURES, user=reporter), user=reporter)
    with pytest.raises(ValidationError) as exc:
        services.update_report(report, {"remarks": "改"}, user=reporter)
    assert "等待县局审核" in exc.value.messages[0]


def test_a_return_needs_a_reason_and_resubmission_keeps_the_earlier_version(reporter, county_user, project):
    report = services.submit_report(services.create_report(project, 2023, 6, FIGURES, user=reporter), user=reporter)
    with pytest.raises(ValidationError) as exc:
        services.return_report(report, "  ", user=county_user)
    assert exc.value.message_dict["reason"] == ["退回月报须填写退回原因。"]
    report = services.return_report(report, "装配式面积与施工许可不符。", user=county_user)
    assert report.status == "returned" and report.return_reason == "装配式面积与施工许可不符。"

    report = services.update_report(report, {"prefab_area": Decimal("3000.00")}, user=reporter)
    report = services.submit_report(report, user=reporter)
    assert report.status == "submitted" and report.version == 2 and report.return_reason == ""
    versions = list(MonthlyReportVersion.objects.filter(report=report).order_by("version"))
    assert [(v.version, v.status) for v in versions] == [(1, "returned"), (2, "submitted")]
    assert versions[0].return_reason == "装配式面积与施工许可不符。"
    assert versions[0].data["prefab_area"] == "3120.50" and versions[1].data["prefab_area"] == "3000.00"

    report = services.accept_report(report, user=county_user)
    assert report.versions.get(version=2).status == "accepted"


def test_only_the_projects_county_or_the_city_reviews(reporter, colleague, city_admin, project):
    report = services.submit_report(services.create_report(project, 2023, 6, FIGURES, user=reporter), user=reporter)
    with pytest.raises(PermissionDenied):
        services.accept_report(report, user=colleague)
    with pytest.raises(PermissionDenied):
        services.accept_report(report, user=reporter)
    assert services.accept_report(report, user=city_admin).status == "accepted"


def test_a_draft_cannot_be_accepted(county_user, project):
    report = MonthlyReportFactory(project=project, status="draft")
    with pytest.raises(ValidationError) as exc:
        services.accept_report(report, user=county_user)
    assert "只有“已提交”的月报可以接收" in exc.value.messages[0]


def test_unit_users_see_only_reports_of_their_projects(reporter, outsider, project, other_project):
    mine = MonthlyReportFactory(project=project)
    MonthlyReportFactory(project=other_project)
    assert list(MonthlyReport.objects.visible_to(reporter)) == [mine]
    assert not MonthlyReport.objects.visible_to(outsider).exists()


def test_county_aggregation_counts_accepted_reports_only_from_the_service_flow(reporter, county_user, project):
    june = services.submit_report(services.create_report(project, 2023, 6, FIGURES, user=reporter), user=reporter)
    services.accept_report(june, user=county_user)
    july = services.submit_report(
        services.create_report(project, 2023, 7, {"new_start_area": Decimal("500")}, user=reporter), user=reporter
    )
    figures = prefill.county_month_figures(project.county_id, 2023, 7)
    assert figures.values["new_building_area"] == Decimal("12000.00") and figures.report_count == 1
    services.accept_report(july, user=county_user)
    figures = prefill.county_month_figures(project.county_id, 2023, 7)
    assert figures.values["new_building_area"] == Decimal("12500.00") and figures.report_count == 2
    assert figures.values["prefab_area"] == Decimal("3120.50")
