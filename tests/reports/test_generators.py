"""The two generators on the demo data: PDF text and Excel numbers equal the engine's results.

The expected figures are computed here from the stored submissions with the pure scoring engine
(``assessment.scoring``) and the rules of seed 002 written out (ties share a rank; late or missing months count 0;
annual = target × 80 % + monthly average × 20 %; grades 90/80/60), never with the ranking functions the generators
call, so a generator (or a ranking function) that drifts from the engine fails here.
"""

import io
from decimal import ROUND_DOWN, Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import Region
from assessment import services
from assessment.choices import Status
from assessment.models import AnnualTarget, Submission
from assessment.seed import LATE_COUNTY, DemoPlan
from reports.generators import get_generator
from tests.conftest import DEMO_TODAY
from tests.xlsx import sheet_rows

pytestmark = pytest.mark.django_db
CENT = Decimal("0.01")


def build(report_type, **params):
    cls = get_generator(report_type)
    return cls(**cls.validate_params(params)).generate()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def cut(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_DOWN)


def ranks_of(scores: dict[str, Decimal]) -> dict[str, int]:
    """Competition ranks, ties sharing a rank (1, 1, 3)."""
    ordered = sorted(scores.values(), reverse=True)
    return {name: ordered.index(score) + 1 for name, score in scores.items()}


def expected_month(year: int, month: int) -> dict[str, dict]:
    """Every county's published score of the month, recomputed from its figures by the pure engine."""
    names = list(Region.objects.filter(level=Region.Level.COUNTY).values_list("name", flat=True))
    subs = {
        s.county.name: s
        for s in Submission.objects.filter(year=year, month=month, status=Status.PUBLISHED).select_related("county")
    }
    assert set(subs) == set(names), "the demo publishes every county's month of 2023"
    rows = {}
    for name, sub in subs.items():
        items_total = services.compute(sub).total
        adjustments = [a.points for a in sub.adjustments.all()]
        score = Decimal(0) if sub.is_late else max(cut(cut(items_total) + sum(adjustments, Decimal(0))), Decimal(0))
        rows[name] = {"score": score, "items_total": cut(items_total), "adjustments": sum(adjustments, Decimal(0))}
    for name, rank in ranks_of({n: r["score"] for n, r in rows.items()}).items():
        rows[name]["rank"] = rank
    return rows


def test_monthly_bulletin_lists_the_ranking_in_order_with_the_engines_scores(demo_data):
    expected = expected_month(2023, 6)
    assert expected["高平市"]["score"] == Decimal("74.53")  # the seed's worked example, in the demo data
    report = build("monthly_bulletin", year=2023, month=6)
    text = pdf_text(report.pdf)
    assert "晋城市2023年6月建筑节能与科技工作月度考评通报" in text
    in_order = sorted(expected.items(), key=lambda kv: (kv[1]["rank"], kv[0]))
    positions = [text.index(f"{e['rank']} {name} {e['score']} {e['items_total']}") for name, e in in_order]
    assert positions == sorted(positions), "ranking not in order in the PDF"
    assert "第 1 页 共" in text

    wb = load_workbook(io.BytesIO(report.xlsx))
    assert wb.sheetnames == [
        "排名",
        "分项得分",
        "逾期、未报送与未计入",
        "行政绩效加减分",
        "得分趋势",
        "督查通报",
        "督查通报-逾期整改",
        "进度滞后通报",
    ]
    ws = wb["排名"]
    assert ws.freeze_panes == "A2" and ws.page_setup.orientation == "landscape"
    assert all(ws.cell(i, 3).number_format == "#,##0.00" for i in range(2, ws.max_row + 1))
    assert all(isinstance(ws.cell(i, 3).value, float) for i in range(2, ws.max_row + 1))
    rows = sheet_rows(report.xlsx, "排名")
    assert [r["县（市、区）"] for r in rows] == [name for name, _ in in_order]
    for row in rows:
        want = expected[row["县（市、区）"]]
        assert row["排名"] == want["rank"]
        assert Decimal(str(row["月度得分"])) == want["score"]
        assert Decimal(str(row["考评项得分"])) == want["items_total"]
        assert Decimal(str(row["行政绩效"])) == want["adjustments"]
    items = wb["分项得分"]
    header = [c.value for c in items[1]]
    assert header[2].startswith("A1") and header[-1] == "合计"
    assert len(header) == 2 + 18 + 1
    totals = {r["县（市、区）"]: Decimal(str(r["合计"])) for r in sheet_rows(report.xlsx, "分项得分")}
    assert totals == {name: e["score"] for name, e in expected.items()}


def test_monthly_bulletin_names_late_and_missing_counties(demo_data):
    year, month = DemoPlan.for_day(DEMO_TODAY).late  # January 2024: 陵川县 late, the month published
    late = Submission.objects.get(year=year, month=month, county__name=LATE_COUNTY)
    assert late.is_late and late.status == Status.PUBLISHED
    counties = set(Region.objects.filter(level=Region.Level.COUNTY).values_list("name", flat=True))
    on_time_and_published = set(
        Submission.objects.filter(year=year, month=month, status=Status.PUBLISHED, is_late=False).values_list(
            "county__name", flat=True
        )
    )
    flagged = counties - on_time_and_published
    assert LATE_COUNTY in flagged and len(flagged) < len(counties)
    report = build("monthly_bulletin", year=year, month=month)
    for name in flagged:
        assert name in report.summary
    ws = load_workbook(io.BytesIO(report.xlsx))["逾期、未报送与未计入"]
    assert {c.value for c in ws["A"][1:]} == flagged
    ranking = {r["县（市、区）"]: r for r in sheet_rows(report.xlsx, "排名")}
    assert ranking[LATE_COUNTY]["月度得分"] == 0


def test_a_month_with_nothing_published_yields_a_bulletin_that_says_so(demo_data):
    report = build("monthly_bulletin", year=DEMO_TODAY.year, month=DEMO_TODAY.month)  # the open month
    text = pdf_text(report.pdf)
    assert "尚未发布" in text and not report.has_published_data
    assert load_workbook(io.BytesIO(report.xlsx)).sheetnames == [
        "报送情况",
        "督查通报",
        "督查通报-逾期整改",
        "进度滞后通报",
    ]


def expected_year(year: int) -> dict[str, dict]:
    """Annual score per county from the stored monthly scores (the engine's, at submission) and seed 002's rule."""
    names = list(Region.objects.filter(level=Region.Level.COUNTY).values_list("name", flat=True))
    overrides = dict(
        AnnualTarget.objects.filter(year=year, final_target_score__isnull=False).values_list(
            "county__name", "final_target_score"
        )
    )
    rows = {}
    for name in names:
        subs = {s.month: s for s in Submission.objects.filter(year=year, county__name=name, status=Status.PUBLISHED)}
        assert len(subs) == 12, (name, sorted(subs))
        monthly = [Decimal(0) if subs[m].is_late else subs[m].score for m in range(1, 13)]
        last_on_time = max(m for m, s in subs.items() if not s.is_late)
        target = cut(overrides.get(name, subs[last_on_time].items_total))
        average = cut(sum(monthly, Decimal(0)) / 12)
        score = cut(target * Decimal("0.80") + average * Decimal("0.20"))
        grade = "优秀" if score >= 90 else "良好" if score >= 80 else "合格" if score >= 60 else "不合格"
        rows[name] = {"target": target, "average": average, "score": score, "grade": grade}
    for name, rank in ranks_of({n: r["score"] for n, r in rows.items()}).items():
        rows[name]["rank"] = rank
    return rows


def test_annual_report_has_scores_grades_and_the_jingpin_summary(demo_data):
    expected = expected_year(2023)
    report = build("annual_report", year=2023)
    text = pdf_text(report.pdf)
    for name, row in expected.items():
        assert f"{name} {row['target']}" in text
        assert row["grade"] in text
    for heading in (
        "一、年度考评得分与等次",
        "三、精品工程培育比例",
        "四、精品工程评价",
        "五、示范项目",
        "六、获奖情况",
        "七、总承包单位积分排名",
        "八、丹河杯获奖项目",
        "十、诚信体系建设",
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
    assert wb.sheetnames == [
        "年度得分",
        "培育比例",
        "精品工程评价",
        "获奖情况",
        "积分排名",
        "丹河杯",
        "投诉举报",
        "重复投诉",
        "诚信档案",
    ]
    rows = sheet_rows(report.xlsx, "年度得分")
    assert sorted(r["县（市、区）"] for r in rows) == sorted(expected)
    assert [r["排名"] for r in rows] == sorted(r["排名"] for r in rows)
    for row in rows:
        want = expected[row["县（市、区）"]]
        assert row["排名"] == want["rank"]
        assert Decimal(str(row["年度得分"])) == want["score"]
        assert Decimal(str(row["全年目标任务得分"])) == want["target"]
        assert Decimal(str(row["月度考核平均分"])) == want["average"]
        assert row["等次"] == want["grade"]
    awards = sheet_rows(report.xlsx, "获奖情况")
    records = AwardRecord.objects.filter(year=2023)
    assert sorted(r["表彰文号"] for r in awards) == sorted(records.values_list("document_no", flat=True))
    assert sum(Decimal(str(r["积分"])) for r in awards) == sum(records.values_list("points", flat=True))


@pytest.mark.parametrize(
    ("report_type", "params"), [("monthly_bulletin", {"year": 2023, "month": 6}), ("annual_report", {"year": 2023})]
)
def test_writing_the_workbook_reads_nothing_more_from_the_database(demo_data, report_type, params):
    """collect() reads everything the sheets print: a column that follows a relation not loaded there would make
    one query per row (the annual report's 奖金发放单位 did: 5,938 queries at province scale)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cls = get_generator(report_type)
    generator = cls(**cls.validate_params(params))
    sheets = generator.sheets(generator.collect())
    assert any(rows for _, _, rows in sheets), "the demo fills the sheets"
    with CaptureQueriesContext(connection) as ctx:
        generator.excel_writer.render(sheets)
    assert not ctx.captured_queries, [q["sql"][:120] for q in ctx.captured_queries[:3]]
