"""The programme as the pages, the API and the 通报 read it: the user's pilots, each county against the quotas of
seed 003 and each pilot's requirements (pilots.programme judges; this module only loads)."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import Region
from pilots import programme as rules
from pilots.choices import ESTABLISHED_STATUSES
from pilots.models import Pilot
from pilots.services import plan_facts


@dataclass
class PilotRow:
    pilot: Pilot
    requirements: list[rules.Requirement]

    @property
    def unmet(self) -> list[rules.Requirement]:
        return rules.unmet(self.requirements)

    @property
    def unmet_text(self) -> str:
        return "、".join(r.text for r in self.unmet) or "—"

    @property
    def pending_text(self) -> str:
        return "、".join(r.text for r in self.requirements if r.met is None)


def pilots_for(user):
    return (
        Pilot.objects.visible_to(user)
        .select_related("project", "project__county", "builder", "acceptance")
        .prefetch_related("plans")
        .order_by("project__county__order", "project__county__code", "pilot_type", "project__code")
    )


def rows(pilots) -> list[PilotRow]:
    return [PilotRow(p, rules.requirements(plan_facts(p))) for p in pilots]


def counties_for(user):
    qs = Region.objects.filter(level=Region.Level.COUNTY).order_by("order", "code")
    if user is not None and getattr(user, "is_county_staff", False):
        qs = qs.filter(pk=user.region_id)
    return qs


def programme_for(user, pilots=None) -> rules.Programme:
    """The counties the user may see against their quotas; the city figure counts the user's scope (all for the city)."""
    pilots = pilots_for(user) if pilots is None else pilots
    facts = [rules.PilotFact(p.project.county_id, p.pilot_type, p.status in ESTABLISHED_STATUSES) for p in pilots]
    return rules.programme([(c.pk, c.name) for c in counties_for(user)], facts)
