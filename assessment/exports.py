"""Excel columns of the assessment lists, declared once: the web lists, the API ``export/`` actions and the report
generators (the monthly bulletin's ranking sheet, the annual report's score sheet) all use these."""

from __future__ import annotations

from core.exports import Column

_COUNTY = Column("县（市、区）", "county.name")
_YEAR = Column("年度", "year", "int")
_MONTH = Column("月份", "month", "int")

SUBMISSION_COLUMNS = [
    _COUNTY,
    _YEAR,
    _MONTH,
    Column("状态", "get_status_display"),
    Column("首次报送时间", "first_submitted_at", "datetime"),
    Column("逾期", "is_late"),
    Column("考评项得分", "items_total", "decimal"),
    Column("行政绩效", "adjustments_total", "decimal"),
    Column("月度得分", "score", "decimal"),
    Column("自评得分", "self_score", "decimal"),
    Column("纸质原件送达", "paper_received_on", "date"),
]

# A month's ranking (assessment.ranking.RankingRow): the web page, the API and the monthly bulletin.
RANKING_COLUMNS = [
    Column("排名", "rank", "int"),
    Column("县（市、区）", "county_name"),
    Column("月度得分", "score", "decimal"),
    Column("考评项得分", "items_total", "decimal"),
    Column("行政绩效", "adjustments_total", "decimal"),
    Column("名次变化", "rank_change_label"),
    Column("报送情况", "state_label"),
    Column("说明", lambda r: r.late_reason or "；".join(f"{p:+} {why}" for p, why in r.adjustments)),
]


def _month_cell(row, m):
    """Excel cell of a month in the annual table: the score it counts with, else its state (待审核、已退回 …)."""
    score = row.monthly_scores[m - 1]
    return score if score is not None else row.month_labels[m - 1]


# A year's scores (assessment.ranking.AnnualRow): the web page, the API and the annual report.
ANNUAL_COLUMNS = [
    Column("排名", "rank", "int"),
    Column("县（市、区）", "county_name"),
    Column("全年目标任务得分", "target_score", "decimal"),
    Column("目标任务得分来源", "target_score_source"),
    Column("月度考核平均分", "monthly_average", "decimal"),
    Column("计入月数", "months_counted", "int"),
    Column("年度得分", "score", "decimal"),
    Column("等次", "grade"),
    Column("状态", "status_note"),
    Column("计算", "explanation"),
    *[Column(f"{m}月", (lambda r, m=m: _month_cell(r, m)), "decimal") for m in range(1, 13)],
]

AUDIT_COLUMNS = [
    Column("时间", "at", "datetime"),
    _COUNTY,
    _YEAR,
    _MONTH,
    Column("操作人", lambda e: e.actor.display_name if e.actor else ""),
    Column("类别", "get_kind_display"),
    Column("项目", "field"),
    Column("原值", "old_value"),
    Column("新值", "new_value"),
    Column("原因", "reason"),
]

EXCEPTION_COLUMNS = [
    _COUNTY,
    _YEAR,
    _MONTH,
    Column("延至", "new_deadline", "datetime"),
    Column("理由", "reason"),
    Column("批准时间", "granted_at", "datetime"),
]

RUBRIC_COLUMNS = [_YEAR, Column("版本", "version", "int"), Column("冻结", "is_frozen")]

RUBRIC_ITEM_COLUMNS = [Column("编号", "code"), Column("考评内容", "content"), Column("满分", "max_points", "decimal")]

TARGET_COLUMNS = [
    _COUNTY,
    _YEAR,
    Column("既有居住建筑节能改造（万m²）", "retrofit_residential_area", "decimal"),
    Column("既有公共建筑绿色化改造（万m²）", "retrofit_public_area", "decimal"),
    Column("装配式比例（%）", "effective_prefab_ratio", "decimal"),
    Column("绿色建筑比例（%）", "green_ratio", "decimal"),
]

EVIDENCE_COLUMNS = [Column("考评项", "item.code"), Column("文件名", "original_name"), Column("大小", "size", "int")]

ADJUSTMENT_COLUMNS = [Column("加减分", "points", "decimal"), Column("理由", "reason")]
