"""Content-Security-Policy on every response (no dependency): scripts only from this site or inline with the
request's nonce, no plugins, no framing, forms post only here.

``request.csp_nonce`` (a fresh ``secrets.token_urlsafe`` per request) goes on every inline ``<script>``:
``<script nonce="{{ request.csp_nonce }}">``. Inline event handlers (``onclick=…``) and ``javascript:`` links are
blocked: behaviour lives in ``static/js`` (``data-confirm``, ``data-autosubmit``, ``data-history-back``).

Styles allow ``'unsafe-inline'``: templates use ``style="…"`` attributes and small ``<style>`` blocks, as do the
Django admin and the API docs; a style cannot run code, and scripts — the injection that matters — stay locked to
nonces. A view may widen its own policy with :func:`csp_update` (the API docs' Redoc needs ``blob:`` workers).
"""

from __future__ import annotations

import secrets
from functools import wraps

HEADER = "Content-Security-Policy"


def directives(nonce: str) -> dict[str, str]:
    return {
        "default-src": "'self'",
        "script-src": f"'self' 'nonce-{nonce}'",
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data:",
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "frame-ancestors": "'none'",
        "form-action": "'self'",
    }


def policy(nonce: str, extra: dict[str, str] | None = None) -> str:
    found = directives(nonce)
    for name, value in (extra or {}).items():
        found[name] = f"{found[name]} {value}" if name in found else value
    return "; ".join(f"{name} {value}" for name, value in found.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = policy(request.csp_nonce, getattr(response, "csp_update", None))
        return response


def csp_update(**extra: str):
    """Add sources to a view's policy: ``csp_update(worker_src="blob:")`` adds to (or creates) ``worker-src``."""
    extra = {name.replace("_", "-"): value for name, value in extra.items()}

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            response.csp_update = {**getattr(response, "csp_update", {}), **extra}
            return response

        return wrapped

    return decorator
