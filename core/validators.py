"""Validators shared by the apps (Chinese messages: they are shown to bureau staff)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

# GB 32100-2015 统一社会信用代码: 18 characters from this 31-character set (no I, O, Z, S, V).
CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    """The check character for the first 17 characters of a 统一社会信用代码."""
    total = sum(CREDIT_CODE_CHARSET.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def credit_code_error(code: str) -> str | None:
    """Why ``code`` is not a valid 统一社会信用代码, or None when it is valid."""
    if not isinstance(code, str) or len(code) != 18:
        length = len(code) if isinstance(code, str) else 0
        return f"统一社会信用代码应为18位，当前为{length}位。"
    bad = sorted({c for c in code if c not in CREDIT_CODE_CHARSET})
    if bad:
        return f"统一社会信用代码含有非法字符：{'、'.join(bad)}（只能使用数字和大写字母，不含 I、O、Z、S、V）。"
    if not code[2:8].isdigit():
        return "统一社会信用代码第3至8位应为行政区划码（数字）。"
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验位错误：第18位应为“{expected}”，实为“{code[17]}”。"
    return None


def validate_credit_code(value: str) -> None:
    error = credit_code_error(value)
    if error:
        raise ValidationError(error, code="credit_code")


def too_long_message(label: str, limit: int) -> str:
    """The one wording for a value longer than its limit (as disclosure's “工程地点不能超过200个字符。”)."""
    return f"{label}不能超过{limit}个字符。"


def check_length(value: str | None, limit: int, label: str, *, key: str) -> None:
    """Refuse (never cut) a user's text longer than ``limit``: ValidationError({key: 那句话})."""
    if value is not None and len(value) > limit:
        raise ValidationError({key: too_long_message(label, limit)})


def length_errors(model, values: dict[str, str | None], *, keys: dict[str, str] | None = None) -> dict[str, str]:
    """For each ``{model field name: value}`` longer than that field's max_length, the Chinese message under the
    caller's key (``keys`` renames a field to the form's name, e.g. ``{"complainant_name": "name"}``)."""
    errors = {}
    for name, value in values.items():
        field = model._meta.get_field(name)
        if value is not None and field.max_length and len(value) > field.max_length:
            errors[(keys or {}).get(name, name)] = too_long_message(str(field.verbose_name), field.max_length)
    return errors


def check_lengths(model, values: dict[str, str | None], *, keys: dict[str, str] | None = None) -> None:
    """Raise the ``length_errors`` together, so nothing is saved and every too-long value is named."""
    if errors := length_errors(model, values, keys=keys):
        raise ValidationError(errors)
