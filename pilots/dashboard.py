"""Dashboard panel of the pilots app: the programme against its quotas (seed 003 二(二)1, 四(一)) and the periodic
checks awaited (五(四) 定期检查). Cached per scope and day; recomputed when a pilot, a check, a project (its
county) or a county changes."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.models import Region
from core.panel_cache import cached_panel
from pilots import programme as rules
from pilots.choices import ESTABLISHED_STATUSES, PilotStatus
from pilots.models import Pilot, PilotCheck

SHOWN = 20  # pilots awaiting a check listed on the panel (the count names them all)
UNDER_WAY = (PilotStatus.APPROVED, PilotStatus.IMPLEMENTING, PilotStatus.ACCEPTANCE)


def quarter_start(today: dt.date) -> dt.date:
    """定期检查 once a quarter: a pilot under way not checked since the quarter began awaits its check."""
    return dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)


@cached_panel("pilots.Pilot", "pilots.PilotCheck", "projects.Project", "accounts.Region")
def pilots_panel(request):
    """City: established pilots against the ≥ 10 and the counties short of a quota; county: its own quota and the
    pilots awaiting its check this quarter. Three queries (four beyond 20 awaiting), whatever the number of pilots or counties."""
    user = request.user
    if not (user.is_city_admin or (user.is_county_staff and user.region_id)):
        return None
    pilots = Pilot.objects.visible_to(user).order_by()
    facts = [
        rules.PilotFact(county_id, pilot_type, status in ESTABLISHED_STATUSES)
        for county_id, pilot_type, status in pilots.values_list("project__county_id", "pilot_type", "status")
    ]
    counties = Region.objects.filter(level=Region.Level.COUNTY).order_by("order", "code")
    if not user.is_city_admin:
        counties = counties.filter(pk=user.region_id)
    plan = rules.programme(counties.values_list("pk", "name"), facts)
    since = quarter_start(timezone.localdate())
    checked = PilotCheck.objects.filter(pilot=OuterRef("pk"), checked_on__gte=since)
    unchecked = pilots.filter(status__in=UNDER_WAY).exclude(Exists(checked))
    awaiting = list(unchecked.order_by("project__code").values("pk", "project__name", "project__county__name")[:SHOWN])
    return {
        "is_city": user.is_city_admin,
        "established": plan.established,
        "applying": plan.applying,
        "minimum": rules.CITY_MINIMUM,
        "city_met": plan.city_met,
        "counties_unmet": plan.counties_unmet,
        "county": plan.counties[0] if plan.counties and not user.is_city_admin else None,
        "awaiting_check": awaiting,
        "awaiting_count": len(awaiting) if len(awaiting) < SHOWN else unchecked.count(),
        "since": since,
    }
