"""The two generators on the demo data: PDF text and Excel numbers equal the engine's results."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from assessment.ranking import annual_scores, monthly_ranking
from assessment.seed import DemoPlan
from reports.generators import get_generator
from tests.conftest import DEMO_TODAY

pytestmark = pytest.mark.django_db


def build(report_type, **params):
    cls = get_generator(report_type)
    return cls(**cls.validate_params(params)).generate()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_monthly_bulletin_lists_the_ranking_in_order_with_the_engines_scores(demo_data):
    rows = monthly_ranking(2023, 6, published_only=True)
    published = [r for r in rows if r.rank is not None]  # the published ranking: late and missing at 0 included
    assert len([r for r in published if r.status == "published"]) >= 5
    report = build("monthly_bulletin", year=2023, month=6)
    text = pdf_text(report.pdf)
    assert "晋城市2023年6月建筑节能与科技工作月度考评通报" in text
    positions = [
        text.index(f"{r.rank} {r.county_name} {r.score} {r.items_total if r.items_total is not None else '—'}")
        for r in published
    ]
    assert positions == sorted(positions), "ranking not in order in the PDF"
    assert "第 1 页 共" in text
    gaoping = next(r for r in published if r.county_name == "高平市")
    assert gaoping.score == Decimal("74.53")  # the seed's worked example, in the demo data

    wb = load_workbook(io.BytesIO(report.xlsx))
    assert wb.sheetnames == [
        "排名",
        "分项得分",
        "逾期、未报送与未计入",
        "行政绩效加减分",
        "得分趋势",
        "督查通报",
        "督查通报-逾期整改",
    ]
    ws = wb["排名"]
    assert ws.freeze_panes == "A2" and ws.page_setup.orientation == "landscape"
    for i, row in enumerate(published, start=2):
        assert ws.cell(i, 2).value == row.county_name
        score = ws.cell(i, 3)
        assert isinstance(score.value, float) and Decimal(str(score.value)) == row.score
        assert score.number_format == "#,##0.00"
    items = wb["分项得分"]
    header = [c.value for c in items[1]]
    assert header[2].startswith("A1") and header[-1] == "合计"
    assert len(header) == 2 + 18 + 1


def test_monthly_bulletin_names_late_and_missing_counties(demo_data):
    year, month = DemoPlan.for_day(DEMO_TODAY).late  # January 2024: 陵川县 late, the month published
    rows = monthly_ranking(year, month, published_only=True)
    assert [r.county_name for r in rows if r.is_late] == ["陵川县"] and any(r.status == "published" for r in rows)
    flagged = [r for r in rows if r.is_late or r.is_missing or (not r.counted and r.state != "not_due")]
    report = build("monthly_bulletin", year=year, month=month)
    for row in flagged:
        assert row.county_name in report.summary
    ws = load_workbook(io.BytesIO(report.xlsx))["逾期、未报送与未计入"]
    assert {c.value for c in ws["A"][1:]} == {r.county_name for r in flagged}


def test_a_month_with_nothing_published_yields_a_bulletin_that_says_so(demo_data):
    report = build("monthly_bulletin", year=DEMO_TODAY.year, month=DEMO_TODAY.month)  # the open month
    text = pdf_text(report.pdf)
    assert "尚未发布" in text and not report.has_published_data
    assert load_workbook(io.BytesIO(report.xlsx)).sheetnames == ["报送情况", "督查通报", "督查通报-逾期整改"]


def test_annual_report_has_scores_grades_and_the_jingpin_summary(demo_data):
    rows = annual_scores(2023, published_only=True)
    report = build("annual_report", year=2023)
    text = pdf_text(report.pdf)
    for row in rows:
        assert f"{row.county_name} {row.target_score}" in text
        assert row.grade in text
    for heading in (
        "一、年度考评得分与等次",
        "三、精品工程培育比例",
        "四、精品工程评价",
        "五、示范项目",
        "六、获奖情况",
        "七、总承包单位积分排名",
        "八、丹河杯获奖项目",
    ):
        assert heading in text
    from awards.models import AwardRecord
    from evaluation.models import Evaluation

    closed = Evaluation.objects.filter(year=2023, status="closed")
    passed = closed.filter(result="passed").count()
    assert closed.exists() and AwardRecord.objects.filter(year=2023).exists()
    assert f"全年完成精品工程评价{closed.count()}项，通过{passed}项" in report.summary
    assert f"获奖{AwardRecord.objects.filter(year=2023).count()}项" in report.summary
    wb = load_workbook(io.BytesIO(report.xlsx))
    assert wb["精品工程评价"].max_row == closed.count() + 1
    ws = wb["年度得分"]
    for i, row in enumerate(rows, start=2):
        assert ws.cell(i, 2).value == row.county_name
        assert Decimal(str(ws.cell(i, 3).value)) == row.score
        assert ws.cell(i, 4).value == row.grade
    assert wb.sheetnames == ["年度得分", "培育比例", "精品工程评价", "获奖情况", "积分排名", "丹河杯"]
