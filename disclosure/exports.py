"""The 公示管理 list's Excel columns, shared by the web list and the API export."""

from __future__ import annotations

from core.exports import Column
from disclosure.public import public_path

DISCLOSURE_COLUMNS = [
    Column("项目编号", "project.code"),
    Column("项目名称", "project.name", width=30),
    Column("县（市、区）", "project.county.name"),
    Column("已公示", "published"),
    Column("工程地点", "location", width=30),
    Column("公示时间", "published_at", "datetime"),
    Column("撤销时间", "withdrawn_at", "datetime"),
    Column("撤销原因", "withdrawal_reason", width=30),
    Column("公示页", lambda d: public_path(d.public_id) if d.published or d.withdrawn_at else "", width=36),
]
