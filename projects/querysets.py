"""Named reads and scoping for the projects app.

County staff see their county's rows; unit users (参建单位) see the projects their enterprise takes part in
and the rows that hang off them; experts see nothing here unless another app grants it.
"""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.db.models import DateField, ExpressionWrapper, F, Q
from django.utils import timezone

from core.querysets import CountyScopedQuerySet, ScopedQuerySet
from projects.choices import GENERAL_CONTRACTOR_ROLES, LIBRARY_STATUSES, MANDATORY_INSURANCE, OPEN_CONSTRAINT_STATUSES


def _projects_of_enterprise(enterprise_id):
    Participant = apps.get_model("projects", "Participant")
    return Participant.objects.filter(enterprise_id=enterprise_id).values("project_id")


class ProjectQuerySet(CountyScopedQuerySet):
    county_field = "county"

    def for_unit_user(self, user):
        if not user.enterprise_id:
            return self.none()
        return self.filter(pk__in=_projects_of_enterprise(user.enterprise_id))

    def government_invested(self):
        return self.filter(government_invested=True)

    def autocomplete(self, user, q: str, limit: int):
        """The searchable project select: code or name, within what the user may see."""
        qs = self.visible_to(user).select_related("county").order_by("county__order", "code")
        if q:
            qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q))
        return [(p.pk, f"{p.code} {p.name}（{p.county.name}）") for p in qs[:limit]]

    def in_library(self):
        return self.filter(jingpin_status__in=LIBRARY_STATUSES)


class ParticipantQuerySet(CountyScopedQuerySet):
    county_field = "project__county"

    def for_unit_user(self, user):
        if not user.enterprise_id:
            return self.none()
        return self.filter(project_id__in=_projects_of_enterprise(user.enterprise_id))

    def insurance_problems(self, on_date=None):
        """Participants whose mandatory insurance is missing or expired: Participant.insurance_problem() as a query."""
        on_date = on_date or timezone.localdate()
        return self.filter(
            Q(role__in=list(MANDATORY_INSURANCE))
            & (Q(insurance_policy_no="") | Q(insurance_valid_until__isnull=True) | Q(insurance_valid_until__lt=on_date))
        )

    def general_contractors(self):
        return self.filter(role__in=GENERAL_CONTRACTOR_ROLES)


class ConstraintRecordQuerySet(CountyScopedQuerySet):
    county_field = "participant__project__county"

    def for_unit_user(self, user):
        # An enterprise sees the constraint records against itself, never another enterprise's.
        if not user.enterprise_id:
            return self.none()
        return self.filter(participant__enterprise_id=user.enterprise_id)

    def open(self):
        return self.filter(status__in=OPEN_CONSTRAINT_STATUSES)


class MonthlyReportQuerySet(CountyScopedQuerySet):
    county_field = "county"  # denormalised from the project: the county's list reads one table

    def for_unit_user(self, user):
        if not user.enterprise_id:
            return self.none()
        # The filing enterprise's own reports, on projects it (still) takes part in.
        return self.filter(enterprise_id=user.enterprise_id, project_id__in=_projects_of_enterprise(user.enterprise_id))

    def accepted(self):
        return self.filter(status="accepted")


class ProjectMilestoneQuerySet(CountyScopedQuerySet):
    county_field = "project__county"

    def for_unit_user(self, user):
        if not user.enterprise_id:
            return self.none()
        return self.filter(project_id__in=_projects_of_enterprise(user.enterprise_id))

    def late(self, today, grace_days: int):
        """滞后 as a query (projects.programme.is_late): planned, and not reached by ``today`` more than
        ``grace_days`` after the plan, or reached more than ``grace_days`` after it."""
        limit = ExpressionWrapper(F("planned_on") + dt.timedelta(days=grace_days), output_field=DateField())
        return self.filter(planned_on__isnull=False).filter(
            Q(actual_on__isnull=True, planned_on__lt=today - dt.timedelta(days=grace_days))
            | Q(actual_on__isnull=False, actual_on__gt=limit)
        )

    def open_late(self, today, grace_days: int):
        """Late and still not reached: what the county has to chase."""
        return self.late(today, grace_days).filter(actual_on__isnull=True)


class GoalRuleQuerySet(ScopedQuerySet):
    """The city's goals are read by the bureau's staff (city and counties) and the units; written by the city."""

    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active or user.is_expert:
            return self.none()
        return self.all()
