"""The ledger's Excel columns, shared by the web list, the API export and the annual report.

The complainant's name and phone are never a column, for any role: each display of them is an audited event
on one complaint (``services.reveal_contact``), which a spreadsheet of many rows could not be.
"""

from __future__ import annotations

from core.exports import Column

BASE_COLUMNS = [
    Column("受理编号", "tracking_no", width=18),
    Column("来源渠道", "get_channel_display"),
    Column("收到日期", "received_on", "date"),
    Column("登记时间", "received_at", "datetime"),
    Column("来文/工单编号", "source_ref"),
    Column("录入人", lambda c: c.entered_by.display_name if c.entered_by_id else ""),
    Column("县（市、区）", "county.name"),
    Column("项目", lambda c: c.project.name if c.project_id else "", width=28),
    Column("地点", "address", width=24),
    Column("类别", "category.name"),
    Column("子类别", lambda c: c.subcategory.name if c.subcategory_id else ""),
    Column("问题描述", "description", width=40),
    Column("状态", "get_status_display"),
    Column("承办人", lambda c: c.handler.display_name if c.handler_id else ""),
    Column("受理时限", "accept_due", "date"),
    Column("办结时限", "close_due", "date"),
    Column("办结/不予受理时间", "finished_at", "datetime"),
    Column("逾期督办", lambda c: c.get_overdue_stage_display() if c.overdue_stage else ""),
    Column("核查结论", "get_substantiated_display"),
    Column("责任单位", lambda c: "、".join(e.name for e in c.responsible_enterprises.all()), width=28),
    Column("答复意见", "reply", width=40),
    Column("不予受理理由", "reject_reason", width=30),
]


def columns_for(user) -> list[Column]:
    """The same columns for every role: no contact (see the module docstring)."""
    return list(BASE_COLUMNS)


# The annual report's 投诉举报 sheets (complaints.analysis.summary rows).
COMPLAINT_COUNTY_COLUMNS = [
    Column("县（市、区）", "county"),
    Column("收到", "received", "int"),
    Column("已办结", "closed", "int"),
    Column("不予受理", "rejected", "int"),
    Column("办理中", "open", "int"),
    Column("逾期", "overdue", "int"),
    Column("按期受理率", "accept_rate"),
    Column("按期办结率", "close_rate"),
]
COMPLAINT_REPEAT_COLUMNS = [
    Column("项目", "project", width=30),
    Column("县（市、区）", "county"),
    Column("投诉件数", "count", "int"),
]
