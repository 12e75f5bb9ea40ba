"""Issue 28 part 4: the bulletin's item-score matrix and score trend and the annual report's weighted parts are
computed by assessment.ranking; the reports only assemble them. The equality check: on the demo data, the moved
functions give exactly what the reports computed themselves before the move (the old code is kept below as the
reference), and the reports' data is that output."""

from collections import defaultdict
from decimal import Decimal

import pytest

from assessment import counting
from assessment.choices import Status
from assessment.models import ItemScore, RubricItem
from assessment.ranking import (
    annual_parts,
    annual_scores,
    annual_weights,
    monthly_ranking,
    published_item_matrix,
    score_trend,
    status_grid,
)
from core.decimals import cut2
from reports.generators import get_generator

pytestmark = pytest.mark.django_db

MONTHS = [(2023, 6), (2023, 12), (2024, 1), (2024, 2)]


def old_item_matrix(year, month, ranked):
    """reports/generators/monthly.py collect() before the move, verbatim."""
    scores = ItemScore.objects.filter(
        submission__year=year, submission__month=month, submission__status=Status.PUBLISHED
    ).values("submission__county_id", "item__code", "score", "item__rubric_id")
    by_county = defaultdict(dict)
    rubric_ids = set()
    for row in scores:
        by_county[row["submission__county_id"]][row["item__code"]] = row["score"]
        rubric_ids.add(row["item__rubric_id"])
    items = list(
        RubricItem.objects.filter(rubric_id__in=rubric_ids)
        .order_by("order", "code")
        .values("code", "content", "max_points")
        if rubric_ids
        else []
    )
    seen, unique_items = set(), []
    for item in items:
        if item["code"] not in seen:
            seen.add(item["code"])
            unique_items.append(item)
    item_rows = [
        {
            "county_name": r.county_name,
            "rank": r.rank,
            "score": r.score,
            "late": r.is_late,
            "items": [by_county.get(r.county_id, {}).get(i["code"]) for i in unique_items],
        }
        for r in ranked
        if r.county_id in by_county
    ]
    return unique_items, item_rows


def old_trend(year, month, ranking):
    grid = status_grid(year, audience=counting.PUBLISHED)
    order = [r.county_name for r in ranking]
    by_name = {row["county_name"]: row["cells"][:month] for row in grid}
    trend = {name: [c["score"] if c["counted"] else None for c in by_name[name]] for name in order}
    trend_states = {name: [c["state"] for c in by_name[name]] for name in order}
    return trend, trend_states


def test_the_bulletin_shows_the_item_matrix_and_trend_that_assessment_computes_as_before(demo_data):
    compared = {}
    for year, month in MONTHS:
        ranking = monthly_ranking(year, month, audience=counting.PUBLISHED)
        ranked = [r for r in ranking if r.rank is not None]
        items, rows = published_item_matrix(year, month, ranked)
        assert (items, rows) == old_item_matrix(year, month, ranked), (year, month)
        compared[(year, month)] = len(rows)
        names = [r.county_name for r in ranking]
        assert score_trend(year, month, names, audience=counting.PUBLISHED) == old_trend(year, month, ranking)

        cls = get_generator("monthly_bulletin")
        data = cls(**cls.validate_params({"year": year, "month": month})).collect()
        assert (data["items"], data["item_rows"]) == (items, rows)
        assert data["trend"] == score_trend(year, month, names, audience=counting.PUBLISHED)[0]
    assert compared[(2023, 6)] and compared[(2023, 12)], compared  # the check compared real rows


def test_the_annual_report_shows_the_parts_assessment_computes_as_before(demo_data):
    target_weight, monthly_weight = annual_weights()
    for year in (2023, 2024):
        rows = annual_scores(year, audience=counting.PUBLISHED)
        assert rows
        for row in rows:  # the report's own computation before the move
            assert row.target_part == cut2(row.target_score * target_weight)
            assert row.monthly_part == cut2(row.monthly_average * monthly_weight)
        cls = get_generator("annual_report")
        data = cls(**cls.validate_params({"year": year})).collect()
        assert [(r.county_name, r.target_part, r.monthly_part) for r in data["scores"]] == [
            (r.county_name, r.target_part, r.monthly_part) for r in rows
        ]


def test_annual_parts_are_cut_not_rounded():
    assert annual_parts(Decimal("97.46"), Decimal("88.99"), (Decimal("0.8"), Decimal("0.2"))) == (
        Decimal("77.96"),
        Decimal("17.79"),
    )
