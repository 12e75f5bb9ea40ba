"""Redirects to an address the request brought (``next``): only a path on this site, else the fallback.

Every view that redirects to a ``next`` it was given goes through :func:`redirect_next`, so ``//evil.example``,
``/\\evil.example``, ``https://evil.example``, ``javascript:…`` and the like never leave the site.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, value: str | None) -> str | None:
    """``value`` when it is a relative path on this host (``/…``, not ``//…`` nor ``/\\…``), else None."""
    if not value or not isinstance(value, str) or len(value) > 2000:
        return None
    if value != value.strip() or any(ord(ch) < 32 or ch == "\x7f" for ch in value):
        return None
    if not value.startswith("/") or value.startswith(("//", "/\\")) or "\\" in value:
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return None
    if not url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return value


def redirect_next(request, fallback, *args, param: str = "next", **kwargs) -> HttpResponseRedirect:
    """Redirect to the request's ``next`` (POST, then GET) when it is safe, else to ``fallback`` (a URL name with
    its arguments, a model, or a path, as ``django.shortcuts.redirect`` takes)."""
    value = request.POST.get(param) if request.method == "POST" else None
    target = safe_next(request, value or request.GET.get(param))
    return HttpResponseRedirect(target or resolve_url(fallback, *args, **kwargs))


class SafeNextMixin:
    """For Django's auth views (sign-in, sign-out): their ``next`` by the same rule as every other view."""

    def get_redirect_url(self):
        name = self.redirect_field_name
        return safe_next(self.request, self.request.POST.get(name) or self.request.GET.get(name)) or ""


class LoginView(SafeNextMixin, auth_views.LoginView):
    pass


class LogoutView(SafeNextMixin, auth_views.LogoutView):
    pass
