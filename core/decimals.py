"""Decimals of the product, named once: the two rounding rules, reading a typed number, writing one in a message.

* ``cut2``: the assessment's data precision rule (seed 002: "精确到小数点后两位，只舍不入"): truncate
  toward zero to 2 places, never round.
* ``half_up2``: money and expert scores: round half-up to 2 places, once, at the end.
* ``parse_decimal``: every number a person typed (form, API, Excel import, JSON template) is read here, with one
  set of Chinese error messages.
* ``fmt``: a figure in a sentence: 16.00 → "16", 15.50 → "15.5", 21.66 → "21.66".
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from core.numbers import MESSAGE as ASCII_DIGITS_MESSAGE
from core.numbers import has_non_ascii_digit

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


def fmt(value) -> str:
    """A figure for a message or an explanation: 16.00 → "16", 0.50 → "0.5", 21.66 → "21.66" (no exponent)."""
    return format(to_decimal(value).normalize(), "f")


class DecimalInputError(ValidationError, ValueError):
    """A typed value that is not an acceptable number. It is a ``ValidationError`` (keyed by ``field`` when one is
    given, so a service raises it as is) and a ``ValueError`` (so a parser that words its own message catches it)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__({field: [message]} if field else message, code="invalid")


_REQUIRED = object()
MONEY = {"noun": "金额", "places": 2, "commas": True}  # an amount in 元 as typed: to the fen, "1,234.50" allowed
_PLACES = {0: "零", 1: "一", 2: "两", 3: "三", 4: "四"}


def parse_decimal(
    value,
    *,
    label: str = "",
    field: str | None = None,
    noun: str = "数字",
    places: int | None = None,
    cut: bool = False,
    minimum: Decimal | int | None = None,
    max_digits: int | None = None,
    decimal_places: int | None = None,
    commas: bool = False,
    blank=_REQUIRED,
) -> Decimal | None:
    """The Decimal a person typed, or ``DecimalInputError`` with a Chinese message that names ``label``.

    * ``str``/``int``/``Decimal`` are read exactly; a float by its shortest repr (``0.1`` → ``Decimal("0.1")``);
      ``True``/``False``, dates, NaN/Infinity, full-width digits and junk are refused.
    * blank (``None`` or white space) returns ``blank`` when given, else it is an error (请填写…).
    * ``commas``: "1,234.50" is read as 1234.50 (amounts typed or pasted from Excel).
    * ``places``: at most this many decimals (trailing zeros are fine), the result quantized to them;
      ``cut``: truncate to 2 places instead (the assessment's "只舍不入").
    * ``minimum``: a smaller value is an error (0: 不能为负数); ``max_digits``/``decimal_places``: the value must
      fit that DecimalField.
    """
    noun_text = f"有效的{noun}"

    def error(message: str) -> DecimalInputError:
        return DecimalInputError(message, field)

    if isinstance(value, str):
        value = value.strip()
    if value is None or value == "":
        if blank is not _REQUIRED:
            return blank
        raise error(f"请填写{label}。" if label else f"请填写{noun}。")
    if isinstance(value, (bool, dt.date)):
        raise error(f"{label}不是{noun_text}。" if label else f"请输入{noun_text}。")
    if has_non_ascii_digit(value):
        raise error(f"{label}：{ASCII_DIGITS_MESSAGE}" if label else ASCII_DIGITS_MESSAGE)
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, str) and commas:
        value = value.replace(",", "")
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        number = None
    if number is None or not number.is_finite():
        raise error(f"{label}不是{noun_text}。" if label else f"请输入{noun_text}。")
    if minimum is not None and number < minimum:
        raise error(f"{label}不能为负数。" if minimum == 0 else f"{label}不能小于{fmt(Decimal(minimum))}。")
    if max_digits is not None and not fits_digits(number, max_digits, decimal_places or 0):
        raise error(f"{label}数值过大：整数部分最多 {max_digits - (decimal_places or 0)} 位。")
    if cut:
        return cut2(number)
    if places is not None:
        step = Decimal(1).scaleb(-places)
        if number != number.quantize(step, rounding=ROUND_DOWN):
            unit = "（元至分）" if noun == "金额" and places == 2 else ""
            raise error(f"{label}最多保留{_PLACES.get(places, places)}位小数{unit}。")
        return number.quantize(step)
    return number
