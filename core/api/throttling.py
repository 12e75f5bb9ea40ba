"""DRF throttles that count per client by the project's one address rule (``core.clientip``).

DRF's own ``get_ident`` trusts a raw ``X-Forwarded-For`` (with ``NUM_PROXIES`` unset), so a client could lift a
limit by writing a new header on every request. Every throttle in the project derives from these classes;
``tests/core/test_client_ip.py`` walks the URLs and fails on one that does not.
"""

from __future__ import annotations

from rest_framework import throttling

from core.clientip import client_ip


class ClientAddressMixin:
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
