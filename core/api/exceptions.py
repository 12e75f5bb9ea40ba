"""API errors as JSON with Chinese messages.

Validation errors keep DRF's field-level shape ``{"field": ["消息"]}``; Django ValidationErrors raised by
services (the rules' own messages) are turned into the same shape instead of a 500. A database that cannot be
reached is 503 with ``Retry-After``, an integrity conflict 409 (see ``core.errors``; errors outside a DRF view,
e.g. in a middleware, get the same JSON from ``core.errors.server_error``).
"""

import logging
from decimal import InvalidOperation

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError, OperationalError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from core import errors

logger = logging.getLogger(__name__)


class DatabaseUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = errors.DATABASE_UNAVAILABLE
    default_code = "database_unavailable"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = errors.CONFLICT
    default_code = "conflict"


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
    elif isinstance(exc, OperationalError):
        logger.warning("API %s: database unavailable: %s", _path(context), exc)
        exc = DatabaseUnavailable()
    elif isinstance(exc, IntegrityError):
        logger.warning("API %s: integrity conflict: %s", _path(context), exc)
        exc = Conflict()
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, DatabaseUnavailable | Conflict):
        response.data = {"detail": str(exc.detail), "code": exc.default_code}
        if isinstance(exc, DatabaseUnavailable):
            response["Retry-After"] = str(errors.RETRY_AFTER_SECONDS)
    return response


def _path(context) -> str:
    request = context.get("request")
    return getattr(request, "path", "?")
