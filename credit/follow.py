"""How a write reaches its credit entry: ``watch`` ties a model's saves and deletes to the sources they affect (the
receivers run inside the writing transaction, so the record and its entry commit together); ``notify`` is for a
write that skips the signals; ``suspended()`` turns them off for bulk loads (the demo seed, the bench), which then
call ``services.reconcile()``; ``batched()`` re-reads each touched record once at the end of a service writing many.

The sources themselves are declared in ``credit.registry``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager

from django.db.models.signals import post_delete, post_save

from credit import services

_state = threading.local()


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
        for key, ids in pending.items():
            services.sync_source(key, sorted(ids))
