"""The client's address: one rule for every limit, lockout and audit row.

``TRUSTED_PROXY_COUNT`` says how many reverse proxies stand between the Internet and the application:

* ``0`` (the default, a direct deployment): ``REMOTE_ADDR`` only. ``X-Forwarded-For`` is whatever the client wrote
  and is ignored entirely.
* ``N > 0``: each trusted proxy appends the address it received the request from to ``X-Forwarded-For``, so the
  N-th entry from the right is the one the outermost trusted proxy saw — the client. Entries further left were
  written by the client and are never used. A header with fewer than N entries (a request that did not come
  through every proxy) falls back to ``REMOTE_ADDR``; so does an entry that is not an IP address.

Used by the sign-in lockout and the security log (``accounts/security.py``), the public endpoints' limits
(``core/ratelimit.py`` callers) and every DRF throttle (``core/api/throttling.py``).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def trusted_proxy_count() -> int:
    return max(0, int(settings.TRUSTED_PROXY_COUNT))


def _valid(address: str) -> str | None:
    address = address.strip()
    if address.startswith("[") and "]" in address:  # "[::1]:443"
        address = address[1 : address.index("]")]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address by the deployment's rule (``TRUSTED_PROXY_COUNT``); None without a request."""
    if request is None:
        return None
    meta = request.META
    remote = _valid(meta.get("REMOTE_ADDR") or "")
    proxies = trusted_proxy_count()
    if proxies:
        hops = [hop.strip() for hop in (meta.get("HTTP_X_FORWARDED_FOR") or "").split(",") if hop.strip()]
        if len(hops) >= proxies:
            forwarded = _valid(hops[-proxies])
            if forwarded:
                return forwarded
    return remote
