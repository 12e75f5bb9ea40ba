"""变更记录: who changed what, from what to what — read from django-simple-history's historical tables.

Every domain model a user edits carries ``history = HistoricalRecords()``; each ``save()``/``delete()`` writes a
row with the values after the change, the time and the user. The user comes from the request that
``simple_history.middleware.HistoryRequestMiddleware`` keeps for the thread. For the API this is the token's user
too: the middleware keeps the Django ``HttpRequest``, DRF authenticates the token later in the view, and DRF's
``Request.user`` setter writes the user onto that same ``HttpRequest`` (``request._request.user``) — so a save in
the viewset reads the token's user, not the anonymous user of the request's start (tests/core/test_history.py).
Writes outside a request (seeding, Celery tasks, ``manage.py``) have no user: shown as 系统.

Writes that send no signals leave no row: ``QuerySet.update()``, ``bulk_create`` and ``bulk_update`` (README,
Operations / 变更记录, lists where the services use them).

This module turns the rows into entries for people: a change is "field label: old → new" with verbose names,
choices as their labels and foreign keys as the names of the rows they point to; newest first. One partial
(``templates/core/_history.html``) shows them on every detail page (``HistoryMixin``), the same entries go to
Excel (``history_xlsx_response``) and to the API (``HistoryApiMixin``). The assessment app keeps its own audit
trail (``assessment.AuditEntry``): it records decisions with their reasons (认定, 复核), not field edits.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone

from core.exports import Column, xlsx_response

ACTIONS = {"+": "新建", "~": "修改", "-": "删除"}
SYSTEM_USER = "系统"
EMPTY = "—"
PAGE_SIZE = 20


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    at: dt.datetime
    user: str
    action: str
    subject: str
    changes: list[Change] = field(default_factory=list)
    sort_key: tuple = ()


def tracked_fields(historical_model) -> list[models.Field]:
    """The original model's fields that the history shows: not the id nor ``created_at``/``updated_at``-style
    stamps (they would only repeat the entry's own time)."""
    return [
        f
        for f in historical_model.tracked_fields
        if not f.primary_key and not getattr(f, "auto_now", False) and not getattr(f, "auto_now_add", False)
    ]


def _display(value, model_field: models.Field, names: dict) -> str:
    if value is None or value == "":
        return EMPTY
    if model_field.is_relation:
        return names.get((model_field.related_model, value), f"#{value}（已删除）")
    if model_field.flatchoices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _related_names(rows_by_model: dict) -> dict:
    """{(related model, pk): str(row)} for every foreign key value in these history rows: one query per model."""
    wanted: dict[type, set] = defaultdict(set)
    for historical_model, rows in rows_by_model.items():
        for f in tracked_fields(historical_model):
            if f.is_relation:
                wanted[f.related_model].update(getattr(r, f.attname) for r in rows if getattr(r, f.attname) is not None)
    names = {}
    for model, pks in wanted.items():
        for obj in model._base_manager.filter(pk__in=pks):
            names[(model, obj.pk)] = str(obj)
    return names


def _user_label(row) -> str:
    user = row.history_user
    if user is None:
        return SYSTEM_USER
    return getattr(user, "display_name", None) or user.get_username()


def history_entries(sources: Iterable[models.QuerySet]) -> list[Entry]:
    """Entries of these historical querysets (``Model.history.filter(...)``, already limited to what the reader
    may see), newest first. Each row is compared with the previous row of the same object."""
    rows_by_model = {}
    for qs in sources:
        rows = list(qs.select_related("history_user").order_by("id", "history_date", "history_id"))
        rows_by_model.setdefault(qs.model, []).extend(rows)
    names = _related_names(rows_by_model)
    entries = []
    for historical_model, rows in rows_by_model.items():
        fields = tracked_fields(historical_model)
        verbose = historical_model.instance_type._meta.verbose_name
        previous = {}
        subjects = {}  # one name per object (its latest row): a __str__ reading a relation costs a query
        for row in reversed(rows):
            if row.id not in subjects:
                subjects[row.id] = f"{verbose}：{_subject(row)}"
        for row in rows:
            before = previous.get(row.id)
            changes = []
            for f in fields:
                new = getattr(row, f.attname)
                if row.history_type == "-":
                    continue
                old = getattr(before, f.attname) if before is not None else None
                if before is not None and old == new:
                    continue
                if before is None and new in (None, ""):
                    continue
                changes.append(Change(str(f.verbose_name), _display(old, f, names), _display(new, f, names)))
            previous[row.id] = row
            if row.history_type == "~" and not changes:
                continue  # saved without a change of any shown field
            entries.append(
                Entry(
                    at=row.history_date,
                    user=_user_label(row),
                    action=ACTIONS.get(row.history_type, row.history_type),
                    subject=subjects[row.id],
                    changes=changes,
                    sort_key=(row.history_date, row.history_id),
                )
            )
    entries.sort(key=lambda e: e.sort_key, reverse=True)
    return entries


def _subject(row) -> str:
    try:
        return str(row.instance)
    except Exception:  # noqa: BLE001 - a __str__ reading a relation deleted since: the row's id will do
        return f"#{row.id}"


def update_with_history(queryset: models.QuerySet, **values) -> int:
    """``queryset.update(**values)`` that leaves 变更记录: an UPDATE sends no signal, so the rows it changed are read
    back and each gets a history row (the user: the request's, as for a save). The rows are chosen before the
    UPDATE, so a filter on a field it changes still finds them."""
    model = queryset.model
    pks = list(queryset.values_list("pk", flat=True))
    if not pks:
        return 0
    count = model._base_manager.filter(pk__in=pks).update(**values)
    model.history.bulk_history_create(list(model._base_manager.filter(pk__in=pks)), update=True)
    return count


def paginate(entries: list[Entry], page) -> object:
    return Paginator(entries, PAGE_SIZE).get_page(page)


# --- Excel ------------------------------------------------------------------------------------------------------
@dataclass
class ExportRow:
    at: dt.datetime
    user: str
    action: str
    subject: str
    field: str = ""
    old: str = ""
    new: str = ""


HISTORY_COLUMNS = [
    Column("时间", "at", "datetime"),
    Column("操作人", "user"),
    Column("操作", "action"),
    Column("对象", "subject", width=40),
    Column("字段", "field"),
    Column("原值", "old", width=40),
    Column("新值", "new", width=40),
]


def export_rows(entries: list[Entry]) -> list[ExportRow]:
    """One row per changed field (an entry without fields, a deletion, one row)."""
    rows = []
    for e in entries:
        head = (e.at, e.user, e.action, e.subject)
        rows.extend(ExportRow(*head, c.field, c.old, c.new) for c in e.changes)
        if not e.changes:
            rows.append(ExportRow(*head))
    return rows


def history_xlsx_response(title: str, entries: list[Entry]):
    return xlsx_response(f"变更记录-{title}"[:60], [("变更记录", HISTORY_COLUMNS, export_rows(entries))])


def entry_json(entry: Entry) -> dict:
    return {
        "at": entry.at.isoformat(),
        "user": entry.user,
        "action": entry.action,
        "object": entry.subject,
        "changes": [{"field": c.field, "old": c.old, "new": c.new} for c in entry.changes],
    }


def sources_of(obj) -> list[models.QuerySet]:
    """The historical rows shown for ``obj``: its model's ``history_sources()`` when it has one (a project adds its
    participants), else the object's own rows."""
    if hasattr(obj, "history_sources"):
        return obj.history_sources()
    return [type(obj).history.filter(id=obj.pk)]


# --- views --------------------------------------------------------------------------------------------------------
class HistoryMixin:
    """A detail view with the 变更记录 section (``?history_page=N``) and its Excel export (``?export=history``).

    The object comes from the view's own ``get_object()``, so the history is scoped exactly like the page (outside
    the reader's scope: the page's 404/403). ``history_sources()`` names the historical rows shown: by default the
    object's own; a view adds its children (a project's participants)."""

    def history_sources(self) -> list[models.QuerySet]:
        return sources_of(self.object)

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "history":
            self.object = self.get_object()
            return history_xlsx_response(str(self.object), history_entries(self.history_sources()))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["history_page"] = paginate(history_entries(self.history_sources()), self.request.GET.get("history_page"))
        return ctx
