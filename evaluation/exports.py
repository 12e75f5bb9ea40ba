"""Excel columns of the evaluation lists, declared once for the web list, the API export and the annual report."""

from __future__ import annotations

from core.exports import Column

_COUNTY = Column("县（市、区）", "project.county.name")
_PROJECT_CODE = Column("项目编号", "project.code")
_PROJECT_NAME = Column("项目名称", "project.name")
_TOTAL = Column("总分", "total_score", "decimal")
_RESULT = Column("结果", "get_result_display")
_VETOES = Column("一票否决", lambda e: "、".join(v["name"] for v in e.vetoes))
_DEMONSTRATION = Column("示范项目", "demonstration")

EVALUATION_COLUMNS = [
    _PROJECT_CODE,
    _PROJECT_NAME,
    _COUNTY,
    Column("工程类别", "project.get_category_display"),
    Column("评价年度", "year", "int"),
    Column("评价标准", lambda e: f"V{e.template.version}"),
    Column("评分截止日期", "due_date", "date"),
    Column("状态", "get_status_display"),
    Column("专家人数", "panel_size", "int"),
    Column("已提交评分表", "submitted_count", "int"),
    _TOTAL,
    _RESULT,
    _VETOES,
    _DEMONSTRATION,
    Column("结束时间", "closed_at", "datetime"),
]
# An expert's own task list: no panel, no result (the county publishes those).
EXPERT_HIDDEN = ("专家人数", "已提交评分表", "总分", "结果", "一票否决", "示范项目")
EXPERT_EVALUATION_COLUMNS = [c for c in EVALUATION_COLUMNS if c.header not in EXPERT_HIDDEN]

# The closed evaluations of a year in the annual report.
EVALUATION_RESULT_COLUMNS = [
    _COUNTY,
    _PROJECT_CODE,
    _PROJECT_NAME,
    _TOTAL,
    _RESULT,
    _VETOES,
    _DEMONSTRATION,
    Column("未通过原因", lambda e: "；".join(e.fail_reasons or [])),
]

TEMPLATE_COLUMNS = [
    Column("工程类别", "get_category_display"),
    Column("版本", "version", "int"),
    Column("名称", "name"),
    Column("已冻结", "is_frozen"),
    Column("制定时间", "created_at", "datetime"),
]

VETO_COLUMNS = [Column("名称", "name"), Column("说明", "description"), Column("启用", "is_active")]

SCORE_SHEET_COLUMNS = [
    Column("评价", "evaluation_id", "int"),
    Column("专家", "expert.display_name"),
    Column("状态", "get_status_display"),
    Column("合计", "total", "decimal"),
    Column("提交时间", "submitted_at", "datetime"),
]

LIBRARY_COLUMNS = [
    Column("项目编号", "code"),
    Column("项目名称", "name"),
    Column("县（市、区）", "county.name"),
    Column("工程类别", "get_category_display"),
    Column("立项年度", "year", "int"),
    Column("政府投资", "government_invested"),
    Column("精品工程状态", "get_jingpin_status_display"),
]
