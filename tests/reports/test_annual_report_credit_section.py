"""The annual report's 诚信体系建设 section (issue 24) on a small year built by hand (``credit_year``): the grades at
year end read from the score history, the entries of the year by behaviour, 行政处罚 with their 文号, appeals, the
黑名单 at year end — in the collected data, the Excel sheet "诚信档案" and the PDF, with no personal data."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from credit.annual import year_section
from reports.generators import get_generator
from tests.credit.recording import on
from tests.reports.credit_year import REPORT_DAY, build_year
from tests.reports.test_generators import pdf_text
from tests.xlsx import sheet_table

pytestmark = pytest.mark.django_db


@pytest.fixture
def year():
    return build_year()


def build_report(year: int = 2025):
    cls = get_generator("annual_report")
    with on(REPORT_DAY):
        return cls(**cls.validate_params({"year": year})).generate()


def test_the_grades_at_year_end_are_the_score_history_of_december_31(year):
    with on(REPORT_DAY):
        section = year_section(2025)
    assert section["day"] == dt.date(2025, 12, 31) and section["year_complete"]
    grades = {r.grade: (r.count, r.without_row) for r in section["grades"]}
    # 甲 111 A; 乙 97 B (its 2026 严重 constraint comes later); 戊 no row by then: base B; 丙 85 C; 丁 74 D
    assert grades == {"A": (1, 0), "B": (2, 1), "C": (1, 0), "D": (1, 0)}
    assert section["enterprises"] == 5 and section["without_row"] == 1 and section["base_grade"] == "B"
    assert [r.percent for r in section["grades"]] == [Decimal("20.00"), Decimal("40.00"), Decimal("20.00")] + [
        Decimal("20.00")
    ]


def test_the_entries_of_the_year_are_counted_by_behaviour_with_the_withdrawn_left_out_of_the_points(year):
    with on(REPORT_DAY):
        section = year_section(2025)
    rows = {r.behaviour: (r.count, r.withdrawn, r.points) for r in section["by_behaviour"] if not r.subtotal}
    assert rows["award"] == (1, 0, Decimal("10.00"))
    assert rows["green_pilot"] == (1, 0, Decimal("1.00"))
    assert rows["demonstration"] == (0, 0, Decimal("0"))
    assert rows["constraint_minor"] == (0, 0, Decimal("0"))  # 甲's is of 2024
    assert rows["constraint_major"] == (1, 0, Decimal("-10.00"))  # 丙's; 丁's is of 2024, 乙's of 2026
    assert rows["constraint_serious"] == (1, 0, Decimal("-5.00"))
    assert rows["penalty"] == (4, 1, Decimal("-15.00"))  # 3号 withdrawn on appeal: counted, not scored
    assert rows["notice_escalated"] == (1, 0, Decimal("-3.00"))
    assert rows["complaint"] == (2, 0, Decimal("-2.00"))  # the one recorded in 2026 is dated 2025
    good, bad = section["good"], section["bad"]
    assert (good.count, good.withdrawn, good.points) == (2, 0, Decimal("11.00"))
    assert (bad.count, bad.withdrawn, bad.points) == (9, 1, Decimal("-35.00"))


def test_the_penalties_of_the_year_are_listed_with_their_document_numbers(year):
    with on(REPORT_DAY):
        section = year_section(2025)
    assert [(e.document_no, e.enterprise.name, e.state_label) for e in section["penalties"]] == [
        ("晋市建罚〔2025〕3号", "乙方工程有限公司", "申诉撤销"),
        ("晋市建罚〔2025〕7号", "丁卯建设有限公司", "有效"),
        ("晋市建罚〔2025〕8号", "丁卯建设有限公司", "有效"),
        ("晋市建罚〔2025〕9号", "丙辰建工集团有限公司", "有效"),
    ]
    assert section["penalties_withdrawn"] == 1


def test_the_appeals_of_the_year_are_counted_by_their_outcome(year):
    with on(REPORT_DAY):
        section = year_section(2025)
    # 乙 withdrawn, 丙 kept, 丁 pending; 甲's appeal was in 2024
    assert section["appeal_counts"] == {"pending": 1, "withdrawn": 1, "kept": 1, "total": 3}


def test_the_blacklist_at_year_end_names_each_enterprise_with_the_entries_that_put_it_there(year):
    with on(REPORT_DAY):
        section = year_section(2025)
    blacklist = section["blacklist"]
    assert [(b.name, b.credit_code, b.score, b.grade) for b in blacklist] == [
        ("丁卯建设有限公司", year["丁"].credit_code, Decimal("74.00"), "D"),
        ("丙辰建工集团有限公司", year["丙"].credit_code, Decimal("85.00"), "C"),
    ]
    ding, bing = blacklist
    assert ding.causes == "信用等级D（74.00分）；有严重不良记录在有效期内"
    # the bad entries in force on 12-31 the record held then: not the 2024 penalty (expired 12-19), not the
    # complaint dated 12-15 but recorded in 2026
    assert [e.document_no for e in ding.entries] == [
        "晋市建约〔2024〕6号",
        "晋市建罚〔2025〕7号",
        "晋市建约〔2025〕8号",
        "晋市建罚〔2025〕8号",
        "晋市建诉〔2025〕5号",
    ]
    assert bing.causes == "有严重不良记录在有效期内"
    assert bing.reasons == ["约束记录（严重），高建约〔2025〕2号，2025-02-01至2027-01-31"]


def test_the_excel_sheet_holds_the_sections_tables_with_every_row(year):
    report = build_report()
    assert "诚信档案" in load_workbook(io.BytesIO(report.xlsx)).sheetnames
    grades = sheet_table(report.xlsx, "诚信档案", "信用等级分布（截至2025-12-31）")
    assert [(r["信用等级"], r["单位数"], r["其中尚无信用分记录（按基础分计）"]) for r in grades] == [
        ("A", 1, 0),
        ("B", 2, 1),
        ("C", 1, 0),
        ("D", 1, 0),
    ]
    behaviours = sheet_table(report.xlsx, "诚信档案", "2025年信用记录（按行为类别）")
    penalty = next(r for r in behaviours if r["行为类别"] == "行政处罚")
    assert (penalty["记录数"], penalty["其中申诉撤销"], penalty["计分合计（不含撤销）"]) == (4, 1, -15)
    bad = next(r for r in behaviours if r["行为类别"] == "不良行为合计")
    assert (bad["记录数"], bad["计分合计（不含撤销）"]) == (9, -35)
    penalties = sheet_table(report.xlsx, "诚信档案", "2025年行政处罚（4件）")
    assert [r["文号"] for r in penalties] == [
        "晋市建罚〔2025〕3号",
        "晋市建罚〔2025〕7号",
        "晋市建罚〔2025〕8号",
        "晋市建罚〔2025〕9号",
    ]
    assert penalties[0]["当前状态"] == "申诉撤销"
    appeals = sheet_table(report.xlsx, "诚信档案", "2025年信用修复申诉")
    assert {r["处理结果"]: r["件数"] for r in appeals} == {"待处理": 1, "撤销该记录": 1, "维持该记录": 1, "合计": 3}
    blacklist = sheet_table(report.xlsx, "诚信档案", "黑名单（截至2025-12-31）")
    assert [(r["单位名称"], r["统一社会信用代码"], r["信用等级"]) for r in blacklist] == [
        ("丁卯建设有限公司", year["丁"].credit_code, "D"),
        ("丙辰建工集团有限公司", year["丙"].credit_code, "C"),
    ]
    assert "晋市建罚〔2025〕7号" in blacklist[0]["依据（有效期内的不良记录及文号）"]


def test_the_pdf_has_the_section_with_the_document_numbers_and_no_personal_data(year):
    report = build_report()
    text = pdf_text(report.pdf)
    for expected in (
        "十、诚信体系建设",
        "（一）信用等级分布",
        "（五）黑名单",
        "晋市建罚〔2025〕9号",
        "丁卯建设有限公司",
        year["丁"].credit_code,
        "提出信用修复申诉 3 件：撤销该记录 1 件，维持该记录 1 件，尚待处理 1 件",
    ):
        assert expected in text, expected
    assert "2025年12月31日信用等级：A级1家，B级2家，C级1家，D级1家；列入黑名单2家；全年行政处罚4件。" in report.summary
    workbook = load_workbook(io.BytesIO(report.xlsx))
    cells = " ".join(str(c) for ws in workbook for row in ws.iter_rows(values_only=True) for c in row if c)
    for personal in ("王建国", "13800001111"):  # 丁's legal representative and phone
        assert personal not in text and personal not in cells
    for username, name in year["丁"].users.values_list("username", "name"):  # who appealed
        assert username not in text and username not in cells
        assert name not in text and name not in cells
