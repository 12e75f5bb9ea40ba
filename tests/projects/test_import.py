"""Excel import of monthly reports: the whole file is validated first, every bad cell is reported with sheet,
row, column and a Chinese reason, and nothing is written unless all is valid."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from assessment import prefill
from projects import imports, services
from projects.models import MonthlyReport
from tests.projects.factories import MonthlyReportFactory, UploadedBytes, report_row, workbook_file

pytestmark = pytest.mark.django_db


def messages(result):
    return [(i.sheet, i.row, i.column, i.message) for i in result.issues]


def test_the_template_has_the_header_and_lists_the_users_projects(reporter, project, other_project):
    wb = load_workbook(BytesIO(imports.template_bytes(reporter)))
    assert [c.value for c in wb["项目月报"][1]] == imports.HEADERS
    listed = [row[0].value for row in wb["可填报项目"].iter_rows(min_row=2)]
    assert listed == [project.code]
    assert "填写说明" in wb.sheetnames


def test_a_valid_file_creates_every_report(reporter, project):
    upload = workbook_file([report_row(project.code, month=5), report_row(project.code, month=6, new="2,500.5")])
    result = imports.import_reports(upload, user=reporter)
    assert result.ok and result.created == 2
    june = MonthlyReport.objects.get(project=project, month=6)
    assert june.new_start_area == Decimal("2500.50") and june.bim_applied and june.status == "draft"
    assert june.green_material_share == Decimal("35.00") and june.renewable_area == Decimal("120.00")


def test_import_can_submit_at_once_and_updates_an_existing_draft(reporter, project):
    MonthlyReportFactory(project=project, month=6, status="draft", new_start_area=Decimal("1"), prefab_area=0)
    result = imports.import_reports(workbook_file([report_row(project.code, month=6)]), user=reporter, submit=True)
    assert result.ok and (result.created, result.updated, result.submitted) == (0, 1, 1)
    report = MonthlyReport.objects.get()
    assert report.status == "submitted" and report.new_start_area == Decimal("1000.00")
    assert report.versions.count() == 1


def test_every_bad_cell_is_reported_and_nothing_is_written(reporter, project, other_project):
    MonthlyReportFactory(project=project, month=4, status="accepted")
    rows = [
        report_row(project.code, month=5),  # row 2: valid
        report_row(project.code, month=13, new=-5),  # row 3: month and a negative area
        report_row("JC-NOPE-1", month=6, new="abc"),  # row 4: unknown project, non-numeric
        report_row(project.code, month=7, prefab=2000, share=150, bim="可能"),  # row 5
        report_row(project.code, month=5),  # row 6: duplicate of row 2
        report_row(other_project.code, month=8),  # row 7: not a participant
        report_row(project.code, month=4),  # row 8: accepted report exists
        report_row(None, year=None, month=9, new=1.234),  # row 9: missing code/year, 3 decimals
    ]
    result = imports.import_reports(workbook_file(rows), user=reporter)
    assert not result.ok
    assert messages(result) == [
        ("项目月报", 3, "C", "月份应为1-12，不能为13。"),
        ("项目月报", 3, "D", "不能为负数（-5）。"),
        ("项目月报", 4, "A", "项目编号“JC-NOPE-1”不存在，或您所在单位未参建该项目。"),
        ("项目月报", 4, "D", "应为数字，不能为“abc”。"),
        ("项目月报", 5, "E", "装配式建筑面积（2000.00）不能大于新开工建筑面积（1000.00）。"),
        ("项目月报", 5, "M", "应填“是”或“否”，不能为“可能”。"),
        ("项目月报", 5, "N", "百分比应在0-100之间，不能为150。"),
        ("项目月报", 6, "C", "与第2行重复：同一项目同一月份只能有一份月报。"),
        ("项目月报", 7, "A", f"项目编号“{other_project.code}”不存在，或您所在单位未参建该项目。"),
        ("项目月报", 8, "C", "该项目2023年4月的月报已接收，不能重复填报或修改。"),
        ("项目月报", 9, "A", "必填，不能为空。"),
        ("项目月报", 9, "B", "必填，不能为空。"),
        ("项目月报", 9, "D", "最多保留两位小数（1.234）。"),
    ]
    assert str(result.issues[0]) == "工作表“项目月报”第3行 C列（月份）：月份应为1-12，不能为13。"
    assert MonthlyReport.objects.count() == 1  # only the accepted one that was there before


def test_a_file_that_is_not_xlsx_is_refused(reporter):
    result = imports.import_reports(UploadedBytes(b"a,b,c\n", "月报.csv"), user=reporter)
    assert messages(result) == [("", 0, "", "文件格式不正确：只接受 .xlsx 格式的 Excel 文件，请下载模板填写后上传。")]
    result = imports.import_reports(UploadedBytes(b"not a zip at all", "伪装.xlsx"), user=reporter)
    assert "无法读取该文件" in result.issues[0].message


def test_a_wrong_header_is_refused_cell_by_cell(reporter, project):
    headers = list(imports.HEADERS)
    headers[1], headers[3] = "年份", "新开工面积"
    result = imports.import_reports(workbook_file([report_row(project.code)], headers=headers), user=reporter)
    assert [(i.row, i.column, i.message) for i in result.issues] == [
        (1, "B", "表头应为“年度”，实际为“年份”，请使用系统提供的模板。"),
        (1, "D", "表头应为“新开工建筑面积（m²）”，实际为“新开工面积”，请使用系统提供的模板。"),
    ]
    assert not MonthlyReport.objects.exists()


def test_a_missing_sheet_is_refused(reporter, project):
    result = imports.import_reports(workbook_file([report_row(project.code)], sheet="Sheet1"), user=reporter)
    assert result.issues[0].message == "文件中没有名为“项目月报”的工作表，请使用系统提供的模板。"


def test_a_file_over_the_limit_is_refused(reporter, project, settings):
    settings.IMPORT_MAX_BYTES = 1024
    upload = workbook_file([report_row(project.code)])
    assert upload.size > 1024
    result = imports.import_reports(upload, user=reporter)
    size = imports.human_size(upload.size)
    assert result.issues[0].message == f"文件大小为{size}，超过上限1 KB，请删除多余内容后重新上传。"
    assert not MonthlyReport.objects.exists()


def test_an_empty_file_says_so(reporter):
    result = imports.import_reports(workbook_file([]), user=reporter)
    assert result.issues[0].message == "文件中没有数据行。"


def test_county_staff_cannot_import(county_user, project):
    with pytest.raises(PermissionDenied):
        imports.import_reports(workbook_file([report_row(project.code)]), user=county_user)


def test_imported_reports_flow_into_the_county_figures_once_accepted(reporter, county_user, project):
    imports.import_reports(workbook_file([report_row(project.code, month=3)]), user=reporter, submit=True)
    services.accept_report(MonthlyReport.objects.get(), user=county_user)
    assert prefill.county_month_figures(project.county_id, 2023, 3).values["new_building_area"] == Decimal("1000")
