"""Reference data (checklist templates) and the demo: a plan per quarter, drawn, with findings in several states."""

from __future__ import annotations

from inspections.checklists import TEMPLATES, items
from inspections.models import ChecklistTemplate


def seed_reference(out) -> None:
    created = 0
    for code, name, entries in TEMPLATES:
        if not ChecklistTemplate.objects.filter(code=code).exists():
            ChecklistTemplate.objects.create(code=code, name=name, version=1, items=items(entries), active=True)
            created += 1
    out.write(f"双随机检查表模板：新建{created}个。")
