"""The two rounding rules of the product, named once.

* ``cut2``: the assessment's data precision rule (seed 002: "精确到小数点后两位，只舍不入"): truncate
  toward zero to 2 places, never round.
* ``half_up2``: money and expert scores: round half-up to 2 places, once, at the end.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")


def to_decimal(value) -> Decimal:
    """Exact Decimal for int/str/Decimal input; floats are refused (no float in rules)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        raise TypeError("float values are not allowed in rule computations; pass str or Decimal")
    return Decimal(value)


def cut2(value) -> Decimal:
    return to_decimal(value).quantize(TWO_PLACES, rounding=ROUND_DOWN)


def half_up2(value) -> Decimal:
    return to_decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
