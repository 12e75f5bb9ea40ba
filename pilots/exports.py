"""Export columns of the pilot list, shared by the web list and the API ``export/``."""

from __future__ import annotations

from core.exports import Column

PILOT_COLUMNS = [
    Column("项目编号", "project.code", width=20),
    Column("项目名称", "project.name", width=30),
    Column("县（市、区）", "project.county.name", width=12),
    Column("试点类型", lambda p: p.get_pilot_type_display(), width=14),
    Column("建设单位", "builder.name", width=24),
    Column("状态", lambda p: p.get_status_display(), width=14),
    Column("策划方案版本", "revision", "int"),
    Column("立项日期", "approved_on", "date"),
    Column("申报时间", "created_at", "datetime"),
]

# The expert sees their own reviews; the opinions are the result of their work, not an evaluation's score.
PILOT_REVIEW_COLUMNS = [
    Column("项目", "pilot.project.name", width=30),
    Column("评审轮次", "round", "int"),
    Column("评审专家", "expert.display_name", width=12),
    Column("评审意见", "result_label"),
    Column("意见内容", "opinion", width=50),
    Column("提交时间", "submitted_at", "datetime"),
]
PILOT_CHECK_COLUMNS = [
    Column("项目", "pilot.project.name", width=30),
    Column("检查日期", "checked_on", "date"),
    Column("检查项数", lambda c: len(c.items), "int"),
    Column("不符合项", "unmet_count", "int"),
    Column("问题及建议", "findings", width=50),
]
