"""The credit score, a pure function of the entries in force and the rule (no Django).

Default rule (``DEFAULT_RULE``; the city replaces it by a new version in the app, ``credit.services.adopt_rule``):

* base 100;
* good behaviours add: an award the catalogue's points (鲁班奖 10 … 丹河杯 2), 示范项目 +3, 精品工程 +2,
  绿色建造试点 +1, each valid 3 years (the points-ledger window); 按期整改到位 is recorded with 0;
* bad behaviours subtract: a constraint record 一般 −2 / 较重 −5 / 严重 −10 (资质挂靠, 清退出场), an escalated
  整改通知单 −3, a 行政处罚 −5, a substantiated complaint −1, valid 1 year (严重: 2 years); a missing or lapsed
  mandatory insurance is recorded with 0;
* grades: A ≥ 105, B ≥ 90, C ≥ 75, D below.

An entry is *in force* on a day from its date through its last valid day, unless withdrawn on appeal on or before
that day. score(day) = base + Σ points of the entries in force on that day. 黑名单: grade D, or any 严重 entry in
force. The rule's validity periods stay inside 建市〔2017〕241号's ranges: good records at most 3 years, bad ones
6 months to 3 years.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Protocol

CATALOGUE = "catalogue"  # a behaviour whose points are the entry's own (the award catalogue's value)

GOOD = ("award", "demonstration", "jingpin", "green_pilot", "on_time_rectification")
BAD = (
    "constraint_minor",
    "constraint_serious",
    "constraint_major",
    "notice_escalated",
    "penalty",
    "complaint",
    "insurance",
)
SEVERITIES = ("minor", "serious", "major")
GRADES = ("A", "B", "C", "D")
GOOD_MONTHS = (1, 36)  # 优良信用信息: public about 3 years at most
BAD_MONTHS = (6, 36)  # 不良信用信息: 6 months to 3 years

# Constraint kinds (projects.ConstraintKind) → severity; a kind mapped to None is not a credit entry.
DEFAULT_CONSTRAINT_SEVERITY = {
    "attendance": "minor",
    "affiliation": "major",
    "material": "serious",
    "major_change": None,
    "quality_accident": "serious",
    "safety_accident": "serious",
    "inspection_overdue": "minor",
    "other": "minor",
}

DEFAULT_RULE: dict = {
    "base": "100",
    "grades": {"A": "105", "B": "90", "C": "75"},
    "behaviours": {
        "award": {"points": CATALOGUE, "months": 36},
        "demonstration": {"points": "3", "months": 36},
        "jingpin": {"points": "2", "months": 36},
        "green_pilot": {"points": "1", "months": 36},
        "on_time_rectification": {"points": "0", "months": 36},
        "constraint_minor": {"points": "-2", "months": 12},
        "constraint_serious": {"points": "-5", "months": 12},
        "constraint_major": {"points": "-10", "months": 24},
        "notice_escalated": {"points": "-3", "months": 12},
        "penalty": {"points": "-5", "months": 12},
        "complaint": {"points": "-1", "months": 12},
        "insurance": {"points": "0", "months": 12},
    },
    "constraint_severity": DEFAULT_CONSTRAINT_SEVERITY,
    "expelled_severity": "major",  # 清退出场: whatever the kind
}

BEHAVIOUR_LABELS = {
    "award": "获奖",
    "demonstration": "示范项目",
    "jingpin": "精品工程",
    "green_pilot": "绿色建造试点",
    "on_time_rectification": "按期整改到位",
    "constraint_minor": "约束记录（一般）",
    "constraint_serious": "约束记录（较重）",
    "constraint_major": "约束记录（严重）",
    "notice_escalated": "整改通知单逾期未整改",
    "penalty": "行政处罚",
    "complaint": "投诉举报查实",
    "insurance": "未按规定投保",
}


@dataclass(frozen=True)
class BehaviourRule:
    points: Decimal | None  # None: the catalogue's points carried by the entry
    months: int


@dataclass(frozen=True)
class Rule:
    version: int
    base: Decimal
    grade_a: Decimal
    grade_b: Decimal
    grade_c: Decimal
    behaviours: Mapping[str, BehaviourRule]
    constraint_severity: Mapping[str, str | None] = field(default_factory=dict)
    expelled_severity: str = "major"

    def points(self, behaviour: str, catalogue_points: Decimal | None = None) -> Decimal:
        """The signed points of one entry of ``behaviour`` (an award: its catalogue points)."""
        rule = self.behaviours[behaviour]
        if rule.points is None:
            return Decimal(catalogue_points or 0)
        return rule.points

    def months(self, behaviour: str) -> int:
        return self.behaviours[behaviour].months

    def constraint_behaviour(self, kind: str, expelled: bool) -> str | None:
        """The behaviour of a constraint record: 清退出场 is the expelled severity, else the kind's; None: none."""
        severity = self.expelled_severity if expelled else self.constraint_severity.get(kind)
        return f"constraint_{severity}" if severity else None


def rule_from_data(data: Mapping, version: int = 0) -> Rule:
    """A ``Rule`` from its stored JSON (``CreditRule.data``); the data is assumed valid (``validate``)."""
    behaviours = {}
    for code, item in data["behaviours"].items():
        points = None if item["points"] == CATALOGUE else Decimal(str(item["points"]))
        behaviours[code] = BehaviourRule(points=points, months=int(item["months"]))
    grades = data["grades"]
    return Rule(
        version=version,
        base=Decimal(str(data["base"])),
        grade_a=Decimal(str(grades["A"])),
        grade_b=Decimal(str(grades["B"])),
        grade_c=Decimal(str(grades["C"])),
        behaviours=behaviours,
        constraint_severity=dict(data.get("constraint_severity") or {}),
        expelled_severity=data.get("expelled_severity") or "major",
    )


def _number(value, errors: list[str], label: str, low: Decimal, high: Decimal) -> Decimal | None:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors.append(f"{label}应为数字。")
        return None
    if not number.is_finite():
        errors.append(f"{label}应为数字。")
        return None
    if not low <= number <= high:  # before the quantize, which a huge number would overflow
        errors.append(f"{label}应在{low}至{high}之间。")
        return None
    if number != number.quantize(Decimal("0.01")):
        errors.append(f"{label}最多保留两位小数。")
        return None
    return number


def _mapping(value, errors: list[str], message: str) -> Mapping:
    """A part of the rule that must be an object (the API takes any JSON): ``{}`` and the message otherwise."""
    if value in (None, ""):
        return {}
    if not isinstance(value, Mapping):
        errors.append(message)
        return {}
    return value


def validate(data: Mapping) -> list[str]:
    """Chinese messages for everything wrong in a rule's data (empty: the rule may be adopted)."""
    errors: list[str] = []
    if not isinstance(data, Mapping):
        return ["规则格式不正确。"]
    _number(data.get("base"), errors, "基础分", Decimal("0"), Decimal("1000"))
    grades = _mapping(data.get("grades"), errors, "等级分数线格式不正确。")
    a = _number(grades.get("A"), errors, "A级分数线", Decimal("0"), Decimal("1000"))
    b = _number(grades.get("B"), errors, "B级分数线", Decimal("0"), Decimal("1000"))
    c = _number(grades.get("C"), errors, "C级分数线", Decimal("0"), Decimal("1000"))
    if None not in (a, b, c) and not a > b > c:
        errors.append("等级分数线应满足 A > B > C。")
    behaviours = _mapping(data.get("behaviours"), errors, "行为计分规则格式不正确。")
    for code in (*GOOD, *BAD):
        label = BEHAVIOUR_LABELS[code]
        item = behaviours.get(code)
        if not isinstance(item, Mapping):
            errors.append(f"缺少“{label}”的计分规则。")
            continue
        good = code in GOOD
        if item.get("points") == CATALOGUE:
            if code != "award":
                errors.append(f"只有“获奖”可按奖项目录积分计分，“{label}”须填写分值。")
        elif good:
            _number(item.get("points"), errors, f"“{label}”的加分", Decimal("0"), Decimal("50"))
        else:
            _number(item.get("points"), errors, f"“{label}”的扣分", Decimal("-100"), Decimal("0"))
        low, high = GOOD_MONTHS if good else BAD_MONTHS
        kind = "良好行为" if good else "不良行为"
        try:
            months = int(str(item.get("months")).strip())
        except (TypeError, ValueError):
            errors.append(f"“{label}”的有效期应为整数（月）。")
            continue
        if not low <= months <= high:
            errors.append(f"“{label}”的有效期应在{low}至{high}个月之间（建市〔2017〕241号：{kind}信息公开期限）。")
    unknown = set(behaviours) - set(GOOD) - set(BAD)
    if unknown:
        errors.append("未知的行为类别：" + "、".join(sorted(unknown)) + "。")
    for kind, severity in _mapping(data.get("constraint_severity"), errors, "约束记录严重程度格式不正确。").items():
        if severity not in (*SEVERITIES, None, ""):
            errors.append(f"约束记录类别“{kind}”的严重程度不正确。")
    if (data.get("expelled_severity") or "major") not in SEVERITIES:
        errors.append("清退出场的严重程度不正确。")
    return errors


# --- dates ----------------------------------------------------------------------------------------------------
def add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def valid_until(occurred_on: dt.date, months: int) -> dt.date:
    """The last day an entry is in force: the day before the same date ``months`` later (1 year from 2026-03-10:
    through 2027-03-09)."""
    return add_months(occurred_on, months) - dt.timedelta(days=1)


# --- the score ------------------------------------------------------------------------------------------------
class EntryLike(Protocol):
    occurred_on: dt.date
    valid_until: dt.date
    withdrawn_on: dt.date | None
    points: Decimal
    severity: str


def in_force(entry: EntryLike, day: dt.date) -> bool:
    if entry.withdrawn_on is not None and entry.withdrawn_on <= day:
        return False
    return entry.occurred_on <= day <= entry.valid_until


def score(entries: Iterable[EntryLike], day: dt.date, rule: Rule) -> Decimal:
    return rule.base + sum((e.points for e in entries if in_force(e, day)), Decimal("0"))


def grade(value: Decimal, rule: Rule) -> str:
    if value >= rule.grade_a:
        return "A"
    if value >= rule.grade_b:
        return "B"
    if value >= rule.grade_c:
        return "C"
    return "D"


def major_in_force(entries: Iterable[EntryLike], day: dt.date) -> bool:
    return any(e.severity == "major" and in_force(e, day) for e in entries)


def on_blacklist(grade_value: str, has_major_in_force: bool) -> bool:
    """黑名单: grade D, or any 严重 entry in force."""
    return grade_value == "D" or has_major_in_force


def on_redlist(grade_value: str, has_major_in_force: bool) -> bool:
    """红榜: grade A (and no 严重 entry in force: one company is never on both lists)."""
    return grade_value == "A" and not has_major_in_force


def under_watch(grade_value: str) -> bool:
    """重点监管名单 (internal): grades C and D."""
    return grade_value in ("C", "D")


@dataclass(frozen=True)
class Standing:
    score: Decimal
    grade: str
    major: bool
    in_force: int


def standing(entries: Iterable[EntryLike], day: dt.date, rule: Rule) -> Standing:
    entries = list(entries)
    value = score(entries, day, rule)
    return Standing(
        score=value,
        grade=grade(value, rule),
        major=major_in_force(entries, day),
        in_force=sum(1 for e in entries if in_force(e, day)),
    )


def change_days(entries: Iterable[EntryLike]) -> set[dt.date]:
    """The days on which the set of entries in force can change (a start, the day after an end, a withdrawal)."""
    days: set[dt.date] = set()
    for e in entries:
        days.add(e.occurred_on)
        days.add(e.valid_until + dt.timedelta(days=1))
        if e.withdrawn_on:
            days.add(e.withdrawn_on)
    return days
