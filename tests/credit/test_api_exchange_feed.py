"""The exchange feed for the provincial platform (issue 24: 统一社会信用代码, behaviour kind and code, 文号, dates,
points): ``credit-entries/export/`` as Excel or CSV, the list's rows and filters, documented in OpenAPI."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from drf_spectacular.generators import SchemaGenerator
from openpyxl import load_workbook

from tests.conftest import api_client_for
from tests.credit.factories import make_entry

pytestmark = pytest.mark.django_db

FEED_HEADERS = [
    "统一社会信用代码",
    "单位名称",
    "行为类别代码",
    "行为类别",
    "性质",
    "严重程度",
    "文号",
    "认定日期",
    "有效期至",
    "分值",
    "状态",
    "来源",
]


@pytest.fixture
def feed(folks):
    make_entry(folks.enterprise, "penalty", dt.date(2026, 3, 1), county=folks.county, document_no="高建罚〔2026〕3号")
    make_entry(folks.enterprise, "award", dt.date(2025, 5, 20), catalogue_points=6, document_no="晋建〔2025〕8号")
    make_entry(folks.enterprise, "constraint_minor", dt.date(2025, 1, 10))
    make_entry(folks.other_enterprise, "constraint_major", dt.date(2026, 2, 1), county=folks.other_county)


def test_the_excel_feed_opens_and_has_the_exchange_columns(folks, feed):
    response = api_client_for(folks.city).get("/api/v1/credit-entries/export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    values = list(ws.iter_rows(values_only=True))
    assert list(values[0]) == FEED_HEADERS
    rows = [dict(zip(FEED_HEADERS, v, strict=True)) for v in values[1:]]
    assert len(rows) == 4
    penalty = next(r for r in rows if r["行为类别代码"] == "penalty")
    assert penalty["统一社会信用代码"] == folks.enterprise.credit_code
    assert penalty["单位名称"] == "晋城市第一建筑工程有限公司"
    assert (penalty["行为类别"], penalty["性质"], penalty["严重程度"]) == ("行政处罚", "不良行为", None)  # empty
    assert penalty["文号"] == "高建罚〔2026〕3号"
    assert penalty["认定日期"].date() == dt.date(2026, 3, 1)
    assert penalty["有效期至"].date() == dt.date(2027, 2, 28)
    assert penalty["分值"] == -5
    assert (penalty["状态"], penalty["来源"]) == ("有效", "约束记录")
    major = next(r for r in rows if r["行为类别代码"] == "constraint_major")
    assert (major["严重程度"], major["分值"]) == ("严重", -10)
    minor = next(r for r in rows if r["行为类别代码"] == "constraint_minor")
    assert minor["状态"] == "已过期"


def test_the_csv_feed_has_the_same_columns_exact_decimals_and_iso_dates(folks, feed):
    response = api_client_for(folks.city).get("/api/v1/credit-entries/export/?filetype=csv&polarity=good")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert ".csv" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads the Chinese right
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == FEED_HEADERS
    assert rows[1:] == [
        [
            folks.enterprise.credit_code,
            "晋城市第一建筑工程有限公司",
            "award",
            "获奖",
            "良好行为",
            "",
            "晋建〔2025〕8号",
            "2025-05-20",
            "2028-05-19",
            "6.00",
            "有效",
            "约束记录",
        ]
    ]


def test_the_feed_holds_the_lists_rows_with_the_same_filters_and_scope(folks, feed):
    for user, query in (
        (folks.city, ""),
        (folks.staff, "state=in_force"),
        (folks.member, ""),
        (folks.city, "severity=major"),
    ):
        api = api_client_for(user)
        listed = api.get(f"/api/v1/credit-entries/?{query}").json()["results"]
        exported = list(
            csv.DictReader(
                io.StringIO(api.get(f"/api/v1/credit-entries/export/?filetype=csv&{query}").content.decode("utf-8-sig"))
            )
        )
        assert [(r["credit_code"], r["behaviour"], r["occurred_on"]) for r in listed] == [
            (r["统一社会信用代码"], r["行为类别代码"], r["认定日期"]) for r in exported
        ], (user.username, query)
    member = list(
        csv.DictReader(
            io.StringIO(
                api_client_for(folks.member)
                .get("/api/v1/credit-entries/export/?filetype=csv")
                .content.decode("utf-8-sig")
            )
        )
    )
    assert {r["统一社会信用代码"] for r in member} == {folks.enterprise.credit_code}


def test_the_state_column_follows_the_on_day(folks, feed):
    response = api_client_for(folks.city).get(
        "/api/v1/credit-entries/export/?filetype=csv&on=2026-01-05&behaviour=constraint_minor"
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["状态"] for r in rows] == ["有效"]


def test_text_is_never_a_formula_in_either_file(folks, feed):
    api = api_client_for(folks.city)
    # the title is not a feed column, but the document number is: a hostile 文号 stays text
    from credit.models import CreditEntry

    CreditEntry.objects.filter(behaviour="constraint_minor").update(document_no="=1+2")
    text = api.get("/api/v1/credit-entries/export/?filetype=csv&behaviour=constraint_minor").content.decode("utf-8-sig")
    assert list(csv.DictReader(io.StringIO(text)))[0]["文号"] == "'=1+2"
    ws = load_workbook(io.BytesIO(api.get("/api/v1/credit-entries/export/?behaviour=constraint_minor").content)).active
    cell = ws.cell(row=2, column=7)
    assert cell.value == "=1+2" and cell.data_type == "s"


def test_an_unknown_file_type_is_a_400_in_chinese(folks, feed):
    response = api_client_for(folks.city).get("/api/v1/credit-entries/export/?filetype=pdf")
    assert response.status_code == 400
    assert response.json() == {"filetype": ["文件格式应为 xlsx 或 csv。"]}


def test_the_feed_is_documented_in_openapi_with_its_columns_and_both_formats():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/credit-entries/export/"]["get"]
    assert operation["tags"] == ["信用"]
    assert operation["summary"].startswith("导出信用记录交换数据")
    for header in FEED_HEADERS:
        assert header in operation["description"], header
    assert set(operation["responses"]["200"]["content"]) == {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "text/csv",
    }
    params = {p["name"]: p for p in operation["parameters"]}
    assert params["filetype"]["schema"]["enum"] == ["csv", "xlsx"]
    assert {"credit_code", "behaviour", "state", "on", "occurred_from", "occurred_to", "county"} <= set(params)
