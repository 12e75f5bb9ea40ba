"""Named reads and scoping for inspections.

County staff see their own county's plans and the inspections, findings and notices of their county's projects
(also when the city organised the plan); a unit user sees only the findings and notices addressed to its own
enterprise; an inspector (expert) sees the inspections of the teams they are on. ``published()`` is the public
read (no login): confirmed inspections only, for the public pages (一公开).
"""

from __future__ import annotations

from django.db.models import Q

from core.querysets import CountyScopedQuerySet, ScopedQuerySet
from inspections.choices import OPEN_NOTICE_STATUSES

# What the public may read of an inspection: nothing personal (no team, no answerer, no uploads).
PUBLIC_INSPECTION_FIELDS = (
    "pk",
    "plan__name",
    "project__code",
    "project__name",
    "project__county__name",
    "inspected_on",
    "summary",
    "confirmed_at",
)


class InspectorQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_city_admin:
            return self.all()
        if user.is_county_staff and user.region_id:
            return self.filter(Q(county__isnull=True) | Q(county_id=user.region_id))
        return self.filter(user=user)

    def active(self):
        return self.filter(active=True, user__is_active=True)

    def for_plan(self, plan):
        """The roster a plan draws from: the city's entries, plus the county's own for a county plan."""
        qs = self.active()
        if plan.county_id:
            return qs.filter(Q(county__isnull=True) | Q(county_id=plan.county_id))
        return qs.filter(county__isnull=True)


class PlanQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_city_admin:
            return self.all()
        if user.is_county_staff and user.region_id:
            return self.filter(
                Q(county_id=user.region_id) | Q(inspections__project__county_id=user.region_id)
            ).distinct()
        if user.is_expert:
            return self.filter(inspections__team__user=user).distinct()
        return self.none()


class InspectionQuerySet(CountyScopedQuerySet):
    county_field = "project__county"

    def for_expert(self, user):
        return self.filter(team__user=user).distinct()

    def for_unit_user(self, user):
        if not user.enterprise_id:
            return self.none()
        return self.filter(findings__participant__enterprise_id=user.enterprise_id).distinct()

    def published(self):
        """Confirmed results (一公开): safe to show without login through ``public_values()``."""
        return self.filter(status="confirmed", confirmed_at__isnull=False)

    def published_for_project(self, project):
        return self.published().filter(project=project)

    def public_values(self):
        """Only the public fields, ordered newest first (for issue 18's project pages too)."""
        return self.values(*PUBLIC_INSPECTION_FIELDS).order_by("-inspected_on", "-pk")


class _ThroughFinding(CountyScopedQuerySet):
    """Rows reached through a finding: an inspector sees their teams' findings, a unit those addressed to it."""

    finding_path = ""  # the lookup from this model to its Finding ("" for Finding itself)

    def _lookup(self, rest: str) -> str:
        return f"{self.finding_path}__{rest}" if self.finding_path else rest

    def for_expert(self, user):
        return self.filter(**{self._lookup("inspection__team__user"): user}).distinct()

    def for_unit_user(self, user):
        if not user.enterprise_id:
            return self.none()
        return self.filter(**{self._lookup("participant__enterprise_id"): user.enterprise_id})


class FindingQuerySet(_ThroughFinding):
    county_field = "inspection__project__county"

    def published(self):
        return self.filter(inspection__status="confirmed", inspection__confirmed_at__isnull=False)


class NoticeQuerySet(_ThroughFinding):
    county_field = "finding__inspection__project__county"
    finding_path = "finding"

    def open(self):
        return self.filter(status__in=OPEN_NOTICE_STATUSES)

    def overdue(self, on_date):
        return self.open().filter(deadline__lt=on_date)


class AttachmentQuerySet(_ThroughFinding):
    county_field = "finding__inspection__project__county"
    finding_path = "finding"


class A1OverrideQuerySet(CountyScopedQuerySet):
    county_field = "county"
