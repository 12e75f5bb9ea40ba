"""Dashboard panels of the projects app: the cultivation ratio per county and a project summary."""

from __future__ import annotations

from accounts.models import Region
from projects import services
from projects.models import MonthlyReport, Participant, Project, ReportStatus


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
    try:
        year = int(request.GET.get("cultivation_year") or services.default_cultivation_year(user))
    except ValueError:
        year = services.default_cultivation_year(user)
    rows = services.cultivation_ratios(year, counties)
    minimum = services.cultivation_min_percent()
    chart = {
        "counties": [r.county_name for r in rows],
        "percents": [float(r.percent) if r.percent is not None else None for r in rows],
        "minimum": float(minimum),
    }
    return {
        "year": year,
        "years": years or [year],
        "rows": rows,
        "minimum": minimum,
        "minimum_label": f"{minimum.normalize():f}",
        "below": [r for r in rows if r.below_minimum],
        "chart": chart,
    }


def projects_panel(request):
    user = request.user
    if user.is_expert:
        return None
    projects = Project.objects.visible_to(user)
    reports = MonthlyReport.objects.visible_to(user)
    ctx = {
        "project_count": projects.count(),
        "library_count": projects.in_library().count(),
        "submitted_count": reports.filter(status=ReportStatus.SUBMITTED).count(),
        "returned_count": reports.filter(status=ReportStatus.RETURNED).count(),
    }
    ctx["insurance_problem_count"] = Participant.objects.visible_to(user).insurance_problems().count()
    return ctx
