"""Plausibility checks at submission (pure): values far outside the county's own history are flagged for
the reviewer, never refused."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

OUTLIER_FACTOR = Decimal(3)  # this month's increase > 3 × the county's average monthly increase …
OUTLIER_MIN_EXCESS = Decimal(1)  # … and at least 1 万m² above it
MIN_HISTORY = 2  # months of earlier increases needed before judging


def increments(history: Sequence[Mapping], field: str) -> list[Decimal]:
    """Monthly increases of a cumulative figure, from the county's earlier months (ordered by month)."""
    result, previous = [], Decimal(0)
    for row in history:
        value = row.get(field)
        if value is None:
            continue
        result.append(value - previous)
        previous = value
    return result


def figure_outliers(history: Sequence[Mapping], current: Mapping, labels: Mapping[str, str]) -> list[dict]:
    flags = []
    for field, label in labels.items():
        value = current.get(field)
        past = increments(history, field)
        if value is None or len(past) < MIN_HISTORY:
            continue
        last = next((row[field] for row in reversed(history) if row.get(field) is not None), Decimal(0))
        increase = value - last
        average = sum(past, Decimal(0)) / len(past)
        if increase > OUTLIER_FACTOR * max(average, Decimal(0)) and increase - average >= OUTLIER_MIN_EXCESS:
            flags.append(
                {
                    "code": "outlier",
                    "field": field,
                    "message": (
                        f"{label}本月增加{increase}，远高于本县此前月均增加{average.quantize(Decimal('0.01'))}，请核实"
                    ),
                }
            )
    return flags
