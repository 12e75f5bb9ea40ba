"""Reads of the disclosure app: the staff's scope (the project's county) and the public's (published pages)."""

from __future__ import annotations

from django.db.models import Q

from core.querysets import CountyScopedQuerySet


class ProjectDisclosureQuerySet(CountyScopedQuerySet):
    county_field = "project__county"

    def published(self):
        return self.filter(published=True)

    def withdrawn(self):
        """Published once, withdrawn since: the URL answers 已撤销公示 (see ProjectDisclosure.is_withdrawn)."""
        return self.filter(published=False, withdrawn_at__isnull=False)

    def reachable(self):
        """What a public URL answers for: published pages and withdrawn ones (never a page never published)."""
        return self.filter(Q(published=True) | Q(withdrawn_at__isnull=False))

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
