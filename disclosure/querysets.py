"""Reads of the disclosure app: the staff's scope (the project's county) and the public's (published pages)."""

from __future__ import annotations

from django.db.models import Count, Q

from core.querysets import CountyScopedQuerySet
from projects.choices import Stage

# From 施工 on a project must be publicly disclosed (seed 001 二(一)1 "主动公示项目地点、主体责任单位、项目负责人"):
# the stages whose projects count in the publication coverage and whose unpublished projects the county is
# reminded of.
PUBLICATION_STAGES = (Stage.CONSTRUCTION, Stage.ACCEPTANCE, Stage.OPERATION)


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

    def due(self):
        """Projects that should be published: from 施工 on (PUBLICATION_STAGES)."""
        return self.filter(project__stage__in=PUBLICATION_STAGES)

    def due_unpublished(self):
        return self.due().filter(published=False)

    def coverage_by_county(self) -> dict[int, tuple[int, int]]:
        """county id -> (projects due, of which published), in one query."""
        rows = (
            self.due()
            .order_by()
            .values("project__county_id")
            .annotate(due=Count("pk"), published_count=Count("pk", filter=Q(published=True)))
        )
        return {r["project__county_id"]: (r["due"], r["published_count"]) for r in rows}

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
