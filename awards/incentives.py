"""Incentive formulas of SPEC §4 (seed 000 §六): pure Python, no Django, easy to test exhaustively.

* Savings bonus (seed 000 六(一)3: "监理单位、工程总承包单位主动提出或采用新工艺、新技术达到节约工期、节省工程造价
  目标的，经建设单位认定后分别奖励节约资金额度的5%和30%"): the 建设单位 confirms an amount saved by a new process or
  technology; the proposer gets 5 % (监理单位) or 30 % (工程总承包单位 EPC only — a 施工总承包 firm gets nothing) of it.
* Design-optimisation bonus: reduction % = (概算 − 预算) ÷ 概算 × 100; every 1 % of reduction raises the
  construction-drawing design fee by 2 %, so fee increase = base fee × 2 × reduction %; nothing when
  预算 ≥ 概算.
* 丹河杯 winners: the first N candidates by rank (1 = best) or by score (highest first).

Amounts are 元 as Decimal; exact arithmetic throughout, rounded half-up to the fen once, at the end
(``core.decimals.half_up2``, itself free of Django). Bad input raises ``IncentiveInputError`` with the
field it concerns and a Chinese message, which the services turn into a ValidationError.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from core.decimals import half_up2, to_decimal

HUNDRED = Decimal("100")
ZERO = Decimal("0")

# Proposer kind -> share of the confirmed saving (percent).
SAVINGS_RATES: dict[str, Decimal] = {
    "supervisor": Decimal("5"),  # 监理单位
    "epc": Decimal("30"),  # 工程总承包单位（EPC）only, not a 施工总承包 firm
}
SAVINGS_PROPOSER_LABELS = {"supervisor": "监理单位", "epc": "工程总承包单位（EPC）"}
# The kind stored before issue 25 for any general contractor: 施工总承包 firms are not in the rule.
NOT_ELIGIBLE_KINDS = {"contractor": "施工总承包单位"}
# 1 % of 概算 reduction raises the design fee by this many percent.
DESIGN_FEE_FACTOR = Decimal("2")


class IncentiveInputError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def _amount(value, field: str, label: str, *, allow_zero: bool = True) -> Decimal:
    try:
        amount = to_decimal(value)
    except (TypeError, ArithmeticError, ValueError):
        raise IncentiveInputError(field, f"{label}不是有效的金额。")
    if not amount.is_finite():
        raise IncentiveInputError(field, f"{label}不是有效的金额。")
    if amount < 0:
        raise IncentiveInputError(field, f"{label}不能为负数。")
    if amount == 0 and not allow_zero:
        raise IncentiveInputError(field, f"{label}不能为零。")
    return amount


def savings_rate(proposer_kind: str) -> Decimal:
    if proposer_kind in NOT_ELIGIBLE_KINDS:
        raise IncentiveInputError(
            "proposer_kind",
            f"{NOT_ELIGIBLE_KINDS[proposer_kind]}不在节约奖励范围内：节约奖励只给予监理单位（5%）和工程总承包单位（EPC，30%）。",
        )
    try:
        return SAVINGS_RATES[proposer_kind]
    except KeyError:
        raise IncentiveInputError("proposer_kind", "提出单位只能是监理单位或工程总承包单位（EPC）。")


def savings_bonus(amount_saved, proposer_kind: str) -> Decimal:
    """Bonus (元) for a confirmed saving: amount × 5 % or 30 %, half-up to the fen."""
    amount = _amount(amount_saved, "amount_saved", "节约金额", allow_zero=False)
    rate = savings_rate(proposer_kind)
    return half_up2(amount * rate / HUNDRED)


@dataclass(frozen=True)
class DesignOptimisation:
    reduction_percent: Decimal  # exact (not rounded)
    fee_increase_percent: Decimal  # exact: 2 × reduction %
    fee_increase: Decimal  # 元, half-up to the fen

    def percent_display(self, value: Decimal, places: int = 4) -> Decimal:
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def design_optimisation(approved_estimate, drawing_budget, base_design_fee) -> DesignOptimisation:
    """The design-fee increase for a 施工图预算 below the approved 概算 (construction costs, 元)."""
    estimate = _amount(approved_estimate, "approved_estimate", "批复概算建安费", allow_zero=False)
    budget = _amount(drawing_budget, "drawing_budget", "施工图预算建安费", allow_zero=False)
    fee = _amount(base_design_fee, "base_design_fee", "施工图设计费基数")
    if budget >= estimate:
        return DesignOptimisation(ZERO, ZERO, half_up2(ZERO))
    reduction = (estimate - budget) / estimate * HUNDRED
    increase_percent = DESIGN_FEE_FACTOR * reduction
    # fee × 2 × (概算 − 预算) ÷ 概算, in that order so the only rounding is the last one.
    fee_increase = fee * DESIGN_FEE_FACTOR * (estimate - budget) / estimate
    return DesignOptimisation(reduction, increase_percent, half_up2(fee_increase))


@dataclass(frozen=True)
class Candidate:
    key: object
    score: Decimal | None = None
    rank: int | None = None
    label: str = ""


def pick_winners(candidates: Sequence[Candidate], winners: int, method: str) -> list[object]:
    """Keys of the winners: ``method`` "rank" (1 = best, ranks unique) or "score" (highest first).

    Every candidate needs a rank (resp. a score); a tie across the cut-off line is refused, since the
    bureau has to decide it, not the database's ordering.
    """
    if not candidates:
        raise IncentiveInputError("candidates", "没有候选项目，无法评选。")
    if winners < 1:
        raise IncentiveInputError("winners_count", "获奖数量至少为1。")
    if winners > len(candidates):
        raise IncentiveInputError("winners_count", f"获奖数量（{winners}）不能超过候选项目数（{len(candidates)}）。")
    if method == "rank":
        missing = [c.label for c in candidates if c.rank is None]
        if missing:
            raise IncentiveInputError("candidates", f"请为每个候选项目填写名次（缺：{'、'.join(map(str, missing))}）。")
        ranks = [c.rank for c in candidates]
        if any(r < 1 for r in ranks):
            raise IncentiveInputError("candidates", "名次必须是正整数。")
        if len(set(ranks)) != len(ranks):
            raise IncentiveInputError("candidates", "名次不能重复。")
        ordered = sorted(candidates, key=lambda c: c.rank)
    elif method == "score":
        missing = [c.label for c in candidates if c.score is None]
        if missing:
            raise IncentiveInputError("candidates", f"请为每个候选项目填写得分（缺：{'、'.join(map(str, missing))}）。")
        if any(c.score < 0 or c.score > HUNDRED for c in candidates):
            raise IncentiveInputError("candidates", "得分应在0到100之间。")
        ordered = sorted(candidates, key=lambda c: c.score, reverse=True)
        if winners < len(ordered) and ordered[winners - 1].score == ordered[winners].score:
            raise IncentiveInputError(
                "candidates",
                f"第{winners}名与第{winners + 1}名得分相同（{ordered[winners].score}），请调整得分或改为按名次评选。",
            )
    else:
        raise IncentiveInputError("method", "评选方式只能是按得分或按名次。")
    return [c.key for c in ordered[:winners]]
