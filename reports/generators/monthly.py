"""月度考评通报: the month's ranking, every item per county, late and missing, adjustments, charts, summary.

Assessment computes (assessment.ranking: the ranking, the item-score matrix, the score trend); the bulletin only
assembles, charts and words what it is given.

It shows the published ranking (assessment.counting, audience PUBLISHED): a bulletin is what the city sends out,
so only 已发布 months carry their score, late and missing months count 0, and months 待审核/已退回/待发布 are
listed by state, unranked. A month with nothing published yet still yields a bulletin that says so and lists
each county's state.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from assessment import counting
from assessment.counting import MonthState
from assessment.exports import RANKING_COLUMNS
from assessment.ranking import monthly_ranking, published_item_matrix, score_trend
from core.exports import Column
from inspections.bulletin import supervision_section
from projects.services import bulletin_laggards
from reports import charts
from reports.choices import ReportType
from reports.generators.base import ReportGenerator, register

LOW_SCORE = Decimal("60")


def validate_year_month(params: dict, *, need_month: bool) -> dict:
    errors = {}
    try:
        year = int(params.get("year"))
    except (TypeError, ValueError):
        errors["year"] = "请填写年度。"
        year = None
    month = None
    if need_month:
        try:
            month = int(params.get("month"))
            if not 1 <= month <= 12:
                raise ValueError
        except (TypeError, ValueError):
            errors["month"] = "请填写1-12之间的月份。"
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    if year < 2000:
        raise ValidationError({"year": "年度不正确。"})
    if need_month and (year, month) > (today.year, today.month):
        raise ValidationError({"month": f"不能生成未来月份（{year}年{month}月）的通报。"})
    if not need_month and year > today.year:
        raise ValidationError({"year": f"不能生成未来年度（{year}年）的报告。"})
    return {"year": year, "month": month} if need_month else {"year": year}


@register
class MonthlyBulletin(ReportGenerator):
    report_type = ReportType.MONTHLY_BULLETIN
    template_name = "reports/pdf/monthly_bulletin.html"

    @classmethod
    def validate_params(cls, params):
        return validate_year_month(params, need_month=True)

    @classmethod
    def params_key(cls, params):
        return f"{params['year']}-{params['month']:02d}"

    @classmethod
    def title_for(cls, params):
        return f"晋城市{params['year']}年{params['month']}月建筑节能与科技工作月度考评通报"

    def collect(self):
        year, month = self.params["year"], self.params["month"]
        ranking = monthly_ranking(year, month, audience=counting.PUBLISHED)
        ranked = [r for r in ranking if r.rank is not None]
        published = ranked  # the bulletin's ranking is the published ranking, late and missing at 0 included
        has_published = any(r.state == MonthState.PUBLISHED for r in ranking)

        items, item_rows = published_item_matrix(year, month, ranked)
        months = list(range(1, month + 1))
        trend, trend_states = score_trend(year, month, [r.county_name for r in ranking], audience=counting.PUBLISHED)

        late = [r for r in ranking if r.is_late]
        missing = [r for r in ranking if r.is_missing]
        not_counted = [r for r in ranking if not r.counted and r.state != MonthState.NOT_DUE]
        adjustments = [
            {"county_name": r.county_name, "points": points, "reason": reason}
            for r in ranked
            for points, reason in r.adjustments
        ]
        bar = (
            charts.bar_chart(
                [r.county_name for r in ranked],
                [r.score for r in ranked],
                title=f"{month}月考评得分",
                max_value=100,
                notes=[r.state_label if (r.is_late or r.is_missing) else "" for r in ranked],
            )
            if has_published
            else ""
        )
        line = (
            charts.line_chart(
                [f"{m}月" for m in months],
                trend,
                title=f"{year}年1-{month}月得分趋势",
                max_value=100,
                markers={
                    name: [charts.MARKERS.get(state) for state in states] for name, states in trend_states.items()
                },
            )
            if has_published
            else ""
        )
        return {
            "supervision": supervision_section(year, month),
            "progress": bulletin_laggards(year, month),
            "year": year,
            "month": month,
            "ranking": ranking,
            "published": published,
            "has_published_data": has_published,
            "items": items,
            "item_rows": item_rows,
            "late": late,
            "missing": missing,
            "not_counted": not_counted,
            "all_on_time": not (late or missing or not_counted),
            "adjustments": adjustments,
            "months": months,
            "trend": trend,
            "bar_chart": bar,
            "line_chart": line,
            "unpublished_count": len(not_counted),
        }

    def summary(self, data):
        year, month = data["year"], data["month"]
        parts = []
        published = data["published"]
        if not data["has_published_data"]:
            parts.append(f"{year}年{month}月的考评结果尚未发布，本通报仅列出报送情况。")
        else:
            # first, last and low among the scores the city published (late and missing are named below)
            scored = [r for r in published if r.state == MonthState.PUBLISHED]
            first, last = scored[0], scored[-1]
            firsts = "、".join(r.county_name for r in scored if r.rank == first.rank)
            lasts = "、".join(r.county_name for r in scored if r.rank == last.rank)
            parts.append(f"本月得分第一：{firsts}（{first.score}分）；最后：{lasts}（{last.score}分）。")
            low = [r for r in scored if r.score < LOW_SCORE]
            parts.append(
                "低于60分的：" + "、".join(f"{r.county_name}（{r.score}分）" for r in low) + "。"
                if low
                else "无低于60分的县（市、区）。"
            )
        late = data["late"]
        parts.append(
            "逾期报送（当月0分）：" + "、".join(r.county_name for r in late) + "。" if late else "无逾期报送。"
        )
        if data["missing"]:
            parts.append("未报送（当月0分）：" + "、".join(r.county_name for r in data["missing"]) + "。")
        if data["not_counted"]:
            parts.append(
                "未计入排名：" + "、".join(f"{r.county_name}（{r.state_label}）" for r in data["not_counted"]) + "。"
            )
        return "".join(parts)

    def sheets(self, data):
        ranking_cols = RANKING_COLUMNS
        rows = data["published"] or []
        item_cols = [Column("排名", "rank", "int"), Column("县（市、区）", "county_name")]
        for idx, item in enumerate(data["items"]):
            item_cols.append(
                Column(
                    f"{item['code']} {item['content']}（{item['max_points']}）",  # whole, wrapped in a tall header row
                    lambda r, i=idx: r["items"][i],
                    "decimal",
                    width=14,
                )
            )
        item_cols.append(Column("合计", "score", "decimal"))
        late_cols = [
            Column("县（市、区）", "county_name"),
            Column("情况", "state_label"),
            Column("说明", "late_reason"),
        ]
        adj_cols = [
            Column("县（市、区）", "county_name"),
            Column("加减分", "points", "decimal"),
            Column("理由", "reason", width=50),
        ]
        trend_rows = [{"county_name": name, "scores": values} for name, values in data["trend"].items()]
        trend_cols = [Column("县（市、区）", "county_name")] + [
            Column(f"{m}月", lambda r, i=i: r["scores"][i], "decimal") for i, m in enumerate(data["months"])
        ]
        status_rows = [r for r in data["ranking"]]
        status_cols = [
            Column("县（市、区）", "county_name"),
            Column("报送状态", "state_label"),
            Column("说明", "late_reason"),
        ]
        supervision = data["supervision"]
        supervision_cols = [
            Column("县（市、区）", "county_name"),
            Column("本年已检查", "done", "int"),
            Column("本年计划检查", "planned", "int"),
            Column("在建项目", "under_construction", "int"),
            Column("在建项目本年已检查", "inspected_construction", "int"),
            Column("在建项目检查覆盖率", "coverage"),
            Column("本月检查项目", "inspected", "int"),
            Column("本月发现问题", "findings", "int"),
            Column("按时整改", "on_time", "int"),
            Column("依法处罚", "penalised", "int"),
            Column("逾期整改", "late", "int"),
            Column("逾期未整改", "overdue", "int"),
            Column("未到期限", "not_due", "int"),
        ]
        laggard_cols = [
            Column("县（市、区）", "county_name"),
            Column("项目", "project_name"),
            Column("责任单位", "enterprise"),
            Column("通知单编号", "number"),
            Column("问题", "description", width=40),
            Column("整改期限", "deadline", "date"),
            Column("情况", "state"),
        ]
        progress_cols = [
            Column("县（市、区）", "county_name"),
            Column("项目编号", "project_code"),
            Column("项目", "project_name", width=30),
            Column("节点", "kind"),
            Column("计划日期", "planned_on", "date"),
            Column("实际日期", "actual_on", "date"),
            Column("超期天数", "days_behind", "int"),
            Column("情况", "state"),
        ]
        supervision_sheets = [
            ("督查通报", supervision_cols, supervision["rows"]),
            ("督查通报-逾期整改", laggard_cols, supervision["laggards"]),
            ("进度滞后通报", progress_cols, data["progress"]["rows"]),
        ]
        if not data["has_published_data"]:
            return [("报送情况", status_cols, status_rows), *supervision_sheets]
        return [
            ("排名", ranking_cols, rows),
            ("分项得分", item_cols, data["item_rows"]),
            ("逾期、未报送与未计入", late_cols, data["late"] + data["missing"] + data["not_counted"]),
            ("行政绩效加减分", adj_cols, data["adjustments"]),
            ("得分趋势", trend_cols, trend_rows),
            *supervision_sheets,
        ]


def due_bulletin_month(now: dt.datetime | None = None) -> tuple[int, int]:
    """The month whose deadline has just passed: on the 21st of month M (after the 20th) it is month M."""
    local = timezone.localtime(now) if now else timezone.localtime()
    return local.year, local.month
