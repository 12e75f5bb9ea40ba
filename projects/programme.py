"""Programme rules on plain values (no Django): when a milestone is 滞后, and which of the city's goals a project
misses. The model, the list pages, the API, the bulletin and the daily slip check all call these.

Seeds:
- 000 五(三) 加强督办检查: “开展常态化督查，对工作滞后的予以通报。……每月将工作进展情况报县发改局”.
- 002 一(二) 工作目标 3: “全市装配式建筑占新建建筑面积的比例达到24%，装配率不低于30%”;
  5: “新立项大型公共建筑、装配式建筑（装配率高于50%）以及试点要求的新开工项目BIM技术应用率100%”.
- 002 三(一): “新建居住建筑执行75%节能标准，新建公共建筑执行72%节能标准”.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

# --- milestones ----------------------------------------------------------------------------------


def is_late(planned: dt.date | None, actual: dt.date | None, today: dt.date, grace_days: int) -> bool:
    """滞后: planned, and either not reached although ``today`` is more than ``grace_days`` after the plan, or
    reached more than ``grace_days`` after it. Exactly ``grace_days`` late is not yet late; no plan, never late."""
    if planned is None:
        return False
    limit = planned + dt.timedelta(days=grace_days)
    if actual is not None:
        return actual > limit
    return today > limit


def days_behind(planned: dt.date | None, actual: dt.date | None, today: dt.date) -> int:
    """Days past the plan: to the actual date once reached, else to ``today`` (0 when on time or unplanned)."""
    if planned is None:
        return 0
    return max(0, ((actual or today) - planned).days)


# --- goals ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalFacts:
    """What the units reported about one project."""

    category: str
    building_use: str
    government_invested: bool
    prefabricated: bool
    green_pilot: bool
    prefab_rate: Decimal | None
    energy_standard: Decimal | None
    bim_applied: bool


@dataclass(frozen=True)
class GoalSpec:
    """One goal rule: whom it covers (blank / False = not restricted) and what they must reach (None = no goal)."""

    name: str
    category: str = ""
    building_use: str = ""
    government_invested_only: bool = False
    prefabricated_only: bool = False
    pilot_only: bool = False
    min_prefab_rate: Decimal | None = None
    min_energy_standard: Decimal | None = None
    bim_required: bool = False


def applies(spec: GoalSpec, facts: GoalFacts) -> bool:
    return (
        (not spec.category or spec.category == facts.category)
        and (not spec.building_use or spec.building_use == facts.building_use)
        and (not spec.government_invested_only or facts.government_invested)
        and (not spec.prefabricated_only or facts.prefabricated)
        and (not spec.pilot_only or facts.green_pilot)
    )


def _pct(value: Decimal) -> str:
    return f"{value.normalize():f}%"


def unmet_goals(spec: GoalSpec, facts: GoalFacts) -> list[str]:
    """The goals of ``spec`` the project misses, in words (empty when it meets them or the rule does not cover it).
    A figure not reported is a goal not shown to be met."""
    if not applies(spec, facts):
        return []
    missed = []
    if spec.min_prefab_rate is not None:
        if facts.prefab_rate is None:
            missed.append(f"未填报装配率（要求不低于{_pct(spec.min_prefab_rate)}）")
        elif facts.prefab_rate < spec.min_prefab_rate:
            missed.append(f"装配率{_pct(facts.prefab_rate)}，低于{_pct(spec.min_prefab_rate)}")
    if spec.min_energy_standard is not None:
        if facts.energy_standard is None:
            missed.append(f"未填报执行的节能标准（要求{_pct(spec.min_energy_standard)}）")
        elif facts.energy_standard < spec.min_energy_standard:
            missed.append(f"执行{_pct(facts.energy_standard)}节能标准，低于{_pct(spec.min_energy_standard)}")
    if spec.bim_required and not facts.bim_applied:
        missed.append("未应用BIM技术（要求应用率100%）")
    return missed
