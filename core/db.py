"""Read-only work on a streaming replica.

``REPLICA_DATABASE_URL`` adds a ``replica`` database. Reads made inside ``with replica_reads():`` — the list
pages and list endpoints, the data collection of a report — go to it; every other read and every write stays on
the primary (a form shows what was just saved; replicas lag by a moment). Without the setting, or inside a
transaction on the primary (where a read must see the transaction's own writes), everything uses the primary.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

from django.conf import settings
from django.db import connections

REPLICA = "replica"
_replica_reads: contextvars.ContextVar[bool] = contextvars.ContextVar("replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads():
    """Route the ORM reads of this block to the replica (when one is configured)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def read_alias() -> str:
    """Where a read would go now: ``replica`` inside ``replica_reads()`` with a replica and no open transaction
    on the primary, else ``default``."""
    if _replica_reads.get() and replica_configured() and not connections["default"].in_atomic_block:
        return REPLICA
    return "default"


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return read_alias()

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same rows on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
