"""年度考评报告: annual scores and grades (80/20), and the 精品工程 summary of the year.

Sections: annual score per county with its breakdown; cultivation ratio per county against the 10 % line;
evaluations and their results; 示范项目; awards of the year and the top of the points ledger; 丹河杯 winners;
the quality complaints of the year (汇总分析 of the 投诉举报 ledger); 诚信体系建设 (``credit.annual``: the grades
at year end by the score history, the entries of the year by behaviour, 行政处罚 with their 文号, appeals, the
黑名单 at year end).
"""

from __future__ import annotations

from collections import Counter

from django.utils import timezone

from accounts.models import Enterprise, Region
from assessment import counting
from assessment.exports import ANNUAL_COLUMNS
from assessment.ranking import annual_scores, annual_weights
from assessment.scoring import grade_bands
from awards.credit import attach_standings
from awards.exports import AWARD_RECORD_COLUMNS, ledger_columns
from awards.models import DANHE_CODE, Award, AwardRecord
from awards.querysets import EnterpriseLedger
from complaints import analysis
from complaints.exports import COMPLAINT_COUNTY_COLUMNS, COMPLAINT_REPEAT_COLUMNS
from complaints.models import Complaint
from core.exports import Column, Table, TableSheet
from credit import annual as credit_annual
from evaluation.choices import EvaluationStatus
from evaluation.exports import EVALUATION_RESULT_COLUMNS
from evaluation.models import Evaluation
from projects.services import cultivation_ratios
from reports import charts
from reports.choices import ReportType
from reports.generators.base import ReportGenerator, register
from reports.generators.monthly import validate_year_month

LEDGER_TOP = 10


def complaint_summary(year: int) -> dict:
    """The 投诉举报 section (seed 001 汇总分析): the same analysis as the ledger's, for the whole city."""
    return analysis.summary(Complaint.objects.all(), year, timezone.localdate())


# The PDF lists at most this many rows of each detail table (with per-county summaries above them); the Excel
# file always has every row. At city scale (7 counties) nothing is cut; at province scale the PDF stays readable.
PDF_DETAIL_LIMIT = 60


def _per_county(counties, rows, county_of, measures) -> list[dict]:
    """One summary row per county with at least one row: {"county_name", measure: sum …}, in county order."""
    sums = {c.pk: {"county_name": c.name, **{m: 0 for m in measures}} for c in counties}
    for row in rows:
        target = sums.get(county_of(row))
        if target is not None:
            for name, value in measures.items():
                target[name] += value(row)
    return [r for r in sums.values() if r["total"]]


# What the report prints of a project (PDF and Excel): the other columns of that wide row stay in the database
# (5,938 award records and ~700 evaluations at province scale: building every project's ~50 columns, and an award,
# a county and two enterprises per award record, was most of collect()). A column printed later must be named here, or each row costs
# a query (tests/reports/test_generators.py renders both writers without one).
PRINTED_PROJECT_FIELDS = ("project__code", "project__name", "project__county", "project__priority_recommended")


def _own_fields(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields]


def _attach_shared(records: list[AwardRecord]) -> None:
    """Each award record's award, county and enterprises (their names) as one instance per award, county and
    enterprise shared by its rows — a province's year names ~20 awards and 120 counties in 5,938 records, and
    ``select_related`` built four instances per record (3 queries; cheaper than ``prefetch_related`` too)."""
    awards = Award.objects.in_bulk({r.award_id for r in records})
    counties = Region.objects.in_bulk({r.project.county_id for r in records})
    enterprises = Enterprise.objects.only("name").in_bulk(
        ({r.contractor_id for r in records} | {r.builder_id for r in records}) - {None}
    )
    for record in records:
        record.award = awards[record.award_id]
        record.project.county = counties[record.project.county_id]
        record.contractor = enterprises.get(record.contractor_id)
        record.builder = enterprises.get(record.builder_id)


@register
class AnnualReport(ReportGenerator):
    report_type = ReportType.ANNUAL_REPORT
    template_name = "reports/pdf/annual_report.html"

    @classmethod
    def validate_params(cls, params):
        return validate_year_month(params, need_month=False)

    @classmethod
    def params_key(cls, params):
        return str(params["year"])

    @classmethod
    def title_for(cls, params):
        return f"晋城市{params['year']}年度建筑节能与科技工作及精品工程考评报告"

    def collect(self):
        year = self.params["year"]
        scores = annual_scores(year, audience=counting.PUBLISHED)  # each row with its weighted parts
        target_weight, monthly_weight = annual_weights()
        counties = Region.objects.filter(level=Region.Level.COUNTY).order_by("order", "code")
        cultivation = cultivation_ratios(year, counties)
        evaluations = list(
            Evaluation.objects.filter(year=year, status=EvaluationStatus.CLOSED)
            .select_related("project__county")
            .only(*_own_fields(Evaluation), *PRINTED_PROJECT_FIELDS)
            .order_by("project__county__order", "-total_score", "pk")
        )
        results = Counter(e.get_result_display() for e in evaluations)
        demonstrations = [e for e in evaluations if e.demonstration]
        awards = list(
            AwardRecord.objects.filter(year=year)
            .select_related("project")
            .only(*_own_fields(AwardRecord), *PRINTED_PROJECT_FIELDS)
            .order_by("award__order", "grant_date", "pk")
        )
        _attach_shared(awards)
        danhe = [a for a in awards if a.award.code == DANHE_CODE]
        evaluation_summary = _per_county(
            counties,
            evaluations,
            lambda e: e.project.county_id,
            {
                "total": lambda e: 1,
                "passed": lambda e: int(e.passed),
                "failed": lambda e: int(not e.passed),
                "demonstration": lambda e: int(e.demonstration),
            },
        )
        award_summary = _per_county(
            counties,
            awards,
            lambda a: a.project.county_id,
            {
                "total": lambda a: 1,
                "national": lambda a: int(a.award.level == "national"),
                "provincial": lambda a: int(a.award.level == "provincial"),
                "city": lambda a: int(a.award.level == "city"),
                "county": lambda a: int(a.award.level == "county"),
                "points": lambda a: a.points,
                "bonus": lambda a: a.bonus_wan,
            },
        )
        ledger = EnterpriseLedger(year)
        top = attach_standings(ledger.ranked()[:LEDGER_TOP])  # the ledger's credit columns: current grade
        for row in top:
            row.year_values = ledger.year_points(row)
        complaints = complaint_summary(year)
        credit = credit_annual.year_section(year)
        has_data = bool(scores and any(r.months_counted for r in scores)) or bool(evaluations or awards)
        bar = charts.bar_chart(
            [r.county_name for r in scores], [r.score for r in scores], title=f"{year}年度考评得分", max_value=100
        )
        return {
            "year": year,
            "scores": scores,
            "target_weight_pct": int(target_weight * 100),
            "monthly_weight_pct": int(monthly_weight * 100),
            "grade_bands": grade_bands(),  # the thresholds assessment.scoring.grade() applies
            "cultivation": cultivation,
            "evaluations": evaluations,
            "evaluations_pdf": evaluations[:PDF_DETAIL_LIMIT],
            "evaluation_counts": dict(results),
            "evaluation_summary": evaluation_summary,
            "demonstrations": demonstrations,
            "demonstrations_pdf": demonstrations[:PDF_DETAIL_LIMIT],
            "awards": awards,
            "awards_pdf": awards[:PDF_DETAIL_LIMIT],
            "award_summary": award_summary,
            "danhe": danhe,
            "danhe_pdf": danhe[:PDF_DETAIL_LIMIT],
            "pdf_detail_limit": PDF_DETAIL_LIMIT,
            "ledger": top,
            "ledger_book": ledger,
            "ledger_years": ledger.years,
            "ledger_window": f"{ledger.first_year}-{ledger.last_year}",
            "bar_chart": bar,
            "complaints": complaints,
            "credit": credit,
            "credit_penalties_pdf": credit["penalties"][:PDF_DETAIL_LIMIT],
            "credit_blacklist_pdf": credit["blacklist"][:PDF_DETAIL_LIMIT],
            "has_published_data": has_data,
        }

    def summary(self, data):
        scores = data["scores"]
        parts = []
        if scores:
            best = [r for r in scores if r.rank == scores[0].rank]
            parts.append(
                "年度得分第一：" + "、".join(f"{r.county_name}（{r.score}分，{r.grade}）" for r in best) + "。"
            )
            grades = Counter(r.grade for r in scores)
            parts.append("等次分布：" + "，".join(f"{g}{n}个" for g, n in grades.items()) + "。")
        below = [c.county_name for c in data["cultivation"] if c.below_minimum]
        parts.append(
            ("培育比例低于10%的：" + "、".join(below) + "。") if below else "各县培育比例均达标或无政府投资项目。"
        )
        parts.append(
            f"全年完成精品工程评价{len(data['evaluations'])}项，"
            f"通过{data['evaluation_counts'].get('通过', 0)}项，示范项目{len(data['demonstrations'])}项；"
            f"获奖{len(data['awards'])}项，其中丹河杯{len(data['danhe'])}项。"
        )
        credit = data["credit"]
        if credit["enterprises"]:
            parts.append(
                f"{credit['day'].year}年{credit['day'].month}月{credit['day'].day}日信用等级："
                + "，".join(f"{r.grade}级{r.count}家" for r in credit["grades"])
                + f"；列入黑名单{len(credit['blacklist'])}家；全年行政处罚{len(credit['penalties'])}件。"
            )
        return "".join(parts)

    def sheets(self, data):
        cultivation_cols = [
            Column("县（市、区）", "county_name"),
            Column("政府投资项目数", "total_count", "int"),
            Column("纳入精品工程库", "library_count", "int"),
            Column("培育比例（%）", "percent", "decimal"),
            Column("状态", "status_label"),
        ]
        # The score, evaluation, award and ledger sheets have the columns of the same lists in the web and the API.
        return [
            ("年度得分", ANNUAL_COLUMNS, data["scores"]),
            ("培育比例", cultivation_cols, data["cultivation"]),
            ("精品工程评价", EVALUATION_RESULT_COLUMNS, data["evaluations"]),
            ("获奖情况", AWARD_RECORD_COLUMNS, data["awards"]),
            ("积分排名", ledger_columns(data["ledger_book"]), data["ledger"]),
            ("丹河杯", AWARD_RECORD_COLUMNS, data["danhe"]),
            ("投诉举报", COMPLAINT_COUNTY_COLUMNS, data["complaints"]["by_county"]),
            ("重复投诉", COMPLAINT_REPEAT_COLUMNS, data["complaints"]["repeat_projects"]),
            credit_sheet(data["credit"]),
        ]


def credit_sheet(credit: dict) -> TableSheet:
    """The 诚信档案 sheet: the section's tables one below the other, every row (the PDF lists the first ones)."""
    day = f"{credit['day']:%Y-%m-%d}"
    return TableSheet(
        "诚信档案",
        [
            Table(
                f"信用等级分布（截至{day}）",
                [
                    Column("信用等级", "grade"),
                    Column("说明", "label"),
                    Column("单位数", "count", "int"),
                    Column("其中尚无信用分记录（按基础分计）", "without_row", "int"),
                    Column("占比（%）", "percent", "decimal"),
                ],
                credit["grades"],
            ),
            Table(
                f"{credit['year']}年信用记录（按行为类别）",
                [
                    Column("性质", "polarity_label"),
                    Column("行为类别", "label"),
                    Column("记录数", "count", "int"),
                    Column("其中申诉撤销", "withdrawn", "int"),
                    Column("计分合计（不含撤销）", "points", "decimal"),
                ],
                credit["by_behaviour"],
            ),
            Table(
                f"{credit['year']}年行政处罚（{len(credit['penalties'])}件）",
                [
                    Column("认定日期", "occurred_on", "date"),
                    Column("文号", "document_no"),
                    Column("单位名称", "enterprise.name"),
                    Column("统一社会信用代码", "enterprise.credit_code"),
                    Column("行为摘要", "title"),
                    Column("分值", "points", "decimal"),
                    Column("有效期至", "valid_until", "date"),
                    Column("当前状态", "state_label"),
                ],
                credit["penalties"],
            ),
            Table(
                f"{credit['year']}年信用修复申诉",
                [Column("处理结果", "label"), Column("件数", "count", "int")],
                credit["appeals"],
            ),
            Table(
                f"黑名单（截至{day}）",
                [
                    Column("单位名称", "name"),
                    Column("统一社会信用代码", "credit_code"),
                    Column("信用分", "score", "decimal"),
                    Column("信用等级", "grade"),
                    Column("列入原因", "causes"),
                    Column("依据（有效期内的不良记录及文号）", "reasons_text"),
                ],
                credit["blacklist"],
            ),
        ],
    )
