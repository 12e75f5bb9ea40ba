"""Excel columns of the accounts lists, declared once for the web list and the API export."""

from __future__ import annotations

from core.exports import Column

REGION_COLUMNS = [Column("名称", "name"), Column("代码", "code"), Column("级别", "get_level_display")]

ENTERPRISE_COLUMNS = [
    Column("单位名称", "name"),
    Column("统一社会信用代码", "credit_code"),
    Column("单位类别", lambda e: "、".join(k.name for k in e.kinds.all())),
    Column("所在区域", "region.name"),
    Column("登记时间", "created_at", "datetime"),
]

USER_COLUMNS = [
    Column("用户名", "username"),
    Column("姓名", "name"),
    Column("角色", "get_role_display"),
    Column("所属区域", "region.name"),
    Column("所属单位", "enterprise.name"),
]
