"""core.decimals: the one parser of typed numbers (with its Chinese messages) and the one ``fmt``."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from core.decimals import MONEY, DecimalInputError, fmt, parse_decimal
from core.numbers import MESSAGE as ASCII_MESSAGE


@pytest.mark.parametrize(
    "typed, options, expected",
    [
        ("12.5", {}, D("12.5")),
        (" 12.50 ", {"places": 2}, D("12.50")),
        ("12.500", {"places": 2}, D("12.50")),  # trailing zeros are not extra places
        (7, {}, D("7")),
        (D("3.14159"), {}, D("3.14159")),
        (0.1, {}, D("0.1")),  # a float by its shortest repr, not 0.1000000000000000055511151231257827
        ("21.669", {"cut": True}, D("21.66")),  # 只舍不入
        ("1,234.50", MONEY, D("1234.50")),
        ("", {"blank": None}, None),
        ("   ", {"blank": D(0)}, D(0)),
        (None, {"blank": None}, None),
        ("-0.5", {}, D("-0.5")),
        ("0", {"minimum": 0}, D("0")),
    ],
)
def test_reads_what_was_typed(typed, options, expected):
    assert parse_decimal(typed, **options) == expected


@pytest.mark.parametrize(
    "typed, options, message",
    [
        ("abc", {"label": "积分"}, "积分不是有效的数字。"),
        ("abc", {}, "请输入有效的数字。"),
        ("NaN", {"label": "积分"}, "积分不是有效的数字。"),
        ("Infinity", {"label": "积分"}, "积分不是有效的数字。"),
        (True, {"label": "积分"}, "积分不是有效的数字。"),
        (dt.date(2024, 1, 1), {"label": "积分"}, "积分不是有效的数字。"),
        ("十万", {"label": "节约金额", **MONEY}, "节约金额不是有效的金额。"),
        ("1.005", {"label": "节约金额", **MONEY}, "节约金额最多保留两位小数（元至分）。"),
        ("1.234", {"label": "满分", "places": 2}, "满分最多保留两位小数。"),
        ("-1", {"label": "积分", "minimum": 0}, "积分不能为负数。"),
        ("-1", {"minimum": 0}, "不能为负数。"),
        ("0.5", {"label": "权重", "minimum": 1}, "权重不能小于1。"),
        ("123456", {"max_digits": 6, "decimal_places": 2}, "数值过大：整数部分最多 4 位。"),
        ("1e400", {"max_digits": 6, "decimal_places": 2}, "数值过大：整数部分最多 4 位。"),
        ("", {"label": "积分"}, "请填写积分。"),
        (None, {}, "请填写数字。"),
        ("１２", {"label": "积分"}, f"积分：{ASCII_MESSAGE}"),
        ("12,5", {}, "请输入有效的数字。"),  # a comma is a thousands separator only where asked for
    ],
)
def test_refuses_with_a_chinese_message(typed, options, message):
    with pytest.raises(DecimalInputError) as caught:
        parse_decimal(typed, **options)
    assert caught.value.messages == [message]


def test_the_error_is_a_field_validation_error_and_a_value_error():
    with pytest.raises(ValidationError) as caught:
        parse_decimal("x", field="points", label="积分")
    assert caught.value.message_dict == {"points": ["积分不是有效的数字。"]}
    with pytest.raises(ValueError):
        parse_decimal("x")


@pytest.mark.parametrize(
    "value, text",
    [(D("16.00"), "16"), (D("15.50"), "15.5"), (D("21.66"), "21.66"), (D("0.50"), "0.5"), (D("1E+2"), "100"), (5, "5")],
)
def test_fmt_writes_a_figure_for_a_sentence(value, text):
    assert fmt(value) == text


def test_fmt_refuses_floats():
    with pytest.raises(TypeError):
        fmt(0.1)
