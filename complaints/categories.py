"""The default 问题类别 with their sub-categories (issue 25): the city edits the list afterwards.

Plain data, read by the data migration that introduced the list (the codes quality/safety/other are those of the
old fixed list, so existing complaints keep their category) and by ``ensure_defaults`` (the demo seed, and a
database emptied by a test).
"""

from __future__ import annotations

# (code, name, order, sub-category names)
DEFAULTS: list[tuple[str, str, int, tuple[str, ...]]] = [
    ("quality", "质量", 10, ("渗漏", "开裂", "空鼓", "节能保温", "材料质量")),
    ("safety", "安全", 20, ("高处作业", "临时用电", "起重机械", "脚手架", "基坑支护")),
    ("civilized", "文明施工", 30, ("扬尘", "噪声", "夜间施工", "渣土运输")),
    ("other", "其他", 90, ()),
]


def ensure_defaults(model) -> int:
    """Create the default categories that are missing (by code); returns how many rows were created.
    ``model`` is ComplaintCategory (or its historical version in a migration)."""
    created = 0
    for code, name, order, subs in DEFAULTS:
        top, new = model.objects.get_or_create(code=code, defaults={"name": name, "order": order})
        created += new
        for index, sub in enumerate(subs, start=1):
            _, new = model.objects.get_or_create(
                code=f"{code}-{index}", defaults={"name": sub, "parent": top, "order": index * 10}
            )
            created += new
    return created
