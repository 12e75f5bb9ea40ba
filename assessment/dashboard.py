"""驾驶舱 panels: the city's county × month grid, ranking chart, score trends and target progress;
a county's own months."""

from __future__ import annotations

from django.db.models import Max
from django.utils import timezone

from assessment import ranking
from assessment.models import SENT_STATUSES, Submission


def _latest_period(qs):
    latest = qs.filter(status__in=SENT_STATUSES).aggregate(year=Max("year"))["year"]
    year = latest or timezone.localdate().year
    month = qs.filter(year=year, status__in=SENT_STATUSES).aggregate(month=Max("month"))["month"] or 1
    return year, month


def city_panel(request):
    year, month = _latest_period(Submission.objects.all())
    grid = ranking.status_grid(year)
    rows = ranking.monthly_ranking(year, month)
    return {
        "year": year,
        "month": month,
        "grid": grid,
        "ranking": rows,
        "chart": {
            "ranking": {
                "names": [r.county_name for r in rows],
                "scores": [float(r.score or 0) for r in rows],
            },
            "trend": {
                "months": [f"{m}月" for m in range(1, month + 1)],
                "series": [
                    {
                        "name": row["county_name"],
                        "data": [float(c["score"]) if c["score"] is not None else None for c in row["cells"][:month]],
                    }
                    for row in grid
                ],
            },
        },
        "progress": ranking.target_progress(year),
    }


def county_panel(request):
    user = request.user
    if not user.region_id:
        return None
    year, _ = _latest_period(Submission.objects.filter(county_id=user.region_id))
    grid = [row for row in ranking.status_grid(year) if row["county_id"] == user.region_id]
    return {"year": year, "grid": grid}
