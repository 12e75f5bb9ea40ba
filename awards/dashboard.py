"""Dashboard panel: the top of the points ledger (a unit user: its own rank and points)."""

from __future__ import annotations

from django.db.models import Sum

from accounts.models import Enterprise
from awards.models import AwardRecord
from awards.querysets import EnterpriseLedger
from core.panel_cache import cached_panel


@cached_panel("awards.AwardRecord", "awards.Award", "awards.AwardValue", "accounts.Enterprise")
def ledger_panel(request):
    user = request.user
    ledger = EnterpriseLedger()
    if user.is_unit_user:
        if not user.enterprise_id:
            return None
        rows = list(ledger.ranked(restrict_to=Enterprise.objects.filter(pk=user.enterprise_id)))
    elif user.is_city_admin or user.is_county_staff:
        rows = list(ledger.ranked().filter(window_points__gt=0)[:5])
    else:
        return None
    records = AwardRecord.objects.visible_to(user)
    this_year = records.filter(year=ledger.reference_year).aggregate(n=Sum("points"))["n"]
    return {
        "ledger": ledger,
        "rows": rows,
        "own": user.is_unit_user,
        "record_count": records.count(),
        "points_this_year": this_year or 0,
    }
