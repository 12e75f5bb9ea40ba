"""Pages that show a secret (a new API key, a complaint's tracking number and query code, a status check) are
never stored by a browser or a proxy: ``Cache-Control: no-store`` (Django's ``add_never_cache_headers``), on every
answer of the view, errors included. One helper for function views, class-based views and DRF views alike."""

from __future__ import annotations

from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache

__all__ = ["NoStoreMixin", "never_cache", "no_store"]


def no_store(response):
    """Mark ``response`` as never to be stored; returns it."""
    add_never_cache_headers(response)
    return response


class NoStoreMixin:
    """For class-based views (Django's and DRF's): every response of the view is ``no-store``."""

    def dispatch(self, request, *args, **kwargs):
        return no_store(super().dispatch(request, *args, **kwargs))
