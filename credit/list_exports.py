"""Excel columns of the 重点监管名单 (the web list's ``?export=xlsx`` and the API ``export/`` share them)."""

from __future__ import annotations

from core.exports import Column
from credit.choices import Behaviour


def behaviour_label(code: str | None) -> str:
    return Behaviour(code).label if code else ""


WATCHLIST_COLUMNS = [
    Column("单位名称", "enterprise.name"),
    Column("统一社会信用代码", "enterprise.credit_code"),
    Column("所在区域", "enterprise.region.name"),
    Column("信用分", "score", "decimal"),
    Column("信用等级", "grade"),
    Column("有严重不良记录", "major_in_force"),
    Column("有效不良记录数", "bad_in_force", "int"),
    Column("最近不良行为", lambda s: behaviour_label(s.latest_bad_behaviour)),
    Column("最近不良行为摘要", "latest_bad_title"),
    Column("认定日期", "latest_bad_on", "date"),
    Column("文号", "latest_bad_document_no"),
    Column("等级起始日期", "since", "date"),
]
