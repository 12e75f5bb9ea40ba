"""Scoping and named reads of the evaluation app.

* Templates and veto items are reference data: readable by every signed-in user.
* Evaluations: the city sees all, a county its own projects', an expert only those on whose panel they sit,
  unit users none.
* Score sheets: an expert only their own; county staff the sheets of their county's evaluations; the city all.
"""

from __future__ import annotations

from django.db.models import Count, Q

from core.querysets import CountyScopedQuerySet, PublicQuerySet


class CriteriaTemplateQuerySet(PublicQuerySet):
    def visible_to(self, user):
        qs = super().visible_to(user)
        if user is not None and user.is_authenticated and user.is_unit_user:
            return self.none()
        return qs

    def current_for(self, category: str):
        """The version new evaluations of ``category`` use: the highest version."""
        return self.filter(category=category).order_by("-version").first()


class VetoItemQuerySet(PublicQuerySet):
    def active(self):
        return self.filter(is_active=True)


class EvaluationQuerySet(CountyScopedQuerySet):
    county_field = "project__county"

    def for_expert(self, user):
        return self.filter(panel__expert=user)

    def with_counts(self):
        return self.annotate(
            panel_size=Count("panel", distinct=True),
            submitted_count=Count("sheets", filter=Q(sheets__status="submitted"), distinct=True),
        )

    def open(self):
        return self.filter(status="open")


class ScoreSheetQuerySet(CountyScopedQuerySet):
    county_field = "evaluation__project__county"

    def for_expert(self, user):
        return self.filter(expert=user)

    def submitted(self):
        return self.filter(status="submitted")
