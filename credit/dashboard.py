"""Dashboard panel of the credit record (the bureau's staff): the grade distribution, the bad entries of this month
(认定日期 in the month: the count and the latest five) and the appeals waiting for a decision.

The city sees every enterprise; a county's staff the enterprises active in their county
(``Enterprise.objects.active_in_county``), the bad entries of their county and the appeals they decide. An
enterprise without any entry has no standing: it has the rule's base score and is counted in the base grade (B by
the default rule), which the panel says.
"""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone

from accounts.models import Enterprise
from core.panel_cache import cached_panel
from credit import lists
from credit.choices import Grade
from credit.models import CreditAppeal, CreditEntry, CreditStanding
from credit.services import base_standing

LATEST = 5


@cached_panel(
    "credit.CreditStanding",
    "credit.CreditEntry",
    "credit.CreditAppeal",
    "accounts.Enterprise",
    "projects.Participant",
)
def credit_panel(request):
    user = request.user
    if user.is_city_admin:
        enterprises = Enterprise.objects.all()
        standings = CreditStanding.objects.all()
        entries = CreditEntry.objects.all()
    elif user.is_county_staff and user.region_id:
        enterprises = Enterprise.objects.active_in_county(user.region_id)
        standings = lists.in_county(CreditStanding.objects.all(), user.region_id)
        entries = CreditEntry.objects.filter(county_id=user.region_id)
    else:
        return None
    counts = dict(standings.order_by().values_list("grade").annotate(n=Count("pk")))
    with_standing = sum(counts.values())
    without = max(enterprises.count() - with_standing, 0)
    base = base_standing()
    grades = []
    for grade in Grade:
        n = counts.get(grade.value, 0) + (without if grade.value == base.grade else 0)
        grades.append({"grade": grade.value, "label": grade.label, "count": n})
    total = sum(g["count"] for g in grades)
    for g in grades:
        g["percent"] = round(g["count"] * 100 / total) if total else 0
    today = timezone.localdate()
    new_bad = entries.bad().filter(occurred_on__gte=today.replace(day=1), occurred_on__lte=today, withdrawn_on=None)
    return {
        "grades": grades,
        "total": total,
        "without_standing": without,
        "base": base,
        "new_bad_count": new_bad.count(),
        "new_bad": list(new_bad.select_related("enterprise").order_by("-occurred_on", "-pk")[:LATEST]),
        "pending_appeals": CreditAppeal.objects.visible_to(user).pending().count(),
        "county_scope": not user.is_city_admin,
    }
