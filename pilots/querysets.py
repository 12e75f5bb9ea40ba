"""Scoping of the pilots: the city sees all, a county its county's, a 建设单位's users their enterprise's pilots,
an expert the pilots whose plan they were asked to review (404 outside)."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Exists, OuterRef

from core.querysets import CountyScopedQuerySet


def _reviews():
    return apps.get_model("pilots", "PilotReview")  # models.py imports this module: looked up, not imported


class PilotQuerySet(CountyScopedQuerySet):
    county_field = "project__county"

    def for_unit_user(self, user):
        if not user.enterprise_id:
            return self.none()
        return self.filter(builder_id=user.enterprise_id)

    def for_expert(self, user):
        return self.filter(Exists(_reviews().objects.filter(pilot_id=OuterRef("pk"), expert_id=user.pk)))


class PilotChildQuerySet(CountyScopedQuerySet):
    """Rows hanging off a pilot: the pilot's own scope."""

    county_field = "pilot__project__county"

    def for_unit_user(self, user):
        if not user.enterprise_id:
            return self.none()
        return self.filter(pilot__builder_id=user.enterprise_id)

    def for_expert(self, user):
        return self.filter(Exists(_reviews().objects.filter(pilot_id=OuterRef("pilot_id"), expert_id=user.pk)))


class PilotReviewQuerySet(CountyScopedQuerySet):
    county_field = "pilot__project__county"

    def for_unit_user(self, user):
        # The 建设单位 sees the opinions on its plan (names of the experts included, as for a panel).
        if not user.enterprise_id:
            return self.none()
        return self.filter(pilot__builder_id=user.enterprise_id)

    def for_expert(self, user):
        return self.filter(expert_id=user.pk)
