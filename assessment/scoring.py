"""The monthly county scoring engine (SPEC §5.1, seed 002 附件3) — pure Python, no Django.

Input: a month's figures (cumulative year-to-date, 万m²), binary facts, counts, manual scores and the
county's targets, plus the rubric as a list of :class:`ItemRule`. Output: a :class:`ScoreSheet` with,
per item, the intermediate ratio, the score and a short Chinese explanation a clerk can check by hand.

Precision rule (seed: "精确到小数点后两位，只舍不入"): every figure, every ratio (in percent) and every
score is cut — never rounded — to 2 places (``core.decimals.cut2``). Intermediate arithmetic runs in a
wide Decimal context that itself rounds toward zero, so nothing can ever be rounded up on the way.
Products are formed before the single division (``ratio × max ÷ target``).

Evidence rule (seed 002 附件1 四: "每月报送材料及工作措施印证材料（附目录清单）要真实有效、前后对应，无印证材料的
不计分"): an item whose rule ``requires_evidence`` and whose code is not in ``MonthData.evidenced`` (the items with
印证材料, or whose paper originals the reviewer accepted instead) scores 0 — in the one engine every reader uses
(live preview, stored item scores, official month score, ranking, bulletin). The result keeps what it would have
earned (``earned``) and says why in its explanation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_DOWN, Decimal, localcontext
from enum import StrEnum
from zoneinfo import ZoneInfo

from core.decimals import cut2, fmt, to_decimal

ZERO = Decimal("0.00")
HUNDRED = Decimal(100)

# --- the input vocabulary the rubric's parameters refer to ----------------------------------------
FIGURES: dict[str, str] = {
    "new_building_area": "城镇新建建筑面积",
    "renewable_area": "可再生能源应用面积",
    "retrofit_residential_area": "既有居住建筑节能改造累计开工面积",
    "retrofit_public_area": "公共建筑绿色化改造累计开工面积",
    "green_area_accepted": "验收绿色建筑面积",
    "green_area_star_rated": "星级绿色建筑面积",
    "prefab_area": "装配式建筑面积",
}
FACTS: dict[str, str] = {
    "energy_standard_full": "新建建筑节能标准执行率达到100%",
    "no_unrectified_findings": "“双随机、一公开”检查发现的问题均按时整改到位、依法处罚",
    "residential_in_reserve": "既有居住建筑节能改造项目已报入储备库",
    "public_in_reserve": "公共建筑绿色化改造项目已报入储备库",
    "green_standard_all": "新开工项目全部执行《绿色建筑发展条例》",
    "star_design_filed": "二星及以上绿色建筑专项设计文件全部审查报备",
    "bim_met": "试点企业、试点项目达到BIM技术应用试点要求",
    "rd_ledger_submitted": "已按要求报送研发活动台账",
    "sci_tech_met": "省部/厅计划项目立项、建设科技成果登记数量达到要求",
}
COUNTS: dict[str, str] = {
    "green_label_one_star": "一星级绿色建筑标识（个）",
    "green_label_two_star": "二星级绿色建筑标识（个）",
    "green_label_three_star": "三星级绿色建筑标识（个）",
    "green_material_certifications": "绿色建材产品认证（项）",
    "green_material_pilots": "绿色建材应用试点项目（个）",
    "innovation_projects": "山西省绿色建筑创新项目（个）",
}
TARGETS: dict[str, str] = {
    "retrofit_residential_area": "既有居住建筑节能改造年度任务（万m²）",
    "retrofit_public_area": "既有公共建筑绿色化改造年度任务（万m²）",
    "prefab_ratio": "装配式建筑占新建建筑面积比例目标（%）",
    "green_ratio": "绿色建筑占城镇新建建筑面积比例目标（%）",
    "innovation_projects": "培育绿色建筑创新项目（个）",
    "sci_tech_registrations": "建设科技成果登记（个）",
}


class RuleKind(StrEnum):
    PASS_FAIL = "pass_fail"  # full marks when every listed fact holds
    RATIO = "ratio_to_target"  # ratio (figure ÷ figure, or figure ÷ target) against a target
    COUNT_LEVELS = "count_levels"  # points per counted thing by level, capped at the maximum
    COUNT_AT_LEAST = "count_at_least"  # full marks when a count reaches a minimum (≥ 1)
    MANUAL = "manual"  # the reviewer gives the score


class ZeroTargetPolicy(StrEnum):
    FULL = "full"  # not applicable: full marks (泽州县 has no retrofit task → A3 8)
    ZERO = "zero"


@dataclass(frozen=True)
class ItemRule:
    code: str
    max_points: Decimal
    kind: str
    params: Mapping = field(default_factory=dict)
    zero_target_policy: str = ZeroTargetPolicy.FULL
    name: str = ""
    requires_evidence: bool = False  # 得分须附印证材料: no evidence, no score


@dataclass(frozen=True)
class MonthData:
    figures: Mapping[str, Decimal | None] = field(default_factory=dict)
    facts: Mapping[str, bool] = field(default_factory=dict)
    counts: Mapping[str, int] = field(default_factory=dict)
    targets: Mapping[str, Decimal | None] = field(default_factory=dict)
    manual: Mapping[str, Decimal | None] = field(default_factory=dict)
    # codes of the items that have 印证材料 (or whose paper originals the reviewer accepted)
    evidenced: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ItemResult:
    code: str
    max_points: Decimal
    score: Decimal
    explanation: str
    ratio: Decimal | None = None  # percent, cut to 2 places
    applicable: bool = True
    capped: bool = False
    evidence_missing: bool = False  # would have scored ``earned``, but 无印证材料的不计分
    earned: Decimal | None = None


@dataclass(frozen=True)
class ScoreSheet:
    items: tuple[ItemResult, ...]

    @property
    def total(self) -> Decimal:
        return cut2(sum((i.score for i in self.items), ZERO))

    def by_code(self) -> dict[str, ItemResult]:
        return {i.code: i for i in self.items}


def fmt2(value: Decimal) -> str:
    return format(cut2(value), "f")


def _div(numerator: Decimal, denominator: Decimal) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 60
        ctx.rounding = ROUND_DOWN
        return numerator / denominator


def _mul(a: Decimal, b: Decimal) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 60
        ctx.rounding = ROUND_DOWN
        return a * b


def _figure(data: MonthData, key: str) -> Decimal:
    value = data.figures.get(key)
    return ZERO if value is None else cut2(value)


def _cap(score: Decimal, maximum: Decimal) -> tuple[Decimal, bool]:
    score = cut2(score)
    if score > maximum:
        return cut2(maximum), True
    return max(score, ZERO), False


def _target(rule: ItemRule, data: MonthData) -> Decimal | None:
    params = rule.params
    if "target_value" in params:
        return to_decimal(str(params["target_value"]))
    value = data.targets.get(params.get("target_key", ""))
    return None if value is None else to_decimal(value)


def _zero_target(rule: ItemRule, maximum: Decimal) -> ItemResult:
    if rule.zero_target_policy == ZeroTargetPolicy.FULL:
        return ItemResult(rule.code, maximum, maximum, f"年度目标为0，不适用，得满分{fmt(maximum)}", applicable=False)
    return ItemResult(rule.code, maximum, ZERO, "年度目标为0，得0分", applicable=False)


def score_ratio(rule: ItemRule, data: MonthData) -> ItemResult:
    params = rule.params
    maximum = cut2(rule.max_points)
    target = _target(rule, data)
    if target is None:
        return ItemResult(rule.code, maximum, ZERO, "未设定年度目标，暂得0分")
    if target == 0:
        return _zero_target(rule, maximum)
    numerator = _figure(data, params["numerator"])
    denominator_key = params.get("denominator")
    threshold = params.get("mode") == "threshold"
    if denominator_key:
        denominator = _figure(data, denominator_key)
        if denominator == 0:
            text = params.get("zero_denominator_text", "无新建面积")
            return ItemResult(rule.code, maximum, ZERO, f"{text}，得0分")
        ratio = cut2(_div(_mul(numerator, HUNDRED), denominator))
        lead = f"{fmt2(numerator)} ÷ {fmt2(denominator)} = {ratio}%，"
        if threshold:
            met = ratio >= target
            score = maximum if met else ZERO
            sign = "≥" if met else "<"
            return ItemResult(
                rule.code, maximum, score, f"{lead}{ratio}% {sign} {fmt(target)}%，得{fmt(score)}分", ratio
            )
        raw, capped = _cap(_div(_mul(ratio, maximum), target), maximum)
        exact = cut2(_div(_mul(ratio, maximum), target))
        text = f"{ratio}% ÷ {fmt(target)}% × {fmt(maximum)} = {exact}"
        return ItemResult(
            rule.code, maximum, raw, lead + text + (f"，封顶{fmt(maximum)}" if capped else ""), ratio, capped=capped
        )
    # figure against an absolute annual target (A3, A5): started area ÷ target × max
    ratio = cut2(_div(_mul(numerator, HUNDRED), target))
    lead = f"{fmt2(numerator)} ÷ {fmt(target)} = {ratio}%，"
    if threshold:
        met = ratio >= HUNDRED
        score = maximum if met else ZERO
        return ItemResult(rule.code, maximum, score, f"{lead}{'已' if met else '未'}完成目标，得{fmt(score)}分", ratio)
    exact = cut2(_div(_mul(ratio, maximum), HUNDRED))
    score, capped = _cap(exact, maximum)
    text = f"{lead}{ratio}% × {fmt(maximum)} = {exact}" + (f"，封顶{fmt(maximum)}" if capped else "")
    return ItemResult(rule.code, maximum, score, text, ratio, capped=capped)


def score_pass_fail(rule: ItemRule, data: MonthData) -> ItemResult:
    maximum = cut2(rule.max_points)
    facts = list(rule.params.get("facts", ()))
    missing = [key for key in facts if not data.facts.get(key)]
    if facts and not missing:
        return ItemResult(rule.code, maximum, maximum, f"达到要求，得{fmt(maximum)}分")
    why = "；".join(f"未满足：{FACTS.get(key, key)}" for key in missing) or "未达到要求"
    return ItemResult(rule.code, maximum, ZERO, f"{why}，得0分")


def score_count_levels(rule: ItemRule, data: MonthData) -> ItemResult:
    maximum = cut2(rule.max_points)
    parts, total = [], ZERO
    for level in rule.params.get("levels", ()):
        key, points, label = level["count"], to_decimal(str(level["points"])), level.get("label", "")
        count = int(data.counts.get(key) or 0)
        if count:
            parts.append(f"{label or COUNTS.get(key, key)}{count}个×{fmt(points)}")
            total += count * points
    if not parts:
        return ItemResult(rule.code, maximum, ZERO, "无认定，得0分")
    score, capped = _cap(total, maximum)
    text = " + ".join(parts) + f" = {fmt(total)}" + (f"，封顶{fmt(maximum)}" if capped else f"，得{fmt(score)}分")
    return ItemResult(rule.code, maximum, score, text, capped=capped)


def score_count_at_least(rule: ItemRule, data: MonthData) -> ItemResult:
    maximum = cut2(rule.max_points)
    key = rule.params["count"]
    minimum = int(rule.params.get("min", 1))
    count = int(data.counts.get(key) or 0)
    if count >= minimum:
        return ItemResult(rule.code, maximum, maximum, f"{count}个（≥{minimum}），得{fmt(maximum)}分")
    return ItemResult(rule.code, maximum, ZERO, f"{count}个（<{minimum}），得0分")


def score_manual(rule: ItemRule, data: MonthData) -> ItemResult:
    maximum = cut2(rule.max_points)
    given = data.manual.get(rule.code)
    if given is None or given == "":
        return ItemResult(rule.code, maximum, ZERO, "待市局评分")
    score, capped = _cap(to_decimal(str(given)), maximum)
    return ItemResult(
        rule.code, maximum, score, f"评审评分{fmt(score)}" + ("（封顶）" if capped else ""), capped=capped
    )


SCORERS = {
    RuleKind.PASS_FAIL: score_pass_fail,
    RuleKind.RATIO: score_ratio,
    RuleKind.COUNT_LEVELS: score_count_levels,
    RuleKind.COUNT_AT_LEAST: score_count_at_least,
    RuleKind.MANUAL: score_manual,
}


def score_item(rule: ItemRule, data: MonthData) -> ItemResult:
    try:
        scorer = SCORERS[RuleKind(rule.kind)]
    except ValueError:
        raise ValueError(f"unknown rule kind {rule.kind!r} for item {rule.code}") from None
    return require_evidence(rule, data, scorer(rule, data))


def require_evidence(rule: ItemRule, data: MonthData, result: ItemResult) -> ItemResult:
    """无印证材料的不计分 (seed 002 附件1 四): a score without evidence counts 0."""
    if not rule.requires_evidence or result.score <= 0 or rule.code in data.evidenced:
        return result
    return replace(
        result,
        score=ZERO,
        evidence_missing=True,
        earned=result.score,
        explanation=f"{result.explanation}；无印证材料的不计分（应得{fmt(result.score)}分），得0分",
    )


def score_sheet(rules: Iterable[ItemRule], data: MonthData) -> ScoreSheet:
    return ScoreSheet(tuple(score_item(rule, data) for rule in rules))


def rule_inputs(rule: ItemRule) -> dict[str, list[str]]:
    """Which figures, facts and counts an item reads (to group the county's form like the rubric)."""
    params = rule.params
    figures = [params[k] for k in ("numerator", "denominator") if params.get(k)]
    counts = [lvl["count"] for lvl in params.get("levels", ())] + ([params["count"]] if params.get("count") else [])
    return {"figures": figures, "facts": list(params.get("facts", ())), "counts": counts}


# --- the month's score, deadlines, the annual score and grades -------------------------------------
def month_score(items_total: Decimal, adjustments: Iterable[Decimal] = (), *, late: bool = False) -> Decimal:
    """Items + 行政绩效 adjustments, never below 0; a late (逾期) month scores 0."""
    if late:
        return ZERO
    total = cut2(items_total) + sum((cut2(a) for a in adjustments), ZERO)
    return max(cut2(total), ZERO)


def deadline_for(year: int, month: int, day: int, tz: str = "Asia/Shanghai") -> dt.datetime:
    """Month M is due on the ``day`` of month M, 23:59:59 local time (the last instant that is on time)."""
    return dt.datetime(year, month, day, 23, 59, 59, 999999, tzinfo=ZoneInfo(tz))


def is_late(submitted_at: dt.datetime, deadline: dt.datetime) -> bool:
    if submitted_at.tzinfo is None:
        raise ValueError("submitted_at must be timezone-aware")
    return submitted_at > deadline


@dataclass(frozen=True)
class PaperOriginals:
    """Where a month's stamped paper originals stand (seed 002 附件1 四: "正式文件最迟于当月28日前报送。未按时报送的，
    当月（季）行政绩效减分")."""

    state: str  # on_time | late | missing | pending (due date not reached, nothing received yet)
    due: dt.date
    received_on: dt.date | None = None

    @property
    def overdue(self) -> bool:
        return self.state in ("late", "missing")

    @property
    def message(self) -> str:
        due = f"{self.due:%Y-%m-%d}"
        if self.state == "late":
            return f"纸质原件{self.received_on:%Y-%m-%d}送达，晚于{due}（当月28日）的期限"
        if self.state == "missing":
            return f"纸质原件逾期未送达（应于{due}前送达）"
        if self.state == "on_time":
            return f"纸质原件已按时送达（{self.received_on:%Y-%m-%d}）"
        return f"纸质原件应于{due}前送达"


def paper_originals(year: int, month: int, received_on: dt.date | None, today: dt.date, day: int = 28):
    """Month M's originals are due by the ``day`` (28th) of month M itself ("当月28日前"), that day included."""
    due = dt.date(year, month, day)
    if received_on is not None:
        return PaperOriginals("on_time" if received_on <= due else "late", due, received_on)
    return PaperOriginals("missing" if today > due else "pending", due)


GRADES = ((Decimal(90), "优秀"), (Decimal(80), "良好"), (Decimal(60), "合格"))


def grade(score: Decimal) -> str:
    for floor, label in GRADES:
        if score >= floor:
            return label
    return "不合格"


def grade_bands() -> str:
    """The grades in words, from GRADES (what ``grade()`` applies): "90分及以上优秀，80-90分良好，60-80分合格，
    60分以下不合格". The pages and the annual report print this, so a changed threshold changes their text."""
    parts = []
    upper = None
    for floor, label in GRADES:
        parts.append(f"{fmt(floor)}分及以上{label}" if upper is None else f"{fmt(floor)}-{fmt(upper)}分{label}")
        upper = floor
    parts.append(f"{fmt(upper)}分以下不合格")
    return "，".join(parts)


@dataclass(frozen=True)
class AnnualResult:
    target_score: Decimal
    monthly_average: Decimal
    months_counted: int
    score: Decimal
    grade: str
    explanation: str


def annual_score(
    target_score: Decimal,
    monthly_scores: Sequence[Decimal | None],
    *,
    target_weight: Decimal,
    monthly_weight: Decimal,
    months: int | None = None,
) -> AnnualResult:
    """全年目标任务得分 × 80 % + 月度考核平均分 × 20 % (seed 002 第七条).

    ``monthly_scores`` are the scores of the months that count (late or missing months as None or 0);
    the average divides by ``months`` (12 at year end; during the year the months whose deadline passed).
    """
    target_score = cut2(target_score)
    months = len(monthly_scores) if months is None else months
    total = sum((cut2(s) for s in monthly_scores if s is not None), ZERO)
    average = cut2(_div(total, Decimal(months))) if months else ZERO
    score = cut2(_mul(target_score, to_decimal(target_weight)) + _mul(average, to_decimal(monthly_weight)))
    explanation = (
        f"{target_score} × {fmt(to_decimal(target_weight) * 100)}% + {average} × "
        f"{fmt(to_decimal(monthly_weight) * 100)}% = {score}"
    )
    return AnnualResult(target_score, average, months, score, grade(score), explanation)


def competition_ranks(scores: Sequence[Decimal | None]) -> list[int | None]:
    """Ranks with ties sharing a rank (1, 1, 3); None scores are not ranked."""
    ordered = sorted((s for s in scores if s is not None), reverse=True)
    first = {}
    for index, score in enumerate(ordered, start=1):
        first.setdefault(score, index)
    return [None if s is None else first[s] for s in scores]


def _number_error(value, what: str, *, integer: bool = False, minimum: Decimal = ZERO) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        return f"{what}必须是数字。"
    try:
        number = to_decimal(str(value))
    except (ArithmeticError, ValueError):
        return f"{what}必须是数字。"
    if not number.is_finite() or abs(number) >= Decimal("1e6"):
        return f"{what}超出范围。"
    if integer and number != number.to_integral_value():
        return f"{what}必须是整数。"
    if number < minimum:
        return f"{what}不能小于{fmt(minimum)}。"
    return None


def params_errors(kind: str, params) -> list[str]:
    """What is wrong with an item's rule parameters for its kind (the JSON field's schema); [] when valid.

    ratio_to_target: numerator (a figure), optional denominator (a figure), target_value (number) or target_key
    (a target), optional mode "threshold", optional zero_denominator_text. pass_fail: facts (list of facts).
    count_levels: levels (list of {count, points, label?}). count_at_least: count, optional min (integer ≥ 1).
    manual: none.
    """
    if not isinstance(params, dict):
        return ["规则参数必须是 JSON 对象。"]
    try:
        kind = RuleKind(kind)
    except ValueError:
        return ["未知的计分规则。"]
    errors: list[str] = []

    def key_of(name: str, table: dict, what: str, required: bool = True) -> None:
        value = params.get(name)
        if value is None and not required:
            return
        if not isinstance(value, str) or value not in table:
            errors.append(f"{name}：{what}，可选 {', '.join(table)}。")

    allowed: set[str] = set()
    if kind == RuleKind.RATIO:
        allowed = {"numerator", "denominator", "target_value", "target_key", "mode", "zero_denominator_text"}
        key_of("numerator", FIGURES, "须为一项填报数据")
        key_of("denominator", FIGURES, "须为一项填报数据", required=False)
        if "target_value" in params:
            if err := _number_error(params["target_value"], "target_value"):
                errors.append(err)
        else:
            key_of("target_key", TARGETS, "须为一项年度目标")
        if params.get("mode") not in (None, "threshold"):
            errors.append('mode：只能是 "threshold"。')
        if not isinstance(params.get("zero_denominator_text", ""), str):
            errors.append("zero_denominator_text：须为文字。")
    elif kind == RuleKind.PASS_FAIL:
        allowed = {"facts"}
        facts = params.get("facts")
        if not isinstance(facts, list) or not facts or any(not isinstance(f, str) or f not in FACTS for f in facts):
            errors.append(f"facts：须为非空列表，元素可选 {', '.join(FACTS)}。")
    elif kind == RuleKind.COUNT_LEVELS:
        allowed = {"levels"}
        levels = params.get("levels")
        if not isinstance(levels, list) or not levels:
            errors.append("levels：须为非空列表。")
        else:
            for i, level in enumerate(levels, 1):
                if not isinstance(level, dict) or set(level) - {"count", "points", "label"}:
                    errors.append(f"levels 第{i}项：须为含 count、points（可选 label）的对象。")
                    continue
                if level.get("count") not in COUNTS:
                    errors.append(f"levels 第{i}项 count：可选 {', '.join(COUNTS)}。")
                if err := _number_error(level.get("points"), f"levels 第{i}项 points"):
                    errors.append(err)
                if not isinstance(level.get("label", ""), str):
                    errors.append(f"levels 第{i}项 label：须为文字。")
    elif kind == RuleKind.COUNT_AT_LEAST:
        allowed = {"count", "min"}
        key_of("count", COUNTS, "须为一项计数")
        if "min" in params and (err := _number_error(params["min"], "min", integer=True, minimum=Decimal(1))):
            errors.append(err)
    unknown = sorted(set(params) - allowed)
    if unknown:
        errors.append(f"不认识的参数：{', '.join(map(str, unknown))}。")
    return errors
