"""Dashboard panel: findings by county and severity, the overdue rectifications, the year's coverage per county
(inspections done vs planned, share of projects under construction inspected) and the results whose publication
(一公开) is overdue — a county's own plans included, so the city sees them (staff only)."""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone

from accounts import roles
from accounts.models import Region
from core.panel_cache import cached_panel
from inspections.models import Finding, Inspection, RectificationNotice, Severity
from inspections.services import coverage, overdue_publications


def _counties(user):
    counties = Region.objects.filter(level=Region.Level.COUNTY).order_by("order", "code")
    return counties if user.is_city_admin else counties.filter(pk=user.region_id)


@cached_panel(
    "inspections.Inspection",
    "inspections.InspectionPlan",
    "inspections.Finding",
    "inspections.RectificationNotice",
    "projects.Project",
)
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
    late = overdue_publications(Inspection.objects.visible_to(user), today)
    return {
        "coverage": coverage(today.year, _counties(user)),
        "late_publications": late[:8],
        "late_publication_count": len(late),
        "severities": Severity.choices,
        "rows": [(county, [values[s] for s in Severity.values]) for county, values in table.items()],
        "overdue": overdue,
        "overdue_count": RectificationNotice.objects.visible_to(user).overdue(today).count(),
        "today": today,
    }
