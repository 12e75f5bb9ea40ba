"""The cache is an optimisation, never a dependency: every read and write of it here survives the cache being down.

The dashboard panels, kept list counts, rate limits and API throttles use Django's cache (Redis in production,
``CACHE_URL``). When that Redis is unreachable a cache call raises; a request must not answer 500 for it and a
write must not roll back for it. So:

* ``get``/``get_many``/``set``/``add``/``incr`` here catch the cache's connection errors, log them (logger
  ``core.cache``), count them (``failures()``, for the health page and metrics) and answer as a cache miss;
* after one failure the cache is skipped for ``CACHE_RETRY_SECONDS`` (default 5) instead of paying a connection
  attempt on every call of every request while it is down;
* the callers that must not fail open — the rate limits (``core.ratelimit``) and the API throttles
  (``core.api.throttling``) — ask ``available()``/catch ``CacheUnavailable`` and count in the database instead.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from core.metrics import record_cache_failure
from core.models import FallbackCounter

logger = logging.getLogger("core.cache")

try:  # the Redis client is installed in every deployment that sets CACHE_URL
    from redis.exceptions import RedisError as _RedisError
except ImportError:  # pragma: no cover - the embedded mode's local-memory cache raises none of these
    _RedisError = OSError

CACHE_ERRORS = (_RedisError, ConnectionError, OSError, TimeoutError)
MISSING = object()


class CacheUnavailable(Exception):
    """The cache cannot be reached (or was found unreachable less than ``CACHE_RETRY_SECONDS`` ago)."""


_lock = threading.Lock()
_failures = 0
_down_until = 0.0


def failures() -> int:
    """Cache calls that failed since this process started."""
    return _failures


def _retry_seconds() -> float:
    return float(settings.CACHE_RETRY_SECONDS)


def available() -> bool:
    return time.monotonic() >= _down_until


def _failed(operation: str, exc: BaseException) -> None:
    global _failures, _down_until
    with _lock:
        _failures += 1
        first = time.monotonic() >= _down_until
        _down_until = time.monotonic() + _retry_seconds()
    record_cache_failure()  # jingpin_cache_failures_total (core/metrics.py)
    if first:
        logger.warning("cache unavailable (%s): %s — skipped for %ss", operation, exc, _retry_seconds())


def reset() -> None:
    """Forget a recorded outage (tests; the cache is back)."""
    global _down_until
    _down_until = 0.0


def call(operation: str, *args, **kwargs):
    """``cache.<operation>(*args, **kwargs)``, raising ``CacheUnavailable`` instead of a connection error."""
    if not available():
        raise CacheUnavailable(operation)
    try:
        return getattr(cache, operation)(*args, **kwargs)
    except CACHE_ERRORS as exc:
        _failed(operation, exc)
        raise CacheUnavailable(operation) from exc


def get(key: str, default=None):
    try:
        return call("get", key, default)
    except CacheUnavailable:
        return default


def get_many(keys: list[str]) -> dict:
    try:
        return call("get_many", keys)
    except CacheUnavailable:
        return {}


def set(key: str, value, timeout=MISSING) -> bool:  # noqa: A001 - the cache's own verb
    try:
        if timeout is MISSING:
            call("set", key, value)
        else:
            call("set", key, value, timeout)
        return True
    except CacheUnavailable:
        return False


def add(key: str, value, timeout=MISSING) -> bool:
    """``cache.add``: True when the key was not there and is now set; False when it was, or the cache is down."""
    try:
        if timeout is MISSING:
            return bool(call("add", key, value))
        return bool(call("add", key, value, timeout))
    except CacheUnavailable:
        return False


def delete(key: str) -> None:
    try:
        call("delete", key)
    except CacheUnavailable:
        pass


# --- database fallback of the security limits -------------------------------------------------------------


def _purge_expired(now) -> None:
    FallbackCounter.objects.filter(expires_at__lt=now).delete()


def db_incr(key: str, window_seconds: int) -> int:
    """Count one more in ``key``'s fixed window (``window_seconds``) in the database; the count so far."""
    now = timezone.now()
    with transaction.atomic():
        row, created = FallbackCounter.objects.select_for_update().get_or_create(
            key=key, defaults={"count": 1, "expires_at": now + timedelta(seconds=window_seconds)}
        )
        if created:
            _purge_expired(now)
            return 1
        if row.expires_at <= now:
            row.count, row.expires_at = 1, now + timedelta(seconds=window_seconds)
        else:
            row.count += 1
        row.save(update_fields=["count", "expires_at"])
        return row.count


def db_count(key: str) -> int:
    row = FallbackCounter.objects.filter(key=key, expires_at__gt=timezone.now()).values_list("count", flat=True)
    return next(iter(row), 0)


def db_get(key: str, default=None):
    row = FallbackCounter.objects.filter(key=key, expires_at__gt=timezone.now()).values_list("value", flat=True)
    return next(iter(row), default)


def db_set(key: str, value, timeout: int) -> None:
    now = timezone.now()
    FallbackCounter.objects.update_or_create(
        key=key, defaults={"value": value, "expires_at": now + timedelta(seconds=timeout or 60)}
    )
