"""The programme's rules of seed 003 (常州市绿色建造试点工作方案), pure: plain data in, verdicts out.

- 二(二)1: “在全市范围内房屋建筑和市政基础设施工程项目中，选取不少于10个项目开展绿色建造试点工作。”
- 四(一): “各辖市、区和常州经开区必须确定1个以上房地产开发项目、1个以上政府投资的公建项目作为绿色建造试点项目”.
- 四(一), each pilot: “试点项目应达到《绿色建筑评价标准》（GB/T50378）绿色建筑二星级以上要求；试点项目应采用标准化设计，
  应用装配式建筑技术，优先采用管线分离、装配化装修；试点项目应制定并落实施工现场垃圾减量化目标，率先采用绿色建材，
  提高绿色建材应用比例；试点项目应在设计、生产、施工阶段集成应用BIM技术，推动智慧工地建设和建筑机器人等智能装备
  设备应用；试点项目应采用工程总承包、全过程工程咨询等集约化组织管理模式”.

A pilot counts once it is 确定 (its 策划方案 passed the experts' review: 评审通过 and every later state).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

CITY_MINIMUM = 10  # 二(二)1 不少于10个
COUNTY_MINIMUM_PER_TYPE = 1  # 四(一) 1个以上房地产开发项目、1个以上政府投资的公建项目
QUOTA_TYPES = ("real_estate", "public")
TYPE_NAMES = {"real_estate": "房地产开发项目", "public": "政府投资公建项目", "other": "其他项目"}


@dataclass(frozen=True)
class PilotFact:
    county_id: int
    pilot_type: str  # real_estate / public / other
    established: bool  # 评审通过（立项） or later


@dataclass
class CountyQuota:
    county_id: int
    county_name: str
    counts: dict[str, int] = field(default_factory=dict)  # type -> established pilots
    applying: int = 0  # not yet established (申报/评审中/退回修改)

    @property
    def real_estate(self) -> int:
        return self.counts.get("real_estate", 0)

    @property
    def public(self) -> int:
        return self.counts.get("public", 0)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def missing(self) -> list[str]:
        """The quota types this county has not met yet, as the seed names them."""
        return [TYPE_NAMES[t] for t in QUOTA_TYPES if self.counts.get(t, 0) < COUNTY_MINIMUM_PER_TYPE]

    @property
    def met(self) -> bool:
        return not self.missing


@dataclass
class Programme:
    counties: list[CountyQuota]
    established: int
    applying: int

    @property
    def city_met(self) -> bool:
        return self.established >= CITY_MINIMUM

    @property
    def counties_unmet(self) -> list[CountyQuota]:
        return [c for c in self.counties if not c.met]

    @property
    def county_warnings(self) -> list[str]:
        return [
            f"{county.county_name}尚未确定{'、'.join(county.missing)}试点（各辖市、区须各确定1个以上）。"
            for county in self.counties_unmet
        ]

    @property
    def warnings(self) -> list[str]:
        """The city's warnings: its own minimum first, then each county short of a quota."""
        out = []
        if not self.city_met:
            out.append(
                f"全市已确定试点项目{self.established}个，少于方案要求的{CITY_MINIMUM}个"
                f"（差{CITY_MINIMUM - self.established}个）。"
            )
        return out + self.county_warnings


def programme(counties: Iterable[tuple[int, str]], pilots: Iterable[PilotFact]) -> Programme:
    """Each county (id, name) against its two quotas, and the city against its minimum."""
    quotas = {cid: CountyQuota(cid, name) for cid, name in counties}
    established = applying = 0
    for pilot in pilots:
        quota = quotas.get(pilot.county_id)
        if pilot.established:
            established += 1
            if quota is not None:
                quota.counts[pilot.pilot_type] = quota.counts.get(pilot.pilot_type, 0) + 1
        else:
            applying += 1
            if quota is not None:
                quota.applying += 1
    return Programme(list(quotas.values()), established, applying)


# --- one pilot's requirements ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Requirement:
    code: str
    text: str
    met: bool | None  # None: not judged yet (the label before the acceptance)
    evidence: str
    required: bool = True  # False: 优先/鼓励 (shown, never a failure)


@dataclass(frozen=True)
class PlanFacts:
    """What the requirements are judged from: the current plan's targets and the acceptance's achieved label."""

    star_target: str = "none"
    star_target_name: str = ""
    standardised_design: bool = False
    prefab_rate: Decimal | None = None
    waste_target: Decimal | None = None
    green_material_share: Decimal | None = None
    bim_design: bool = False
    bim_production: bool = False
    bim_construction: bool = False
    smart_site: bool = False
    robots: bool = False
    pipeline_separation: bool = False
    assembled_decoration: bool = False
    intensive_model: bool = False
    delivery_model_name: str = ""
    achieved_label: str | None = None  # None: no acceptance yet
    achieved_label_name: str = ""
    label_meets: bool = False  # achieved label is 二星级 or better


def _fmt(value: Decimal) -> str:
    """55.00 → "55", 0.50 → "0.5" (no exponent)."""
    return format(value.normalize(), "f")


def requirements(facts: PlanFacts) -> list[Requirement]:
    """The 四(一) requirements of one pilot, each met / unmet / not yet judged, with the evidence."""
    if facts.achieved_label is None:
        star = Requirement(
            "star",
            "达到绿色建筑二星级以上",
            None,
            f"目标{facts.star_target_name or '未定'}；以专项评估验收取得的标识为准，尚未验收",
        )
    else:
        star = Requirement(
            "star", "达到绿色建筑二星级以上", facts.label_meets, f"专项评估验收取得：{facts.achieved_label_name}"
        )
    prefab = facts.standardised_design and facts.prefab_rate is not None and facts.prefab_rate > 0
    bim = [
        name
        for name, on in (("设计", facts.bim_design), ("生产", facts.bim_production), ("施工", facts.bim_construction))
        if on
    ]
    smart = [name for name, on in (("智慧工地", facts.smart_site), ("建筑机器人", facts.robots)) if on]
    preferred = [
        name for name, on in (("管线分离", facts.pipeline_separation), ("装配化装修", facts.assembled_decoration)) if on
    ]
    return [
        star,
        Requirement(
            "prefab",
            "采用标准化设计，应用装配式建筑技术",
            prefab,
            ("标准化设计" if facts.standardised_design else "未采用标准化设计")
            + (f"，装配率目标{_fmt(facts.prefab_rate)}%" if facts.prefab_rate is not None else "，未定装配率目标"),
        ),
        Requirement(
            "preferred",
            "优先采用管线分离、装配化装修",
            bool(preferred),
            "、".join(preferred) if preferred else "未采用",
            required=False,
        ),
        Requirement(
            "waste",
            "制定并落实施工现场垃圾减量化目标",
            facts.waste_target is not None,
            f"建筑垃圾排放不高于{_fmt(facts.waste_target)}吨/万㎡" if facts.waste_target is not None else "未制定目标",
        ),
        Requirement(
            "materials",
            "采用绿色建材，提高绿色建材应用比例",
            facts.green_material_share is not None and facts.green_material_share > 0,
            f"绿色建材应用比例目标{_fmt(facts.green_material_share)}%"
            if facts.green_material_share is not None
            else "未定目标",
        ),
        Requirement(
            "bim",
            "设计、生产、施工阶段集成应用BIM技术",
            len(bim) == 3,
            f"BIM应用阶段：{'、'.join(bim)}" if bim else "未应用BIM",
        ),
        Requirement("smart", "推动智慧工地建设和建筑机器人等智能装备应用", bool(smart), "、".join(smart) or "未采用"),
        Requirement(
            "model",
            "采用工程总承包、全过程工程咨询等集约化组织管理模式",
            facts.intensive_model,
            facts.delivery_model_name or "未定",
        ),
    ]


def unmet(reqs: Iterable[Requirement]) -> list[Requirement]:
    return [r for r in reqs if r.required and r.met is False]
