"""Set-based reads for the ranking, the annual score (with its weighted parts), the status grid, the score trend,
the month's item-score matrix and target progress.

Each function runs a constant number of queries whatever the number of counties, so the bulletin,
the annual report and the dashboard can call them for 120 counties × 5 years. Typical use::

    from assessment.ranking import monthly_ranking, annual_scores
    rows = monthly_ranking(2023, 6)            # [RankingRow(county_name="高平市", score=Decimal("74.53"), rank=1, …)]
    annual = annual_scores(2023)               # [AnnualRow(county_name=…, score=…, grade="良好", …)]
    items, rows = published_item_matrix(2023, 6, rows)   # the rubric items and each county's score on each
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.utils import timezone

from accounts.models import Region
from assessment import counting, scoring
from assessment.choices import SENT_STATUSES, Status
from assessment.deadlines import deadline, deadline_passed
from assessment.models import Adjustment, AnnualTarget, DeadlineException, ItemScore, RubricItem, Submission

ZERO = Decimal("0.00")
MonthState = counting.MonthState


def counties():
    return Region.objects.filter(level=Region.Level.COUNTY).order_by("order", "code")


def audience_for(user) -> str:
    """The city sees what it has reviewed (已审核 + 已发布); everyone else only what is published."""
    return counting.INTERNAL if getattr(user, "is_city_admin", False) else counting.PUBLISHED


def _audience(published_only: bool, audience: str | None) -> str:
    return audience or (counting.PUBLISHED if published_only else counting.INTERNAL)


class _Due:
    """Per county and month: has the regular deadline passed (``due``), and does a dated exception still run
    (``extended``: nothing sent is not yet 未报送)? 1 query."""

    def __init__(self, year: int, as_of: dt.datetime | None):
        self.now = as_of or timezone.now()
        self.regular = [self.now > deadline(year, m) for m in range(1, 13)]
        self.exceptions = {
            (e["county_id"], e["month"]): e["new_deadline"]
            for e in DeadlineException.objects.filter(year=year).values("county_id", "month", "new_deadline")
        }

    def __call__(self, county_id: int, month: int) -> dict:
        until = self.exceptions.get((county_id, month))
        return {"due": self.regular[month - 1], "extended": until is not None and self.now <= until}


@dataclass
class RankingRow:
    county_id: int
    county_name: str
    submission_id: int | None
    status: str  # Submission.status or "" when nothing was sent
    state: str  # counting.MonthState
    state_label: str
    score: Decimal | None  # the score the month counts with; None = not counted (state only)
    items_total: Decimal | None
    adjustments_total: Decimal
    adjustments: list[tuple[Decimal, str]] = field(default_factory=list)
    rank: int | None = None
    previous_rank: int | None = None
    rank_change: int | None = None  # positive = moved up
    is_late: bool = False
    is_missing: bool = False
    late_reason: str = ""  # what the state means for the score (逾期/未报送/待审核/已退回 …)
    counted: bool = False

    @property
    def rank_change_label(self) -> str:
        if self.rank_change is None:
            return "—"
        if self.rank_change > 0:
            return f"↑{self.rank_change}"
        if self.rank_change < 0:
            return f"↓{-self.rank_change}"
        return "持平"


SUB_FIELDS = (
    "id",
    "county_id",
    "month",
    "status",
    "score",
    "items_total",
    "adjustments_total",
    "is_late",
    "late_reason",
)


def _ranks(counts: dict[int, counting.MonthCount]) -> dict[int, int | None]:
    """Competition ranks of the counted months; nobody is ranked while no month has a reviewed result yet
    (a month of nothing but 0s for late/missing is not a ranking)."""
    if not any(c.reviewed for c in counts.values()):
        return dict.fromkeys(counts)
    ids = list(counts)
    return dict(zip(ids, scores_ranks([counts[i].score for i in ids]), strict=True))


def scores_ranks(values):
    return scoring.competition_ranks(values)


def monthly_ranking(
    year: int,
    month: int,
    *,
    published_only: bool = False,
    audience: str | None = None,
    as_of: dt.datetime | None = None,
) -> list[RankingRow]:
    """The month's ranking of every county by the one counting rule (assessment.counting): ties share a rank,
    rank change vs the previous month; late and missing count 0 and say so; 待审核/已退回/待发布 rows carry their
    state and no score or rank. ``published_only`` (or ``audience=counting.PUBLISHED``) is what county staff and
    the bulletin see. 4 queries."""
    audience = _audience(published_only, audience)
    region_rows = list(counties().values("id", "name"))
    months = [month] + ([month - 1] if month > 1 else [])
    subs = defaultdict(dict)
    for sub in Submission.objects.filter(year=year, month__in=months).values(*SUB_FIELDS):
        subs[sub["month"]][sub["county_id"]] = sub
    adjustments = defaultdict(list)
    for adj in (
        Adjustment.objects.filter(submission__year=year, submission__month=month)
        .order_by("created_at")
        .values("submission__county_id", "points", "reason")
    ):
        adjustments[adj["submission__county_id"]].append((adj["points"], adj["reason"]))
    due = _Due(year, as_of)

    def counts_of(m):
        return {
            r["id"]: counting.month_count(m, subs[m].get(r["id"]), audience=audience, **due(r["id"], m))
            for r in region_rows
        }

    current = counts_of(month)
    ranks = _ranks(current)
    previous_ranks = _ranks(counts_of(month - 1)) if month > 1 else {}
    rows = []
    for region in region_rows:
        sub = subs[month].get(region["id"])
        count = current[region["id"]]
        rank, prev = ranks[region["id"]], previous_ranks.get(region["id"])
        late_reason = count.note
        if count.state == MonthState.LATE and sub and sub["late_reason"]:
            late_reason = f"逾期报送，当月0分（{sub['late_reason']}）"
        rows.append(
            RankingRow(
                county_id=region["id"],
                county_name=region["name"],
                submission_id=sub["id"] if sub else None,
                status=sub["status"] if sub else "",
                state=count.state,
                state_label=count.label,
                score=count.score,
                items_total=sub["items_total"] if count.counted and sub and sub["status"] in SENT_STATUSES else None,
                adjustments_total=sub["adjustments_total"] if count.counted and sub else ZERO,
                adjustments=adjustments.get(region["id"], []) if count.counted else [],
                rank=rank,
                previous_rank=prev,
                rank_change=(prev - rank) if rank is not None and prev is not None else None,
                is_late=count.state == MonthState.LATE,
                is_missing=count.state == MonthState.MISSING,
                late_reason=late_reason,
                counted=count.counted,
            )
        )
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.county_name))
    return rows


@dataclass
class AnnualRow:
    county_id: int
    county_name: str
    target_score: Decimal
    target_score_source: str
    monthly_scores: list[Decimal | None]  # 12 entries; None = month not counted (see month_states)
    month_states: list[str]
    months_counted: int
    monthly_average: Decimal
    score: Decimal
    grade: str
    explanation: str
    rank: int | None = None
    provisional: bool = False  # 暂定: the year is not over or a due month is not yet counted
    pending: str = ""  # the due months left out, named by state ("10月待审核、9月已退回")
    month_labels: list[str] = field(default_factory=list)
    target_part: Decimal = ZERO  # target_score × its weight, cut to 2 places (annual_parts)
    monthly_part: Decimal = ZERO  # monthly_average × its weight, cut to 2 places

    @property
    def status_note(self) -> str:
        if not self.provisional:
            return "最终"
        return "暂定" + (f"（未计入：{self.pending}）" if self.pending else "")


def annual_weights() -> tuple[Decimal, Decimal]:
    cfg = settings.JINGPIN
    return Decimal(str(cfg["ANNUAL_TARGET_WEIGHT"])), Decimal(str(cfg["ANNUAL_MONTHLY_WEIGHT"]))


def annual_parts(
    target_score: Decimal, monthly_average: Decimal, weights: tuple[Decimal, Decimal]
) -> tuple[Decimal, Decimal]:
    """The annual score's two weighted parts as shown beside it: (全年目标任务得分 × target weight,
    月度平均分 × monthly weight), each cut to two places like the score itself (77.9680 → 77.96)."""
    target_weight, monthly_weight = weights
    return scoring.cut2(target_score * target_weight), scoring.cut2(monthly_average * monthly_weight)


def annual_scores(
    year: int,
    *,
    as_of: dt.datetime | None = None,
    published_only: bool = False,
    audience: str | None = None,
) -> list[AnnualRow]:
    """Annual score per county = 全年目标任务得分 × 80 % + 月度平均分 × 20 % (weights from settings), by the one
    counting rule (assessment.counting): the average runs over the months that count (reviewed months with their
    score, late and missing months with 0); due months still 待审核/已退回/待发布 are left out and named, and the
    score is 暂定 until the year is over and every month counts. 4 queries."""
    audience = _audience(published_only, audience)
    region_rows = list(counties().values("id", "name"))
    by_county = defaultdict(dict)
    for sub in Submission.objects.filter(year=year).values(*SUB_FIELDS):
        by_county[sub["county_id"]][sub["month"]] = sub
    overrides = dict(
        AnnualTarget.objects.filter(year=year, final_target_score__isnull=False).values_list(
            "county_id", "final_target_score"
        )
    )
    target_weight, monthly_weight = annual_weights()
    due = _Due(year, as_of)
    rows = []
    for region in region_rows:
        subs = by_county[region["id"]]
        months = [counting.month_count(m, subs.get(m), audience=audience, **due(region["id"], m)) for m in range(1, 13)]
        counted = [c.score for c in months if c.counted]
        target = counting.target_score(
            months,
            {m: s["items_total"] for m, s in subs.items()},
            overrides.get(region["id"]),
            audience=audience,
        )
        result = scoring.annual_score(
            target.score, counted, target_weight=target_weight, monthly_weight=monthly_weight, months=len(counted)
        )
        pending = counting.pending_note(months)
        target_part, monthly_part = annual_parts(
            result.target_score, result.monthly_average, (target_weight, monthly_weight)
        )
        rows.append(
            AnnualRow(
                county_id=region["id"],
                county_name=region["name"],
                target_score=result.target_score,
                target_score_source=target.source,
                monthly_scores=[c.score for c in months],
                month_states=[c.state for c in months],
                months_counted=result.months_counted,
                monthly_average=result.monthly_average,
                score=result.score,
                grade=result.grade,
                explanation=result.explanation,
                provisional=not all(c.counted for c in months),
                pending=pending,
                month_labels=[c.label for c in months],
                target_part=target_part,
                monthly_part=monthly_part,
            )
        )
    ranks = scoring.competition_ranks([r.score for r in rows])
    for row, rank in zip(rows, ranks, strict=True):
        row.rank = rank
    rows.sort(key=lambda r: (r.rank, r.county_name))
    return rows


def status_grid(
    year: int, *, as_of: dt.datetime | None = None, published_only: bool = False, audience: str | None = None
) -> list[dict]:
    """County × month: state and the score the month counts with (None = not counted). 3 queries."""
    audience = _audience(published_only, audience)
    region_rows = list(counties().values("id", "name"))
    by_county = defaultdict(dict)
    for sub in Submission.objects.filter(year=year).values(*SUB_FIELDS):
        by_county[sub["county_id"]][sub["month"]] = sub
    due = _Due(year, as_of)
    grid = []
    for region in region_rows:
        cells = []
        for m in range(1, 13):
            sub = by_county[region["id"]].get(m)
            count = counting.month_count(m, sub, audience=audience, **due(region["id"], m))
            cells.append(
                {
                    "month": m,
                    "state": count.state,
                    "label": count.label,
                    "note": count.note,
                    "score": count.score,
                    "counted": count.counted,
                    "due": count.due,
                    "submission_id": sub["id"] if sub else None,
                }
            )
        grid.append({"county_id": region["id"], "county_name": region["name"], "cells": cells})
    return grid


def score_trend(
    year: int, month: int, county_names: list[str], *, as_of: dt.datetime | None = None, audience: str | None = None
) -> tuple[dict[str, list[Decimal | None]], dict[str, list[str]]]:
    """Each county's months January..``month`` by the one counting rule, in the order of ``county_names``:
    ({county name: [the score the month counts with, None = not counted]}, {county name: [its state]}). Late and
    missing months count 0 (and keep their state); a month not counted is a gap. 3 queries."""
    grid = status_grid(year, as_of=as_of, audience=audience)
    by_name = {row["county_name"]: row["cells"][:month] for row in grid}
    scores = {name: [c["score"] if c["counted"] else None for c in by_name[name]] for name in county_names}
    states = {name: [c["state"] for c in by_name[name]] for name in county_names}
    return scores, states


def published_item_matrix(year: int, month: int, ranked: list[RankingRow]) -> tuple[list[dict], list[dict]]:
    """The month's score on every rubric item per county, from the PUBLISHED submissions only. 2 queries.

    Returns (items, rows): ``items`` the rubric items in rubric order, one per code (``{"code", "content",
    "max_points"}``); ``rows`` one per county of ``ranked`` (in that order) with published item scores:
    ``{"county_name", "rank", "score", "late", "items": [the score on each item of ``items``, None = none]}``.
    """
    scores = ItemScore.objects.filter(
        submission__year=year, submission__month=month, submission__status=Status.PUBLISHED
    ).values("submission__county_id", "item__code", "score", "item__rubric_id")
    by_county: dict[int, dict[str, Decimal]] = defaultdict(dict)
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
    rows = [
        {
            "county_name": r.county_name,
            "rank": r.rank,
            "score": r.score,
            "late": r.is_late,
            "items": [by_county[r.county_id].get(i["code"]) for i in unique_items],
        }
        for r in ranked
        if r.county_id in by_county
    ]
    return unique_items, rows


def latest_counted_month(year: int, *, as_of: dt.datetime | None = None, audience: str = counting.INTERNAL) -> int:
    """The latest due month with at least one reviewed result (else the latest due month, else 1): what the
    dashboard ranks, so a county opening a new month never collapses the ranking to zeros. 1 query."""
    statuses = ("approved", "published") if audience == counting.INTERNAL else ("published",)
    reviewed = set(
        Submission.objects.filter(year=year, status__in=statuses, is_late=False).values_list("month", flat=True)
    )
    due = [m for m in range(1, 13) if deadline_passed(year, m, as_of)]
    with_results = [m for m in due if m in reviewed]
    return max(with_results or due or [1])


def target_progress(year: int) -> list[dict]:
    """Latest cumulative figures sent per county against its annual targets. 3 queries."""
    latest = {}
    sent = Submission.objects.filter(year=year, status__in=SENT_STATUSES)
    if connection.vendor == "postgresql":  # one row per county (DISTINCT ON), not every month of every county
        sent = sent.order_by("county_id", "-month").distinct("county_id")
    else:
        sent = sent.order_by("county_id", "month")  # the last row of each county wins below
    for sub in sent.values("county_id", "month", *Submission.FIGURE_FIELDS):
        latest[sub["county_id"]] = sub
    targets = {t.county_id: t for t in AnnualTarget.objects.filter(year=year).select_related("county__parent__parent")}
    rows = []
    for region in counties().select_related("parent__parent"):
        sub, target = latest.get(region.pk), targets.get(region.pk)
        prefab_target = target.effective_prefab_ratio() if target else region.effective_prefab_target()

        def pct(part, whole):
            if part is None or not whole:
                return None
            return scoring.cut2(part * 100 / whole)

        new_area = sub["new_building_area"] if sub else None
        rows.append(
            {
                "county_name": region.name,
                "month": sub["month"] if sub else None,
                "residential": (sub["retrofit_residential_area"] if sub else None),
                "residential_target": target.retrofit_residential_area if target else None,
                "residential_pct": pct(
                    sub and sub["retrofit_residential_area"], target and target.retrofit_residential_area
                ),
                "public": (sub["retrofit_public_area"] if sub else None),
                "public_target": target.retrofit_public_area if target else None,
                "public_pct": pct(sub and sub["retrofit_public_area"], target and target.retrofit_public_area),
                "green_ratio": pct(sub and sub["green_area_accepted"], new_area),
                "green_target": target.green_ratio if target else None,
                "prefab_ratio": pct(sub and sub["prefab_area"], new_area),
                "prefab_target": prefab_target,
            }
        )
    return rows
