"""Fixed-window rate limits for the anonymous endpoints, counted in the Django cache.

The cache is shared by every web process (Redis in production, CACHE_URL), so a limit holds across gunicorn
workers and machines; in the embedded mode it is the process's local memory. While the cache is down the
counters are kept in the database (``core.cache.db_incr``): a security limit never fails open.
"""

from __future__ import annotations

import hashlib

from django.http import HttpResponse
from django.template.loader import render_to_string

from core import cache

RATE_LIMIT_MESSAGE = "操作过于频繁，请{minutes}分钟后再试。"


def _key(scope: str, ident: str) -> str:
    return "ratelimit:" + scope + ":" + hashlib.sha256(ident.encode("utf-8")).hexdigest()[:32]


def hit(scope: str, ident: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt; True while the count stays within ``limit`` for the current window."""
    key = _key(scope, ident)
    try:
        if cache.call("add", key, 1, timeout=window_seconds):
            return 1 <= limit
        try:
            count = cache.call("incr", key)
        except ValueError:  # expired between add() and incr()
            cache.call("add", key, 1, timeout=window_seconds)
            count = 1
    except cache.CacheUnavailable:
        count = cache.db_incr(key, window_seconds)
    return count <= limit


def exceeded(scope: str, ident: str, limit: int) -> bool:
    """Whether the limit is already used up (without counting an attempt)."""
    key = _key(scope, ident)
    try:
        count = cache.call("get", key) or 0
    except cache.CacheUnavailable:
        count = cache.db_count(key)
    return count >= limit


def too_many_requests(request, window_seconds: int, message: str | None = None) -> HttpResponse:
    """A 429 page in Chinese with Retry-After."""
    minutes = max(1, (window_seconds + 59) // 60)
    text = message or RATE_LIMIT_MESSAGE.format(minutes=minutes)
    html = render_to_string("429.html", {"message": text}, request=request)
    response = HttpResponse(html, status=429)
    response["Retry-After"] = str(window_seconds)
    return response
