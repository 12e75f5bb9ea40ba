"""Advisory locks: one writer at a time for a logical key, across every web and worker process."""

from __future__ import annotations

import hashlib

from django.db import connection


def lock_id(key: str) -> int:
    """A stable signed 64-bit id for ``key`` (PostgreSQL advisory locks take a bigint)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)


def advisory_xact_lock(key: str) -> None:
    """Hold a lock on ``key`` until the current transaction ends (call inside ``transaction.atomic``).

    PostgreSQL: ``pg_advisory_xact_lock``. SQLite (embedded mode) serialises writers on the whole database
    already; there the transaction takes the write lock at once so two requests cannot both read "none" first.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id(key)])
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # A no-op write takes SQLite's RESERVED lock now, like BEGIN IMMEDIATE.
            cursor.execute("UPDATE django_migrations SET id = id WHERE 1 = 0")
