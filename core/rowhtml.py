"""The ``<tbody>`` rows of a long list written in Python instead of a template loop.

A 500-row page spent most of its time in the template engine: ten cells a row, each a variable lookup, a filter,
a tag or an include (~0.15 ms a row). A list's row tag (``{% project_rows object_list %}`` in the app's
templatetags) writes the same HTML with the helpers below: every value escaped as ``{{ value }}`` escapes it,
the whole block marked safe once. The number and badge formats are the functions the template filters and tags
themselves call (one implementation each); the reference templates under ``tests/core/rows/`` keep the old loops,
and ``tests/core/test_row_html.py`` checks that both write the same rows.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import lru_cache
from html import escape as _html_escape

from django.conf import settings
from django.db.models import QuerySet
from django.template.defaultfilters import yesno as _yesno
from django.urls import get_script_prefix, reverse
from django.utils import timezone, translation
from django.utils.formats import get_format, localize
from django.utils.safestring import SafeData, SafeString, mark_safe

_ROW_ID = 2147483646  # stands for the row's id while the URL is reversed once


def esc(value) -> str:
    """``{{ value }}``: as the template engine shows a value (localized numbers and dates, ``None`` as "None"),
    escaped unless it is already safe."""
    if type(value) is str:
        return _html_escape(value)
    if isinstance(value, SafeData):
        return str(value)
    if type(value) is int:
        return str(value)
    if type(value) is Decimal and not settings.USE_THOUSAND_SEPARATOR:
        # number_format's own result for a database decimal without grouping, at a tenth of its cost
        text = f"{value:f}"
        separator = get_format("DECIMAL_SEPARATOR")
        return text if separator == "." else text.replace(".", separator)
    if isinstance(value, (Decimal, float, dt.date)):
        if isinstance(value, dt.datetime) and timezone.is_aware(value):
            value = timezone.localtime(value)
        value = localize(value)
    return _html_escape(str(value))


def date(value, fmt: str = "%Y-%m-%d") -> str:
    """``{{ value|date:"Y-m-d" }}`` (``fmt`` as strftime: "%Y-%m-%d", "%Y-%m-%d %H:%M"): an aware datetime in
    local time; empty for no date."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime(fmt)


def yesno(value, arg: str) -> str:
    """``{{ value|yesno:"是,否" }}``, escaped."""
    return esc(_yesno(value, arg))


@lru_cache(maxsize=512)
def _url_around_id(name: str, prefix: str, *more: str) -> tuple[str, str]:
    head, _, tail = reverse(name, args=[_ROW_ID, *more]).partition(str(_ROW_ID))
    return head, tail


def row_url(name: str, pk) -> str:
    """``{% url name pk %}`` for the rows of a list: reversed once per URL name, then only the id changes (a 500-row
    page otherwise spends a tenth of its time in ``reverse``)."""
    head, tail = _url_around_id(name, get_script_prefix())
    return f"{head}{int(pk)}{tail}"


def url_for(name: str, *more: str) -> Callable[[object], str]:
    """``row_url`` with the name looked up once for a whole page: ``url = url_for("x:detail"); url(pk)``; ``more``
    are the URL's fixed arguments after the id (``url_for("x:action", "accept")``)."""
    head, tail = _url_around_id(name, get_script_prefix(), *more)
    return lambda pk: f"{head}{int(pk)}{tail}"


def values(objects, *fields: str):
    """The page's rows as dicts of ``fields`` (``"project__county__name"`` follows relations; annotations by name).
    An unevaluated QuerySet (a ListView page) is read with ``values()``: no model instances, the API's row path
    (a model of sixty fields costs more to build than its row costs to write). Anything else (a list, a page
    already read) is read from its objects' attributes, so the row writer has one input."""
    if isinstance(objects, QuerySet) and objects._result_cache is None:
        return objects.values(*fields)
    return [{field: _follow(obj, field) for field in fields} for obj in objects]


def _follow(obj, path: str):
    for name in path.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, name)
    return obj


def csrf_input(context) -> str:
    """``{% csrf_token %}`` of the page, written once for all its rows."""
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{esc(str(token))}">'


def rows(objects: Iterable, write_row: Callable[[object], str], empty: str) -> SafeString:
    """The rows of ``objects`` as ``write_row`` writes each (escaping its values), or the ``{% empty %}`` row."""
    html = "\n".join(write_row(obj) for obj in objects)
    return mark_safe(html or empty)  # noqa: S308 - every value escaped by the row writer (esc)


@lru_cache(maxsize=128)
def _labels(model, field_name: str, language: str | None) -> dict:
    return {value: str(label) for value, label in model._meta.get_field(field_name).flatchoices}


def choice_labels(model, field_name: str) -> dict:
    """``obj.get_<field>_display()`` as one dict for a page (the model method builds the choice dict per call):
    ``labels.get(value, value)``."""
    return _labels(model, field_name, translation.get_language())
