"""The checklist templates every deployment starts with (a 模板代码 → name and items).

The green-construction pilot checklist is the one of seed 003 that ``projects.services.pilot_checklist`` judges
from a project's data; here the inspector checks it on site (a test keeps the two lists the same).
"""

from __future__ import annotations

import re

# “（种子文件003）”, “(seed 003)”: where a template came from is the maintainers' business, not a published name.
SOURCE_NOTE = re.compile(r"\s*[（(]\s*(?:种子文件|种子|seed)\s*[0-9]*\s*[）)]", re.IGNORECASE)


def clean_name(name: str) -> str:
    """A template's name without any note of its source document."""
    return SOURCE_NOTE.sub("", name or "").strip()


GENERAL = (
    "general",
    "“双随机、一公开”工程质量安全检查表",
    [
        ("质量行为", "建设单位依法办理质量安全监督手续，施工许可手续齐全"),
        ("质量行为", "项目经理、总监理工程师等关键岗位人员到岗履职"),
        ("质量行为", "施工、监理单位资质与承接工程相符，无挂靠、转包、违法分包"),
        ("实体质量", "主要建筑材料、构配件进场验收和见证取样送检符合要求"),
        ("实体质量", "地基基础、主体结构实体质量符合设计和规范要求"),
        ("安全生产", "危险性较大的分部分项工程专项方案编制、论证和实施"),
        ("安全生产", "施工现场临边洞口防护、临时用电、起重机械管理符合要求"),
        ("建筑节能", "建筑节能设计、施工、验收执行节能标准（A1）"),
        ("绿色施工", "施工现场扬尘治理和建筑垃圾减量化措施落实"),
        ("保险", "工程质量保证险及监理、勘察、设计责任险按要求投保"),
    ],
)

GREEN_PILOT = (
    "green-pilot",
    "绿色建造试点项目检查表",
    [
        ("绿色建造", "达到绿色建筑二星级以上"),
        ("绿色建造", "采用标准化设计，应用装配式建筑技术"),
        ("绿色建造", "制定并落实施工现场垃圾减量化目标"),
        ("绿色建造", "采用绿色建材，提高绿色建材应用比例"),
        ("绿色建造", "设计、生产、施工阶段集成应用BIM技术"),
        ("绿色建造", "采用工程总承包、全过程工程咨询等集约化组织管理模式"),
    ],
)

TEMPLATES = (GENERAL, GREEN_PILOT)


def items(entries) -> list[dict]:
    return [{"category": category, "text": text} for category, text in entries]
