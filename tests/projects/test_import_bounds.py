"""The import is bounded: zip bombs, lying dimensions and huge sheets are refused before they are read."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

import pytest
from openpyxl import Workbook

from projects import imports
from projects.imports import HEADERS, SHEET
from projects.models import MonthlyReport
from tests.projects.factories import UploadedBytes, report_row, workbook_file

pytestmark = pytest.mark.django_db


def rewrite_part(data: bytes, name: str, change) -> bytes:
    """A copy of the xlsx package with one part's text changed."""
    source = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == name:
                content = change(content.decode()).encode()
            target.writestr(info.filename, content)
    return out.getvalue()


def only_issue(result) -> str:
    assert len(result.issues) == 1, [str(i) for i in result.issues]
    return result.issues[0].message


def test_a_shared_strings_zip_bomb_is_refused_before_it_is_inflated(reporter, project, settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 8 * 1024 * 1024
    good = workbook_file([report_row(project.code)]).getvalue()
    bomb = rewrite_part(
        good,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml,  # the sheet stays; the bomb is an extra shared-strings payload
    )
    payload = BytesIO()
    with zipfile.ZipFile(BytesIO(bomb)) as source, zipfile.ZipFile(payload, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
        big = (
            "<sst xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'>"
            + "<si><t>"
            + "炸" * (5 * 1024 * 1024)
            + "</t></si></sst>"
        )
        target.writestr("xl/sharedStrings2.xml", big)
    data = payload.getvalue()
    assert len(data) < settings.IMPORT_MAX_BYTES  # small on the wire
    result = imports.import_reports(UploadedBytes(data, "月报.xlsx"), user=reporter)
    assert "解压后达" in only_issue(result) and "超过上限" in only_issue(result)
    assert not MonthlyReport.objects.exists()


def test_a_part_inflating_out_of_all_proportion_is_refused(reporter, project):
    good = workbook_file([report_row(project.code)]).getvalue()
    data = rewrite_part(good, "docProps/app.xml", lambda xml: xml + ("<!--" + " " * (3 * 1024 * 1024) + "-->"))
    result = imports.import_reports(UploadedBytes(data, "月报.xlsx"), user=reporter)
    assert "压缩比异常" in only_issue(result)


def test_a_sheet_declaring_a_million_rows_is_refused_at_once(reporter, project):
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(HEADERS)
    ws.cell(row=1048576, column=16384, value="x")  # A1:XFD1048576
    buffer = BytesIO()
    wb.save(buffer)
    result = imports.import_reports(UploadedBytes(buffer.getvalue(), "月报.xlsx"), user=reporter)
    assert "超过单次导入上限5000行" in only_issue(result) and "1048575行" in only_issue(result)


def test_a_sheet_lying_about_its_size_is_read_no_further_than_the_limit(reporter, project):
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(HEADERS)
    ws.cell(row=1048576, column=1, value="x")
    buffer = BytesIO()
    wb.save(buffer)
    data = rewrite_part(
        buffer.getvalue(), "xl/worksheets/sheet1.xml", lambda xml: re.sub(r'<dimension ref="[^"]+"\s*/>', "", xml)
    )
    result = imports.import_reports(UploadedBytes(data, "月报.xlsx"), user=reporter)
    # Only the header and blank rows within the limit were read; the far row was never reached.
    assert only_issue(result) == "文件中没有数据行。"


def test_more_rows_than_the_limit_are_refused(reporter, project, settings):
    settings.IMPORT_MAX_ROWS = 50
    rows = [report_row(project.code, month=1 + i % 12) for i in range(60)]
    result = imports.import_reports(workbook_file(rows), user=reporter)
    assert only_issue(result) == "文件有60行数据，超过单次导入上限50行，请拆分为多个文件后分别导入。"


def test_the_error_list_is_capped_with_the_total_count(reporter, project, settings):
    settings.IMPORT_MAX_ERRORS_SHOWN = 5
    from tests.conftest import api_client_for

    rows = [report_row(project.code, month=1 + i % 12, new=-1) for i in range(30)]
    upload = workbook_file(rows)
    response = api_client_for(reporter).post("/api/v1/monthly-reports/import/", {"file": upload}, format="multipart")
    assert response.status_code == 400
    body = response.json()
    assert len(body["errors"]) == 5 and body["error_count"] >= 30
