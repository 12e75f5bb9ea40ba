"""Where the events that make credit entries plug in.

Each app that keeps such an event registers a ``Source`` from its ``AppConfig.ready()`` (awards: award records;
evaluation: 精品工程/示范 results; inspections: 整改通知单 and 行政处罚; complaints: substantiated complaints;
this app itself: constraint records, insurance and green pilots of ``projects``). A source says, for a batch of
its record ids, which entries they make (``Fact``); credit turns facts into entries (``services.sync_source``),
so an entry is never typed twice and always follows its record: the record changes, the entry changes; the record
is deleted or no longer makes the behaviour, the entry goes.

``watch`` ties a model's saves and deletes to the sources they affect; the receivers run inside the writing
transaction, so the record and its entry commit together. ``suspended()`` turns them off for bulk loads (the demo
seed, the bench), which then call ``services.reconcile()``.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.db.models.signals import post_delete, post_save


@dataclass(frozen=True)
class Fact:
    """One entry a source record makes (for one enterprise and one behaviour)."""

    enterprise_id: int
    behaviour: str
    occurred_on: dt.date | None  # None: the day the entry is first recorded (a flag without a date of its own)
    title: str
    document_no: str = ""
    project_id: int | None = None
    county_id: int | None = None
    catalogue_points: Decimal | None = None
    source_url: str = ""


@dataclass(frozen=True)
class Source:
    key: str  # stored as CreditEntry.source_type
    label: str  # 来源 as shown: "奖励记录", "整改通知单" …
    facts: Callable  # (ids: list[int], rule: scoring.Rule) -> dict[int, list[Fact]] (an id left out makes none)
    all_ids: Callable[[], Iterable[int]]  # every record that may make entries (reconcile)
    daily: bool = False  # its facts depend on the date (a policy lapses): re-read by the daily job


_sources: dict[str, Source] = {}
_state = threading.local()


def register(source: Source) -> None:
    _sources[source.key] = source


def sources() -> dict[str, Source]:
    return dict(_sources)


def get(key: str) -> Source:
    return _sources[key]


def label(key: str) -> str:
    source = _sources.get(key)
    return source.label if source else key


def _pending() -> dict[str, set[int]] | None:
    return getattr(_state, "pending", None)


def _notify(key: str, ids: Iterable[int]) -> None:
    ids = {i for i in ids if i}
    if not ids or getattr(_state, "suspended", 0):
        return
    pending = _pending()
    if pending is not None:
        pending.setdefault(key, set()).update(ids)
        return
    from credit import services  # the receivers' target (services imports this module)

    services.sync_source(key, sorted(ids))


def watch(key: str, model, ids_of: Callable) -> None:
    """A save or delete of ``model`` re-reads the ``key`` source for the ids ``ids_of(instance)`` names."""

    def receiver(sender, instance, **kwargs):
        _notify(key, ids_of(instance))

    uid = f"credit:{key}:{model._meta.label}"
    post_save.connect(receiver, sender=model, weak=False, dispatch_uid=uid + ":save")
    post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=uid + ":delete")


def notify(key: str, ids: Iterable[int]) -> None:
    """For a write that skips the model's signals (a queryset ``update``): re-read these records now."""
    _notify(key, ids)


@contextmanager
def suspended():
    """No entry follows the writes inside (bulk loads); call ``services.reconcile()`` afterwards."""
    _state.suspended = getattr(_state, "suspended", 0) + 1
    try:
        yield
    finally:
        _state.suspended -= 1


@contextmanager
def batched():
    """Collect the records the writes inside touch and re-read each once at the end (a service writing many)."""
    if _pending() is not None:
        yield
        return
    _state.pending = {}
    try:
        yield
        pending = _state.pending
    finally:
        _state.pending = None
    if pending:
        from credit import services  # services imports this module (its registry): the reverse stays lazy

        for key, ids in pending.items():
            services.sync_source(key, sorted(ids))
