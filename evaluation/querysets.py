"""Scoping and named reads of the evaluation app.

* Templates and veto items are reference data: readable by every signed-in user.
* Evaluations: the city sees all, a county its own projects', an expert only those on whose panel they sit,
  unit users none.
* Score sheets: an expert only their own; county staff the sheets of their county's evaluations; the city all.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

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
        """Panel size and submitted sheets per evaluation, as correlated counts: PostgreSQL computes them for the
        rows a page returns only (a join + GROUP BY counted every evaluation before the LIMIT)."""
        # the models module imports this one (their managers): the sibling models are looked up, not imported
        PanelMember, ScoreSheet = (
            apps.get_model("evaluation", "PanelMember"),
            apps.get_model("evaluation", "ScoreSheet"),
        )

        def count_of(qs):
            return Coalesce(
                Subquery(
                    qs.filter(evaluation=OuterRef("pk"))
                    .order_by()
                    .values("evaluation")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            )

        return self.annotate(
            panel_size=count_of(PanelMember.objects.all()),
            submitted_count=count_of(ScoreSheet.objects.filter(status="submitted")),
        )

    def open(self):
        return self.filter(status="open")


class ScoreSheetQuerySet(CountyScopedQuerySet):
    county_field = "evaluation__project__county"

    def for_expert(self, user):
        return self.filter(expert=user)

    def submitted(self):
        return self.filter(status="submitted")


class CertificationReviewQuerySet(CountyScopedQuerySet):
    county_field = "project__county"

    def open(self):
        return self.filter(status="open")
