"""Aggregation of expert score sheets and the pass rule (SPEC §3). Pure Python: no Django, no database.

Rules
-----
* Only submitted sheets are passed in; at least 3 are needed (``MIN_SHEETS``).
* With 5 or more sheets the sheet with the highest total and the sheet with the lowest total are dropped
  (exactly one at each end), then the remaining sheets are averaged item by item. With 3 or 4 sheets every
  sheet is averaged.
* **Ties** at either end: only ONE sheet is dropped at each end whatever the ties. The dropped "highest" is
  the first sheet, in the order given (the caller passes sheets in submission order: submitted_at, then id),
  among those with the maximum total; the dropped "lowest" is the first sheet in that order, other than the
  one already dropped as highest, among those with the minimum total. So when all totals are equal the first
  sheet is dropped as highest and the second as lowest. Totals of the result do not depend on this choice
  (equal totals are interchangeable for the total); item and element scores may, which is why it is defined.
* Averages are computed exactly (sum ÷ count with 50 significant digits) and **rounded half-up to 2 places
  once, at the end**, separately for each item, element and the total, each from its exact value. Hence the
  rounded total may differ by 0.01 from the sum of the rounded element scores; the total is authoritative.
* **Spread flag**: the panel median is the median of the totals of ALL submitted sheets (dropped ones
  included; with an even number, the mean of the two middle totals). A sheet whose total differs from the
  median by strictly more than ``SPREAD_LIMIT`` (15 points) is flagged. Flagging informs; it does not drop.
* **Pass** (``decide``): total ≥ threshold (default 85) AND every element ≥ 60 % of its weight AND no veto;
  compared on the rounded figures (what the report shows).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, localcontext

from core.decimals import half_up2

MIN_SHEETS = 3
TRIM_FROM = 5
SPREAD_LIMIT = Decimal("15")
TWO_PLACES = Decimal("0.01")


def round_half_up(value: Decimal) -> Decimal:
    return half_up2(value)


@dataclass(frozen=True)
class Item:
    key: object  # the item's id
    element: str  # the element code it belongs to
    max_score: Decimal


@dataclass(frozen=True)
class Sheet:
    key: object  # the sheet's id
    scores: Mapping[object, Decimal]  # item key -> score (every item present)

    def total(self) -> Decimal:
        return sum(self.scores.values(), Decimal("0"))


@dataclass(frozen=True)
class Aggregate:
    item_scores: dict[object, Decimal]
    element_scores: dict[str, Decimal]
    total: Decimal
    used: tuple  # keys of the sheets averaged
    dropped_highest: object | None
    dropped_lowest: object | None
    median: Decimal
    flagged: tuple  # keys of the sheets whose total is > SPREAD_LIMIT from the median
    sheet_totals: dict[object, Decimal] = field(default_factory=dict)


class AggregationError(ValueError):
    pass


def median(values: Sequence[Decimal]) -> Decimal:
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        raise AggregationError("median of no values")
    mid = n // 2
    if n % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2


def choose_dropped(totals: Sequence[Decimal]) -> tuple[int, int]:
    """Indexes (highest, lowest) of the two sheets to drop, by the tie rule of the module docstring."""
    top = max(totals)
    highest = next(i for i, t in enumerate(totals) if t == top)
    rest = [i for i in range(len(totals)) if i != highest]
    bottom = min(totals[i] for i in rest)
    lowest = next(i for i in rest if totals[i] == bottom)
    return highest, lowest


def aggregate(items: Sequence[Item], sheets: Sequence[Sheet], *, spread_limit: Decimal = SPREAD_LIMIT) -> Aggregate:
    if len(sheets) < MIN_SHEETS:
        raise AggregationError(f"need at least {MIN_SHEETS} sheets, got {len(sheets)}")
    item_keys = [item.key for item in items]
    for sheet in sheets:
        missing = [k for k in item_keys if sheet.scores.get(k) is None]
        if missing:
            raise AggregationError(f"sheet {sheet.key!r} has no score for items {missing!r}")
        for item in items:
            score = sheet.scores[item.key]
            if score < 0 or score > item.max_score:
                raise AggregationError(f"sheet {sheet.key!r}: score {score} outside [0, {item.max_score}]")

    totals = [sheet.total() for sheet in sheets]
    dropped_highest = dropped_lowest = None
    used = list(range(len(sheets)))
    if len(sheets) >= TRIM_FROM:
        hi, lo = choose_dropped(totals)
        dropped_highest, dropped_lowest = sheets[hi].key, sheets[lo].key
        used = [i for i in used if i not in (hi, lo)]

    count = Decimal(len(used))
    with localcontext() as ctx:
        ctx.prec = 50
        item_exact = {k: sum((sheets[i].scores[k] for i in used), Decimal("0")) / count for k in item_keys}
        element_exact: dict[str, Decimal] = {}
        for item in items:
            element_exact[item.element] = element_exact.get(item.element, Decimal("0")) + item_exact[item.key]
        total_exact = sum((totals[i] for i in used), Decimal("0")) / count
        mid = median(totals)

    flagged = tuple(sheet.key for sheet, t in zip(sheets, totals, strict=True) if abs(t - mid) > spread_limit)
    return Aggregate(
        item_scores={k: round_half_up(v) for k, v in item_exact.items()},
        element_scores={e: round_half_up(v) for e, v in element_exact.items()},
        total=round_half_up(total_exact),
        used=tuple(sheets[i].key for i in used),
        dropped_highest=dropped_highest,
        dropped_lowest=dropped_lowest,
        median=round_half_up(mid),
        flagged=flagged,
        sheet_totals={sheet.key: t for sheet, t in zip(sheets, totals, strict=True)},
    )


@dataclass(frozen=True)
class Decision:
    passed: bool
    reasons: tuple[str, ...]  # why not passed (Chinese, for the report); empty when passed


def decide(
    total: Decimal,
    element_scores: Mapping[str, Decimal],
    weights: Mapping[str, Decimal],
    *,
    threshold: Decimal,
    vetoes: Iterable[str] = (),
    element_min_ratio: Decimal,
    element_names: Mapping[str, str] | None = None,
) -> Decision:
    """通过 when total ≥ threshold, every element ≥ ratio × weight, and no veto applies."""
    names = element_names or {}
    reasons: list[str] = []
    if total < threshold:
        reasons.append(f"总分{total}低于通过分数线{threshold}")
    for element, weight in weights.items():
        minimum = weight * element_min_ratio
        score = element_scores.get(element, Decimal("0"))
        if score < minimum:
            pct = (element_min_ratio * 100).normalize()
            reasons.append(
                f"{names.get(element, element)}得分{score}低于该要素权重{weight}的{pct:f}%（{round_half_up(minimum)}）"
            )
    for veto in vetoes:
        reasons.append(f"一票否决：{veto}")
    return Decision(passed=not reasons, reasons=tuple(reasons))
