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


def fits_digits(value: Decimal, max_digits: int, decimal_places: int) -> bool:
    """Whether ``value`` fits a DecimalField(max_digits, decimal_places) once cut to its places.

    Checked before any quantize: ``Decimal("1e309").quantize(...)`` raises InvalidOperation (it needs more digits
    than the context's precision), and PostgreSQL would refuse the value anyway.
    """
    return value.is_finite() and abs(value) < Decimal(10) ** (max_digits - decimal_places)
