"""DRF throttles that count per client by the project's one address rule (``core.clientip``).

DRF's own ``get_ident`` trusts a raw ``X-Forwarded-For`` (with ``NUM_PROXIES`` unset), so a client could lift a
limit by writing a new header on every request. Every throttle in the project derives from these classes;
``tests/core/test_client_ip.py`` walks the URLs and fails on one that does not.

Their request history lives in the cache; while the cache is down it is kept in the database
(``ThrottleStore``), so an outage neither answers 500 nor lifts a limit.
"""

from __future__ import annotations

from rest_framework import throttling

from core import cache
from core.clientip import client_ip


class ThrottleStore:
    """What DRF's throttles call as ``self.cache``: the cache, or the database while it is down."""

    def get(self, key, default=None):
        try:
            return cache.call("get", key, default)
        except cache.CacheUnavailable:
            return cache.db_get(key, default)

    def set(self, key, value, timeout=None):
        try:
            cache.call("set", key, value, timeout)
        except cache.CacheUnavailable:
            cache.db_set(key, value, timeout)


class ClientAddressMixin:
    cache = ThrottleStore()

    def get_ident(self, request):
        return client_ip(request) or "unknown"


class SimpleRateThrottle(ClientAddressMixin, throttling.SimpleRateThrottle):
    pass


class ScopedRateThrottle(ClientAddressMixin, throttling.ScopedRateThrottle):
    pass


class AnonRateThrottle(ClientAddressMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientAddressMixin, throttling.UserRateThrottle):
    pass
