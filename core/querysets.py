"""Row-level scoping: every model that holds non-public data has a queryset with ``visible_to(user)``.

The base web views (core.views) and API viewsets (core.api.viewsets) call it, so a new endpoint cannot
forget the scope; an object outside it is simply not found (404, so its existence does not leak).
"""

from __future__ import annotations

from django.db import models


class ScopedQuerySet(models.QuerySet):
    """Base: subclasses say which rows a user may see."""

    def visible_to(self, user):  # pragma: no cover - abstract
        raise NotImplementedError(f"{type(self).__name__} must implement visible_to(user)")


class PublicQuerySet(ScopedQuerySet):
    """Reference data that every signed-in user may read (regions, enterprises, catalogues)."""

    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.all()


class CountyScopedQuerySet(ScopedQuerySet):
    """Rows that belong to one county (``county_field``): the city sees all, a county its own.

    Experts and unit users see nothing by default; a model that grants them rows overrides
    ``for_expert`` / ``for_unit_user``.
    """

    county_field = "county"

    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_city_admin:
            return self.all()
        if user.is_county_staff:
            if not user.region_id:
                return self.none()
            return self.filter(**{f"{self.county_field}_id": user.region_id})
        if user.is_expert:
            return self.for_expert(user)
        if user.is_unit_user:
            return self.for_unit_user(user)
        return self.none()

    def for_expert(self, user):
        return self.none()

    def for_unit_user(self, user):
        return self.none()
