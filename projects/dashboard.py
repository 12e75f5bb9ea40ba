"""Dashboard panels of the projects app: the cultivation ratio per county and a project summary."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import Region
from core.panel_cache import cached_panel, top_and_bottom
from projects import services
from projects.choices import LIBRARY_STATUSES, ReportStatus
from projects.models import MonthlyReport, Participant, Project, ProjectMilestone


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


@cached_panel(
    "projects.Project", "projects.ProjectMilestone", "projects.GoalRule", "projects.MonthlyReport", "accounts.Region"
)
def programme_panel(request):
    """进度滞后 and 未达目标 counted per county (the city) or for the own county; cached per scope and day."""
    user = request.user
    if not (user.is_city_admin or (user.is_county_staff and user.region_id)):
        return None
    today = timezone.localdate()
    late = ProjectMilestone.objects.visible_to(user).open_late(today, services.milestone_delay_days())
    late_by_county = dict(late.values_list("project__county_id").annotate(n=Count("pk")).order_by())
    unmet = services.unmet_goals(Project.objects.visible_to(user).order_by())
    unmet_projects: dict[int, set[int]] = {}
    for row in unmet:
        unmet_projects.setdefault(row.county_id, set()).add(row.project_id)
    counties = Region.objects.filter(level=Region.Level.COUNTY).order_by("order", "code")
    if not user.is_city_admin:
        counties = counties.filter(pk=user.region_id)
    rows = [
        {
            "county_id": c.pk,
            "county_name": c.name,
            "late": late_by_county.get(c.pk, 0),
            "unmet": len(unmet_projects.get(c.pk, ())),
        }
        for c in counties
    ]
    return {
        "rows": rows,
        "late_total": sum(r["late"] for r in rows),
        "unmet_total": sum(r["unmet"] for r in rows),
        "grace_days": services.milestone_delay_days(),
    }
