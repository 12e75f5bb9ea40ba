"""Excel columns of the inspections lists (web ``?export=xlsx`` and the API ``export`` action share them)."""

from __future__ import annotations

from core.exports import Column

PLAN_COLUMNS = [
    Column("计划名称", "name"),
    Column("组织单位", "organiser"),
    Column("年度", "year", "int"),
    Column("检查开始日期", "period_start", "date"),
    Column("检查结束日期", "period_end", "date"),
    Column("工程类别", lambda p: p.category_labels()),
    Column("项目阶段", lambda p: p.stage_labels()),
    Column("抽取项目数", "project_count", "int"),
    Column("每组人数", "team_size", "int"),
    Column("每组执法人员数", "enforcement_seats", "int"),
    Column("按信用等级差异化抽取（权重）", lambda p: p.grade_weights_display() or "否"),
    Column("状态", "get_status_display"),
    Column("公开随机值来源", "value_source"),
    Column("随机值可输入日期", "value_not_before", "date"),
    Column("承诺值（SHA-256）", "commitment"),
    Column("作废原因", "cancel_reason"),
    Column("公开随机值", "public_value"),
    Column("随机种子", "seed"),
    Column("抽取时间", "drawn_at", "datetime"),
]

NOTICE_COLUMNS = [
    Column("通知单编号", "number"),
    Column("县（市、区）", "finding.inspection.project.county.name"),
    Column("项目编号", "finding.inspection.project.code"),
    Column("项目名称", "finding.inspection.project.name"),
    Column("检查计划", "finding.inspection.plan.name"),
    Column("检查日期", "finding.inspection.inspected_on", "date"),
    Column("问题描述", "finding.description"),
    Column("严重程度", "finding.get_severity_display"),
    Column("责任单位", "finding.participant.enterprise.name"),
    Column("责任主体", "finding.get_responsible_role_display"),
    Column("下达日期", "issued_on", "date"),
    Column("整改期限", "deadline", "date"),
    Column("状态", "public_status"),
    Column("回复方式", "get_answer_channel_display"),
    Column("回复日期（代录为收到日期）", "answered_on", "date"),
    Column("回复人/代录人", lambda n: n.answered_by.display_name if n.answered_by_id else ""),
    Column("整改完成日期", "closed_on", "date"),
    Column("行政处罚文号", "penalty_doc_no"),
    Column("处罚日期", "penalty_on", "date"),
]

NOTICE_SELECT = (
    "finding__inspection__project__county",
    "finding__inspection__plan",
    "finding__participant__enterprise",
    "answered_by",
)

INSPECTION_COLUMNS = [
    Column("检查计划", "plan.name"),
    Column("抽取顺序", "draw_order", "int"),
    Column("项目编号", "project.code"),
    Column("项目名称", "project.name"),
    Column("县（市、区）", "project.county.name"),
    Column("状态", "get_status_display"),
    Column("检查日期", "inspected_on", "date"),
    Column("检查情况", "summary"),
]
