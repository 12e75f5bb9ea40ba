"""统一社会信用代码 (GB 32100-2015) check character."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from accounts.seed import make_credit_code
from core.validators import CREDIT_CODE_CHARSET, credit_code_check_char, credit_code_error, validate_credit_code

# Real, published codes (public registrations) and codes built by the algorithm.
VALID = [
    "91350100M000100Y43",
    "91110000600037341L",  # a well-known Beijing company code
    make_credit_code(1),
    make_credit_code(123456),
]


@pytest.mark.parametrize("code", VALID)
def test_valid_codes_pass(code):
    assert credit_code_error(code) is None
    validate_credit_code(code)


@pytest.mark.parametrize(
    "code, message",
    [
        ("91350100M000100Y44", "校验位错误：第18位应为“3”，实为“4”"),
        ("91350100M000100Y4", "应为18位，当前为17位"),
        ("91350100M000100Y433", "应为18位，当前为19位"),
        ("", "应为18位，当前为0位"),
        ("91350100M000100YI3", "非法字符：I"),
        ("91350100m000100Y43", "非法字符：m"),
        ("91350100M0001 0Y43", "非法字符： "),
        ("913501O0M000100Y43", "非法字符：O"),
        ("91A50100M000100Y43", "第3至8位应为行政区划码"),
    ],
)
def test_invalid_codes_fail_with_a_clear_message(code, message):
    error = credit_code_error(code)
    assert error is not None and message in error
    with pytest.raises(ValidationError):
        validate_credit_code(code)


def test_check_char_of_known_code():
    assert credit_code_check_char("91350100M000100Y4") == "3"


valid_codes = st.builds(
    lambda head, area, body: head + area + body,
    st.sampled_from(["91", "92", "11", "12", "51", "52", "Y1"]),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.text(alphabet=CREDIT_CODE_CHARSET, min_size=9, max_size=9),
).map(lambda first17: first17 + credit_code_check_char(first17))


@given(valid_codes)
def test_any_generated_code_is_valid(code):
    assert credit_code_error(code) is None


@given(valid_codes, st.integers(min_value=0, max_value=17), st.sampled_from(CREDIT_CODE_CHARSET))
def test_changing_one_character_of_a_valid_code_makes_it_invalid(code, position, replacement):
    if code[position] == replacement:
        replacement = CREDIT_CODE_CHARSET[(CREDIT_CODE_CHARSET.index(replacement) + 1) % 31]
    changed = code[:position] + replacement + code[position + 1 :]
    assert credit_code_error(changed) is not None
