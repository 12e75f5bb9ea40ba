"""Web pages: lists with filters/sort/export, detail, forms with inline validation, scope (404), review."""

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from projects.models import MonthlyReport, Project
from tests.factories import EnterpriseFactory
from tests.projects.factories import (
    ConstraintRecordFactory,
    MonthlyReportFactory,
    ParticipantFactory,
    ProjectFactory,
    report_row,
    workbook_file,
)

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_project_list_filters_sorts_and_paginates(client, county_user, county):
    for i in range(30):
        ProjectFactory(county=county, code=f"P-{i:03d}", category="municipal" if i % 3 == 0 else "building")
    login(client, county_user)
    response = client.get("/projects/list/?category=municipal&sort=-code")
    assert response.status_code == 200
    codes = [p.code for p in response.context["object_list"]]
    assert codes == sorted(codes, reverse=True) and len(codes) == 10
    response = client.get("/projects/list/?page=2")
    assert len(response.context["object_list"]) == 5
    assert "共 30 条" in response.content.decode()


def test_project_list_export_is_filtered(client, county_user, county):
    ProjectFactory(county=county, code="X-1", name="一中教学楼")
    ProjectFactory(county=county, code="X-2", name="环城路", category="municipal")
    response = login(client, county_user).get("/projects/list/?category=municipal&export=xlsx")
    ws = load_workbook(BytesIO(response.content)).active
    assert [c.value for c in ws["A"]] == ["项目编号", "X-2"]


@pytest.mark.parametrize(
    "url",
    [
        "/projects/list/?export=xlsx",
        "/projects/participants/?export=xlsx",
        "/projects/constraints/?export=xlsx",
        "/projects/reports/?export=xlsx",
        "/projects/reports/review/?export=xlsx",
    ],
)
def test_every_list_exports_to_excel(client, county_user, project, url):
    ConstraintRecordFactory(participant=ParticipantFactory(project=project))
    MonthlyReportFactory(project=project, status="submitted")
    response = login(client, county_user).get(url)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(BytesIO(response.content)).active.max_row == 2


def test_project_detail_shows_participants_warnings_timeline_constraints_reports(client, county_user, project):
    project.green_pilot = True
    project.save()
    ParticipantFactory(project=project, role="supervisor", insurance_policy_no="", insurance_valid_until=None)
    ConstraintRecordFactory(participant=ParticipantFactory(project=project), description="总监未到岗")
    MonthlyReportFactory(project=project, month=6, status="accepted")
    page = login(client, county_user).get(f"/projects/{project.pk}/").content.decode()
    for text in ("强制保险预警", "未投保监理责任险", "阶段时间线", "总监未到岗", "2023年6月", "绿色建造试点要求核对"):
        assert text in page


@pytest.mark.parametrize("who", ["colleague", "outsider"])
def test_pages_of_another_county_or_enterprise_are_404(client, request, who, project):
    user = request.getfixturevalue(who)
    report = MonthlyReportFactory(project=project)
    login(client, user)
    for url in (f"/projects/{project.pk}/", f"/projects/reports/{report.pk}/", f"/projects/reports/{report.pk}/edit/"):
        assert client.get(url).status_code in (403, 404), url
    assert client.get(f"/projects/{project.pk}/").status_code == 404


def test_county_staff_creates_a_project_with_inline_errors_first(client, county_user, county):
    login(client, county_user)
    data = {
        "code": "WEB-1",
        "name": "网页登记项目",
        "year": 2023,
        "category": "building",
        "total_investment": "-3",
        "delivery_mode": "general",
        "green_star_target": "none",
        "planned_start": "2023-05-01",
        "planned_completion": "2023-01-01",
    }
    response = client.post("/projects/new/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "不能为负数。" in page and "计划竣工日期不能早于计划开工日期。" in page
    assert not Project.objects.exists()
    data.update(total_investment="300", planned_completion="2024-01-01")
    response = client.post("/projects/new/", data)
    project = Project.objects.get(code="WEB-1")
    assert response.status_code == 302 and project.county == county and project.stage_changes.count() == 1


def test_inline_validation_answers_with_the_errors_of_filled_fields_only(client, county_user):
    response = login(client, county_user).post("/projects/new/?validate=1", {"prefab_rate": "150", "name": ""})
    page = response.content.decode()
    assert 'id="err-prefab_rate"' in page and "hx-swap-oob" in page
    assert "百分比不能大于100。" in page or "小于或等于100" in page
    assert "这个字段是必填项" not in page
    assert not Project.objects.exists()


def test_stage_change_from_the_detail_page(client, county_user, project):
    login(client, county_user)
    response = client.post(f"/projects/{project.pk}/stage/", {"to_stage": "design", "changed_on": "2023-03-01"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.stage == "design"
    response = client.post(f"/projects/{project.pk}/stage/", {"to_stage": "planning"}, follow=True)
    assert "回退须由市局管理员操作" in response.content.decode()


def test_participant_form_refuses_a_role_the_enterprise_lacks(client, county_user, project):
    designer = EnterpriseFactory(name="某设计院", kinds=["design"])
    response = login(client, county_user).post(
        f"/projects/{project.pk}/participants/new/", {"enterprise": designer.pk, "role": "supervisor"}
    )
    assert response.status_code == 200
    assert "某设计院的单位类别中没有“监理单位”" in response.content.decode()


def test_constraint_record_created_and_closed_on_the_web(client, county_user, project):
    participant = ParticipantFactory(project=project)
    login(client, county_user)
    response = client.post(
        f"/projects/{project.pk}/constraints/new/",
        {"participant": participant.pk, "kind": "material", "occurred_on": "2023-06-01", "description": "钢筋不合格"},
    )
    assert response.status_code == 302
    record = participant.constraint_records.get()
    client.post(f"/projects/constraints/{record.pk}/status/", {"status": "rectified", "note": "已退场复检"})
    record.refresh_from_db()
    assert record.status == "rectified" and record.status_changed_by == county_user


def test_unit_user_sees_my_projects_and_fills_a_report(client, reporter, project, other_project):
    login(client, reporter)
    page = client.get("/projects/mine/").content.decode()
    assert project.code in page and other_project.code not in page
    response = client.post(
        "/projects/reports/new/",
        {
            "project": project.pk,
            "year": 2023,
            "month": 6,
            "new_start_area": "1000",
            "prefab_area": "2000",
            **{f: "0" for f in MonthlyReport.AREA_FIELDS[2:]},
        },
    )
    assert "装配式建筑面积不能大于新开工建筑面积。" in response.content.decode()
    data = {
        "project": project.pk,
        "year": 2023,
        "month": 6,
        "new_start_area": "1000",
        "prefab_area": "260",
        **{f: "0" for f in MonthlyReport.AREA_FIELDS[2:]},
        "submit": "1",
    }
    response = client.post("/projects/reports/new/", data)
    report = MonthlyReport.objects.get()
    assert response.status_code == 302 and report.status == "submitted"
    response = client.post("/projects/reports/new/", data)
    assert "该项目本月的月报已存在。" in response.content.decode()
    assert MonthlyReport.objects.count() == 1


def test_unit_user_cannot_pick_a_project_of_another_enterprise(client, reporter, other_project):
    data = {"project": other_project.pk, "year": 2023, "month": 6, **{f: "0" for f in MonthlyReport.AREA_FIELDS}}
    response = login(client, reporter).post("/projects/reports/new/", data)
    assert response.status_code == 200 and not MonthlyReport.objects.exists()
    assert "选择一个有效的选项" in response.content.decode()


def test_review_queue_accepts_and_returns(client, county_user, colleague, project):
    first = MonthlyReportFactory(project=project, month=5, status="submitted")
    second = MonthlyReportFactory(project=project, month=6, status="submitted")
    MonthlyReportFactory(project=project, month=4, status="accepted")
    login(client, county_user)
    response = client.get("/projects/reports/review/")
    assert [r.pk for r in response.context["object_list"]] == [first.pk, second.pk]
    client.post(f"/projects/reports/{first.pk}/accept/", {"next": "/projects/reports/review/"})
    response = client.post(f"/projects/reports/{second.pk}/return/", {"reason": ""}, follow=True)
    assert "退回月报须填写退回原因。" in response.content.decode()
    client.post(f"/projects/reports/{second.pk}/return/", {"reason": "面积有误"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("accepted", "returned")
    assert login(client, colleague).get("/projects/reports/review/").context["object_list"].count() == 0


def test_accepted_report_edit_page_redirects_with_the_lock_message(client, reporter, project):
    report = MonthlyReportFactory(project=project, status="accepted")
    response = login(client, reporter).get(f"/projects/reports/{report.pk}/edit/", follow=True)
    assert "已接收的月报已锁定，不能修改。" in response.content.decode()


def test_import_page_lists_every_bad_cell(client, reporter, project):
    upload = workbook_file([report_row(project.code, month=6, new=-1), report_row(project.code, month=0)])
    upload.seek(0)
    response = login(client, reporter).post("/projects/reports/import/", {"file": upload})
    page = response.content.decode()
    assert "文件有 2 处错误，未导入任何数据" in page
    assert "第2行" in page and "D（新开工建筑面积（m²））" in page and "月份应为1-12，不能为0。" in page
    assert not MonthlyReport.objects.exists()
    good = workbook_file([report_row(project.code, month=6)])
    response = client.post("/projects/reports/import/", {"file": good}, follow=True)
    assert "导入成功：新增1份" in response.content.decode()
    assert MonthlyReport.objects.get().new_start_area == Decimal("1000.00")


def test_dashboard_shows_the_cultivation_panel_with_the_warning(client, city_admin, county, other_county):
    for i in range(11):
        ProjectFactory(county=county, jingpin_status="cultivating" if i == 0 else "none")
    ProjectFactory(county=other_county, jingpin_status="cultivating")
    page = login(client, city_admin).get("/").content.decode()
    assert "精品工程培育比例（2023年度" in page
    assert "以下县（市、区）培育比例低于10%：高平市（9.09%）" in page


def test_unit_user_dashboard_has_no_cultivation_panel(client, reporter, project):
    page = login(client, reporter).get("/").content.decode()
    assert "项目概况" in page and "培育比例" not in page


def test_a_new_report_form_starts_with_blank_areas_and_each_one_is_required(client, reporter, project):
    login(client, reporter)
    form = client.get("/projects/reports/new/").context["form"]
    html = str(form["new_start_area"])
    assert 'value="0"' not in html and 'value="0.00"' not in html
    assert all(form[name].value() in (None, "") for name in MonthlyReport.AREA_FIELDS)
    response = client.post("/projects/reports/new/", {"project": project.pk, "year": 2023, "month": 6, "submit": "1"})
    assert "请填写新开工建筑面积（m²）；本月没有请填0。" in response.content.decode()
    assert not MonthlyReport.objects.exists()


def test_an_all_zero_report_needs_the_no_change_tick(client, reporter, project):
    data = {
        "project": project.pk,
        "year": 2023,
        "month": 6,
        **{f: "0" for f in MonthlyReport.AREA_FIELDS},
        "submit": "1",
    }
    response = login(client, reporter).post("/projects/reports/new/", data)
    assert "各项面积均为0：如本月确无变化，请勾选“本月无变化，确认各项面积均为0”。" in response.content.decode()
    assert not MonthlyReport.objects.exists()
    response = client.post("/projects/reports/new/", {**data, "confirm_zero": "on"})
    assert response.status_code == 302 and MonthlyReport.objects.get().status == "submitted"
