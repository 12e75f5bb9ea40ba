"""Numbers are typed with ASCII digits, everywhere.

Python's ``int()`` and ``Decimal()`` read any Unicode digit ("１２３", "١٢٣" …) as a number, so a form or an API
field would silently accept full-width digits that the OpenAPI schema (``\\d``: 0-9) and the Excel import refuse.
``install()`` (called from ``CoreConfig.ready``) makes every numeric field of Django forms and of DRF refuse a value
with a non-ASCII digit, with one Chinese message, instead of each of the 60-odd field declarations doing it.
"""

from __future__ import annotations

import functools

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import fields as drf_fields
from rest_framework.exceptions import ValidationError as DrfValidationError

MESSAGE = "请使用半角阿拉伯数字（0-9）填写数字。"


def has_non_ascii_digit(value) -> bool:
    return isinstance(value, str) and any(ch.isdigit() and not ("0" <= ch <= "9") for ch in value)


def _guard(method, error_class):
    @functools.wraps(method)
    def wrapper(self, value, *args, **kwargs):
        if has_non_ascii_digit(value):
            raise error_class(MESSAGE, code="invalid") if error_class is DjangoValidationError else error_class(MESSAGE)
        return method(self, value, *args, **kwargs)

    wrapper._ascii_digits_guard = True
    return wrapper


def install() -> None:
    targets = [
        (forms.IntegerField, "to_python", DjangoValidationError),
        (forms.DecimalField, "to_python", DjangoValidationError),
        (forms.FloatField, "to_python", DjangoValidationError),
        (drf_fields.IntegerField, "to_internal_value", DrfValidationError),
        (drf_fields.DecimalField, "to_internal_value", DrfValidationError),
        (drf_fields.FloatField, "to_internal_value", DrfValidationError),
    ]
    for cls, name, error_class in targets:
        method = cls.__dict__[name]
        if not getattr(method, "_ascii_digits_guard", False):
            setattr(cls, name, _guard(method, error_class))
