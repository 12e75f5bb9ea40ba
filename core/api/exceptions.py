"""API errors as JSON with Chinese messages.

Validation errors keep DRF's field-level shape ``{"field": ["消息"]}``; Django ValidationErrors raised by
services (the rules' own messages) are turned into the same shape instead of a 500.
"""

import logging
from decimal import InvalidOperation

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)

# Bad input that slipped past validation at the edge: a 400 with a Chinese message, never a 500. Each one is
# logged with its traceback, because it means a field lacks a validator (fix it there).
BAD_INPUT_ERRORS = (DataError, InvalidOperation, OverflowError, ValueError)


def exception_handler(exc, context):
    if isinstance(exc, BAD_INPUT_ERRORS):
        logger.warning("bad input reached %s: %r", context.get("view").__class__.__name__, exc, exc_info=exc)
        exc = exceptions.ValidationError({"non_field_errors": ["输入的数据无效或超出范围，请检查后重试。"]})
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound("未找到。")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or "您没有执行该操作的权限。")
    return drf_exception_handler(exc, context)
