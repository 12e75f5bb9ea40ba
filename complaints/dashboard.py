"""The 驾驶舱 panel of the complaints ledger: open, overdue, per county (the city) and this year's closures, the
按期受理率 / 按期办结率 (the city: per county; a county: its own), and for the city the years whose holidays the
calendar does not know yet (from 1 December for the coming year)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from complaints import analysis, services
from complaints.choices import Status
from complaints.models import Complaint
from complaints.querysets import open_q, overdue_q
from core.panel_cache import cached_panel


def complaints_panel(request):
    user = request.user
    if not (user.is_city_admin or user.is_county_staff):
        return None
    ctx = dict(_scope_figures(request))
    # the handler's own open complaints: per user, so outside the per-scope cache
    ctx["mine"] = (
        Complaint.objects.visible_to(user).open().filter(handler=user).count() if user.is_county_staff else None
    )
    return ctx


@cached_panel("complaints.Complaint", "complaints.CalendarDay")
def _scope_figures(request):
    user = request.user
    today = timezone.localdate()
    qs = Complaint.objects.visible_to(user)
    year_qs = qs.filter(received_at__year=today.year)
    this_year = Q(received_at__year=today.year)
    figures = qs.aggregate(  # one query for the five counts
        pending=Count("pk", filter=Q(status=Status.PENDING)),
        open=Count("pk", filter=open_q()),
        overdue=Count("pk", filter=overdue_q(today)),
        received_year=Count("pk", filter=this_year),
        closed_year=Count("pk", filter=this_year & Q(status=Status.CLOSED)),
    )
    counties = None if user.is_city_admin else ([user.region] if user.region_id else [])
    return {
        "year": today.year,
        **figures,
        "timeliness": analysis.timeliness_by_county(qs, today.year, today, counties=counties),
        "uncovered_years": [
            services.uncovered_year_message(y) for y in services.uncovered_years(today) if user.is_city_admin
        ],
        "by_county": analysis.by_county(year_qs, today) if user.is_city_admin else [],
        "by_channel": [row for row in analysis.by_channel(year_qs) if row[1]],
        "common_issues": analysis.by_subcategory(year_qs)[:3],  # 共性问题
    }
