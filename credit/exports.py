"""Columns of the credit lists, shared by the API ``export/`` actions, the web lists and the report generators.

``entry_columns(day)`` is the exchange feed for the provincial 建筑市场监管与诚信一体化平台: one row per entry with
the enterprise's 统一社会信用代码, the behaviour's code (``credit.choices.Behaviour``) and label, 文号, dates, points,
and the entry's state on ``day`` (the one state function, ``CreditEntry.state``).
"""

from __future__ import annotations

import datetime as dt

from core.exports import Column
from credit import registry
from credit.choices import EntryState


def entry_columns(day: dt.date) -> list[Column]:
    """The exchange feed's columns; 状态 is the entry's state on ``day``."""
    return [
        Column("统一社会信用代码", "enterprise.credit_code", width=22),
        Column("单位名称", "enterprise.name"),
        Column("行为类别代码", "behaviour"),
        Column("行为类别", "get_behaviour_display"),
        Column("性质", "get_polarity_display"),
        Column("严重程度", "get_severity_display"),
        Column("文号", "document_no"),
        Column("认定日期", "occurred_on", "date"),
        Column("有效期至", "valid_until", "date"),
        Column("分值", "points", "decimal"),
        Column("状态", lambda e: EntryState(e.state(day)).label),
        Column("来源", lambda e: registry.label(e.source_type)),
    ]


STANDING_COLUMNS = [
    Column("统一社会信用代码", "enterprise.credit_code", width=22),
    Column("单位名称", "enterprise.name"),
    Column("信用分", "score", "decimal"),
    Column("信用等级", "grade"),
    Column("有严重不良记录", "major_in_force"),
    Column("有效记录数", "entries_in_force", "int"),
    Column("黑名单", "blacklisted"),
    Column("红榜", "redlisted"),
    Column("计分规则版本", "rule.version", "int"),
    Column("起始日期", "since", "date"),
]

APPEAL_COLUMNS = [
    Column("申诉时间", "submitted_at", "datetime"),
    Column("统一社会信用代码", "enterprise.credit_code", width=22),
    Column("单位名称", "enterprise.name"),
    Column("行为类别", "entry.get_behaviour_display"),
    Column("文号", "entry.document_no"),
    Column("认定日期", "entry.occurred_on", "date"),
    Column("申诉理由", "reasons", width=40),
    Column("状态", "get_status_display"),
    Column("处理时间", "decided_at", "datetime"),
    Column("处理理由", "decision_reason", width=40),
]

RULE_COLUMNS = [
    Column("版本", "version", "int"),
    Column("生效日期", "effective_from", "date"),
    Column("修订说明", "change_note", width=40),
    Column("修订时间", "created_at", "datetime"),
]
