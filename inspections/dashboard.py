"""Dashboard panel: findings by county and severity, and the overdue rectifications (staff only)."""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone

from accounts import roles
from core.panel_cache import cached_panel
from inspections.models import Finding, RectificationNotice, Severity


@cached_panel("inspections.Inspection", "inspections.Finding", "inspections.RectificationNotice")
def inspections_panel(request):
    user = request.user
    if not roles.has_role(user, roles.MANAGERS):
        return None
    today = timezone.localdate()
    findings = Finding.objects.visible_to(user)
    counts = findings.values("inspection__project__county__name", "inspection__project__county__order", "severity")
    counts = counts.annotate(n=Count("pk")).order_by("inspection__project__county__order")
    table: dict[str, dict[str, int]] = {}
    for row in counts:
        county = row["inspection__project__county__name"]
        table.setdefault(county, {s: 0 for s in Severity.values})[row["severity"]] = row["n"]
    overdue = list(
        RectificationNotice.objects.visible_to(user)
        .overdue(today)
        .select_related("finding__inspection__project__county", "finding__participant__enterprise")
        .order_by("deadline")[:8]
    )
    return {
        "severities": Severity.choices,
        "rows": [(county, [values[s] for s in Severity.values]) for county, values in table.items()],
        "overdue": overdue,
        "overdue_count": RectificationNotice.objects.visible_to(user).overdue(today).count(),
        "today": today,
    }
