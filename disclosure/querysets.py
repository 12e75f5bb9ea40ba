"""Reads of the disclosure app: the staff's scope (the project's county) and the public's (published pages)."""

from __future__ import annotations

from django.db.models import Q

from core.querysets import CountyScopedQuerySet


class ProjectDisclosureQuerySet(CountyScopedQuerySet):
    county_field = "project__county"

    def published(self):
        return self.filter(published=True)

    def search(self, text: str):
        """Public search: project name or code, the name of a participating unit, or the county's name."""
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(
            Q(project__name__icontains=text)
            | Q(project__code__icontains=text)
            | Q(project__participants__enterprise__name__icontains=text)
            | Q(project__county__name=text)
        ).distinct()
