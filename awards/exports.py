"""Excel columns of the awards lists (web ``?export=xlsx`` and the API ``export`` action share them)."""

from __future__ import annotations

from core.exports import Column

AWARD_RECORD_COLUMNS = [
    Column("获奖年度", "year", "int"),
    Column("级别", "award.get_level_display"),
    Column("奖项", "award.name"),
    Column("项目编号", "project.code"),
    Column("项目名称", "project.name"),
    Column("县（市、区）", "project.county.name"),
    Column("积分单位（总承包单位）", "contractor.name"),
    Column("积分", "points", "decimal"),
    Column("奖金发放单位（建设单位）", "builder.name"),
    Column("奖金（万元）", "bonus_wan", "decimal"),
    Column("表彰日期", "grant_date", "date"),
    Column("表彰文号", "document_no"),
]

DANHE_COLUMNS = [
    Column("年度", "year", "int"),
    Column("县（市、区）", "county.name"),
    Column("评选方式", "get_method_display"),
    Column("候选项目数", "candidate_count", "int"),
    Column("获奖数量", "winners_count", "int"),
    Column("状态", "get_status_display"),
    Column("表彰日期", "grant_date", "date"),
    Column("表彰文号", "document_no"),
    Column("确认人", lambda s: s.confirmed_by.display_name if s.confirmed_by_id else ""),
    Column("确认时间", "confirmed_at", "datetime"),
]

SAVINGS_BONUS_COLUMNS = [
    Column("确认日期", "confirmed_on", "date"),
    Column("项目编号", "project.code"),
    Column("项目名称", "project.name"),
    Column("县（市、区）", "project.county.name"),
    Column("新工艺/新技术", "measure"),
    Column("提出单位类别", "get_proposer_kind_display"),
    Column("提出单位", "recipient.name"),
    Column("节约金额（元）", "amount_saved", "decimal"),
    Column("奖励比例（%）", "rate_percent", "percent"),
    Column("奖励金额（元）", "bonus", "decimal"),
    Column("确认单位（建设单位）", "builder.name"),
    Column("确认人", lambda b: b.confirmed_by.display_name if b.confirmed_by_id else ""),
]

DESIGN_BONUS_COLUMNS = [
    Column("确认日期", "confirmed_on", "date"),
    Column("项目编号", "project.code"),
    Column("项目名称", "project.name"),
    Column("县（市、区）", "project.county.name"),
    Column("设计单位", "designer.name"),
    Column("建设单位", "builder.name"),
    Column("批复概算建安费（元）", "approved_estimate", "decimal"),
    Column("施工图预算建安费（元）", "drawing_budget", "decimal"),
    Column("降低比例（%）", "reduction_percent", "percent"),
    Column("设计费基数（元）", "base_design_fee", "decimal"),
    Column("设计费上浮比例（%）", "fee_increase_percent", "percent"),
    Column("设计费增加额（元）", "fee_increase", "decimal"),
    Column("登记人", lambda b: b.confirmed_by.display_name if b.confirmed_by_id else ""),
]


def ledger_columns(ledger) -> list[Column]:
    columns = [
        Column("排名", "rank", "int"),
        Column("单位名称", "name"),
        Column("统一社会信用代码", "credit_code"),
    ]
    columns += [Column(f"{y}年积分", f"points_{y}", "decimal") for y in ledger.years]
    columns += [
        Column(
            f"近{ledger.window}年积分（{ledger.first_year}-{ledger.last_year}，评定分离参考）",
            "window_points",
            "decimal",
        ),
        Column("累计积分", "total_points", "decimal"),
        Column("累计获奖次数", "award_count", "int"),
        # the credit grade beside the points (rows through awards.credit.attach_standings / with_standings)
        Column("信用等级", "credit_grade"),
        Column("信用分", "credit_score", "decimal"),
    ]
    return columns
