"""Dashboard panels of the projects app: the cultivation ratio per county and a project summary."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import Region
from core.panel_cache import cached_panel, top_and_bottom
from projects import services
from projects.choices import LIBRARY_STATUSES, ReportStatus
from projects.models import MonthlyReport, Participant, Project


@cached_panel("projects.Project", "accounts.Region")
def cultivation_panel(request):
    user = request.user
    if user.is_city_admin:
        counties = Region.objects.filter(level=Region.Level.COUNTY).order_by("order", "code")
    elif user.is_county_staff and user.region_id:
        counties = Region.objects.filter(pk=user.region_id)
    else:
        return None
    years = list(
        Project.objects.visible_to(user)
        .filter(government_invested=True)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    default_year = years[0] if years else timezone.localdate().year  # = services.default_cultivation_year
    try:
        year = int(request.GET.get("cultivation_year") or default_year)
    except ValueError:
        year = default_year
    rows = services.cultivation_ratios(year, counties)
    minimum = services.cultivation_min_percent()
    below = [r for r in rows if r.below_minimum]
    omitted = 0
    if not request.GET.get("cultivation_all"):
        # Beyond 20 counties: the ten highest and the ten lowest ratios (a link shows every county).
        ranked = sorted(rows, key=lambda r: (r.percent is None, -(r.percent or 0)))
        shown, omitted = top_and_bottom(ranked)
        if omitted:
            rows = shown
    chart = {
        "counties": [r.county_name for r in rows],
        "percents": [float(r.percent) if r.percent is not None else None for r in rows],
        "minimum": float(minimum),
        # a fixed 0–100 % axis: percents are 0–100 (not 0–1), and an all-zero year must not shrink it to 0–1
        "axis": {"min": 0, "max": 100, "unit": "%"},
    }
    return {
        "year": year,
        "years": years or [year],
        "rows": rows,
        "minimum": minimum,
        "minimum_label": f"{minimum.normalize():f}",
        "below": below,
        "chart": chart,
        "omitted": omitted,
        "county_total": len(rows) + omitted,
    }


@cached_panel("projects.Project", "projects.MonthlyReport", "projects.Participant")
def projects_panel(request):
    user = request.user
    if user.is_expert:
        return None
    # Two aggregates instead of four counts.
    ctx = Project.objects.visible_to(user).aggregate(
        project_count=Count("pk"), library_count=Count("pk", filter=Q(jingpin_status__in=LIBRARY_STATUSES))
    )
    ctx |= MonthlyReport.objects.visible_to(user).aggregate(
        submitted_count=Count("pk", filter=Q(status=ReportStatus.SUBMITTED)),
        returned_count=Count("pk", filter=Q(status=ReportStatus.RETURNED)),
    )
    ctx["insurance_problem_count"] = Participant.objects.visible_to(user).insurance_problems().count()
    return ctx
