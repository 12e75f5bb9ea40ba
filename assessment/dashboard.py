"""驾驶舱 panels: the city's county × month grid, ranking chart, score trends and target progress;
a county's own months. Every score shown follows the one counting rule (assessment.counting)."""

from __future__ import annotations

from django.db.models import Max
from django.utils import timezone

from assessment import counting, ranking
from assessment.choices import SENT_STATUSES
from assessment.models import Submission
from core.panel_cache import cached_panel, top_and_bottom

# What the city's panel reads: any change to one of these drops its cached copy.
ASSESSMENT_MODELS = (
    "assessment.Submission",
    "assessment.ItemScore",
    "assessment.Adjustment",
    "assessment.AnnualTarget",
    "assessment.DeadlineException",
    "assessment.Rubric",
    "assessment.RubricItem",
    "accounts.Region",
)


def _year(qs) -> int:
    """The current year, unless nothing has been sent in it yet (then the latest year with data)."""
    today = timezone.localdate()
    if qs.filter(year=today.year, status__in=SENT_STATUSES).exists():
        return today.year
    return qs.filter(status__in=SENT_STATUSES).aggregate(year=Max("year"))["year"] or today.year


def trend_series(grid: list[dict], months: int) -> list[dict]:
    """Per county the score of each due month up to ``months``: counted scores as numbers, the state beside
    each (late and missing are 0 but marked as such; months not counted are gaps, months not due not plotted)."""
    return [
        {
            "name": row["county_name"],
            "data": [float(c["score"]) if c["counted"] else None for c in row["cells"][:months]],
            "states": [c["state"] for c in row["cells"][:months]],
            "labels": [c["label"] for c in row["cells"][:months]],
        }
        for row in grid
    ]


@cached_panel(*ASSESSMENT_MODELS)
def city_panel(request):
    year = _year(Submission.objects.all())
    month = ranking.latest_counted_month(year)
    grid = ranking.status_grid(year)
    rows = ranking.monthly_ranking(year, month)
    ranked = [r for r in rows if r.rank is not None]
    progress = ranking.target_progress(year)
    # Beyond 20 counties the panel shows the top and bottom ten of the ranking; the ranking page has them all.
    shown, omitted = top_and_bottom(ranked)
    if omitted:
        ranked = shown
        ids = [r.county_id for r in shown]
        by_id = {row["county_id"]: row for row in grid}
        grid = [by_id[i] for i in ids if i in by_id]
        names = {r.county_name for r in shown}
        progress = [row for row in progress if row["county_name"] in names]
    due_months = max((c["month"] for row in grid for c in row["cells"] if c["due"]), default=0)
    return {
        "year": year,
        "month": month,
        "grid": grid,
        "ranking": rows,
        "ranked": ranked,
        "chart": {
            "ranking": {
                "names": [r.county_name for r in ranked],
                "scores": [float(r.score) for r in ranked],
                "states": [r.state for r in ranked],
                "labels": [r.state_label for r in ranked],
            },
            "trend": {
                "months": [f"{m}月" for m in range(1, due_months + 1)],
                "series": trend_series(grid, due_months),
            },
            "state_labels": counting.MonthState.LABELS,
        },
        "progress": progress,
        "omitted": omitted,
        "county_total": len(rows),
    }


@cached_panel(*ASSESSMENT_MODELS)
def county_panel(request):
    user = request.user
    if not user.region_id:
        return None
    year = _year(Submission.objects.filter(county_id=user.region_id))
    grid = ranking.status_grid(year, audience=counting.PUBLISHED)
    return {"year": year, "grid": [row for row in grid if row["county_id"] == user.region_id]}
