"""Cached dashboard panels: a panel whose data changes monthly is computed once per scope, not per request.

``@cached_panel("assessment.Submission", …)`` on a panel's context function keeps its result in Django's cache
under a key made of the user's scope (role, county, enterprise), the request's query string, today's date and
one version token per named model. Saving or deleting a row of any named model replaces that model's token
(``post_save``/``post_delete``), so the next request recomputes; ``DASHBOARD_CACHE_SECONDS`` bounds the life of
an entry anyway (bulk ``update()`` calls send no signal). With several processes set ``CACHE_URL`` (Redis) so
they share the entries and the tokens.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

VERSION_KEY = "dashboard:version:{}"


def _bump(sender, **kwargs) -> None:
    cache.set(VERSION_KEY.format(sender._meta.label_lower), uuid.uuid4().hex, None)


def invalidate(*labels: str) -> None:
    """Drop every cached panel that depends on these models (for writes that send no signal)."""
    for label in labels:
        cache.set(VERSION_KEY.format(label.lower()), uuid.uuid4().hex, None)


def scope_key(user) -> str:
    return f"{getattr(user, 'role', '')}:{getattr(user, 'region_id', '')}:{getattr(user, 'enterprise_id', '')}"


def cached_panel(*models: str) -> Callable:
    labels = tuple(label.lower() for label in models)

    def decorate(func: Callable) -> Callable:
        for label in labels:
            for signal in (post_save, post_delete):
                signal.connect(_bump, sender=label, weak=False, dispatch_uid=f"panel-cache:{label}:{id(signal)}")

        @wraps(func)
        def panel(request):
            seconds = getattr(settings, "DASHBOARD_CACHE_SECONDS", 0)
            if not seconds:
                return func(request)
            versions = cache.get_many([VERSION_KEY.format(label) for label in labels])
            parts = [
                scope_key(request.user),
                request.GET.urlencode(),
                timezone.localdate().isoformat(),
                *(str(versions.get(VERSION_KEY.format(label), "0")) for label in labels),
            ]
            digest = hashlib.sha1("|".join(parts).encode()).hexdigest()
            key = f"dashboard:panel:{func.__module__}.{func.__qualname__}:{digest}"
            entry = cache.get(key)
            if entry is None:
                entry = {"ctx": func(request)}
                cache.set(key, entry, seconds)
            return entry["ctx"]

        panel.uncached = func
        return panel

    return decorate


def top_and_bottom(rows: list, *, limit: int = 20, n: int = 10) -> tuple[list, int]:
    """All rows when there are at most ``limit``, else the first and the last ``n`` (rows are already ranked);
    with the number of rows left out in between."""
    if len(rows) <= limit:
        return rows, 0
    return [*rows[:n], *rows[-n:]], len(rows) - 2 * n
