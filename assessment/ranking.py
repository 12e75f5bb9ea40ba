"""Set-based reads for the ranking, the annual score, the status grid and target progress.

Each function runs a constant number of queries whatever the number of counties, so the bulletin,
the annual report and the dashboard can call them for 120 counties × 5 years. Typical use::

    from assessment.ranking import monthly_ranking, annual_scores
    rows = monthly_ranking(2023, 6)            # [RankingRow(county_name="高平市", score=Decimal("74.53"), rank=1, …)]
    annual = annual_scores(2023)               # [AnnualRow(county_name=…, score=…, grade="良好", …)]
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from accounts.models import Region
from assessment import scoring
from assessment.models import SENT_STATUSES, Adjustment, AnnualTarget, Status, Submission
from assessment.services import deadline

ZERO = Decimal("0.00")


class MonthState:
    APPROVED = "approved"
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"
    PENDING = "pending"
    LABELS = {
        "approved": "已审核",
        "published": "已发布",
        "on_time": "按时报送",
        "late": "逾期报送",
        "missing": "未报送",
        "pending": "未到期",
    }


def counties():
    return Region.objects.filter(level=Region.Level.COUNTY).order_by("order", "code")


def _state(sub: dict | None, passed: bool) -> str:
    if sub is None or sub["status"] not in SENT_STATUSES:
        return MonthState.MISSING if passed else MonthState.PENDING
    if sub["is_late"]:
        return MonthState.LATE
    if sub["status"] in (Status.APPROVED, Status.PUBLISHED):
        return "published" if sub["status"] == Status.PUBLISHED else MonthState.APPROVED
    return MonthState.ON_TIME


def _month_score(sub: dict | None, passed: bool, published_only: bool) -> Decimal | None:
    """The score a month counts with: sent → its score (late → 0); missing after the deadline → 0."""
    if sub is None or sub["status"] not in SENT_STATUSES:
        return ZERO if passed else None
    if published_only and sub["status"] != Status.PUBLISHED:
        return None
    return sub["score"]


def deadline_passed(year: int, month: int, as_of: dt.datetime | None = None) -> bool:
    return (as_of or timezone.now()) > deadline(year, month)


@dataclass
class RankingRow:
    county_id: int
    county_name: str
    submission_id: int | None
    status: str  # Submission.status or "" when nothing was sent
    state: str  # MonthState
    state_label: str
    score: Decimal | None
    items_total: Decimal | None
    adjustments_total: Decimal
    adjustments: list[tuple[Decimal, str]] = field(default_factory=list)
    rank: int | None = None
    previous_rank: int | None = None
    rank_change: int | None = None  # positive = moved up
    is_late: bool = False
    is_missing: bool = False
    late_reason: str = ""

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


def _ranks(scores: dict[int, Decimal | None]) -> dict[int, int | None]:
    ids = list(scores)
    return dict(zip(ids, scores_ranks([scores[i] for i in ids]), strict=True))


def scores_ranks(values):
    return scoring.competition_ranks(values)


def monthly_ranking(
    year: int, month: int, *, published_only: bool = False, as_of: dt.datetime | None = None
) -> list[RankingRow]:
    """The month's ranking of every county: ties share a rank, rank change vs the previous month,
    late (逾期, 0 points) and missing (未报送, 0 points once the deadline passed) marked.
    ``published_only`` hides scores not yet published (what a county may see). 3 queries."""
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
    passed = deadline_passed(year, month, as_of)
    current = {r["id"]: _month_score(subs[month].get(r["id"]), passed, published_only) for r in region_rows}
    ranks = _ranks(current)
    previous_ranks = {}
    if month > 1:
        prev_passed = deadline_passed(year, month - 1, as_of)
        previous = {
            r["id"]: _month_score(subs[month - 1].get(r["id"]), prev_passed, published_only) for r in region_rows
        }
        previous_ranks = _ranks(previous)
    rows = []
    for region in region_rows:
        sub = subs[month].get(region["id"])
        state = _state(sub, passed)
        rank, prev = ranks[region["id"]], previous_ranks.get(region["id"])
        sent = sub is not None and sub["status"] in SENT_STATUSES
        rows.append(
            RankingRow(
                county_id=region["id"],
                county_name=region["name"],
                submission_id=sub["id"] if sub else None,
                status=sub["status"] if sub else "",
                state=state,
                state_label=MonthState.LABELS[state],
                score=current[region["id"]],
                items_total=sub["items_total"] if sent else None,
                adjustments_total=sub["adjustments_total"] if sent else ZERO,
                adjustments=adjustments.get(region["id"], []),
                rank=rank,
                previous_rank=prev,
                rank_change=(prev - rank) if rank is not None and prev is not None else None,
                is_late=state == MonthState.LATE,
                is_missing=state == MonthState.MISSING,
                late_reason=(
                    sub["late_reason"]
                    if sub and sub["is_late"]
                    else ("当月未报送，得0分" if state == "missing" else "")
                ),
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
    monthly_scores: list[Decimal | None]  # 12 entries; None = month not yet counted
    month_states: list[str]
    months_counted: int
    monthly_average: Decimal
    score: Decimal
    grade: str
    explanation: str
    rank: int | None = None


def annual_weights() -> tuple[Decimal, Decimal]:
    cfg = settings.JINGPIN
    return Decimal(str(cfg["ANNUAL_TARGET_WEIGHT"])), Decimal(str(cfg["ANNUAL_MONTHLY_WEIGHT"]))


def annual_scores(year: int, *, as_of: dt.datetime | None = None, published_only: bool = False) -> list[AnnualRow]:
    """Annual score per county = 全年目标任务得分 × 80 % + 月度平均分 × 20 % (weights from settings).

    The target score is the city's recorded year-end score (AnnualTarget.final_target_score) or else the
    rubric applied to the latest cumulative figures sent (item total of the latest month). The monthly
    average runs over the 12 months at year end, during the year over the months whose deadline has passed;
    late or missing months count 0. 3 queries."""
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
    passed = [deadline_passed(year, m, as_of) for m in range(1, 13)]
    rows = []
    for region in region_rows:
        months = by_county[region["id"]]
        scores, states = [], []
        for m in range(1, 13):
            sub = months.get(m)
            states.append(_state(sub, passed[m - 1]))
            scores.append(_month_score(sub, passed[m - 1], published_only) if passed[m - 1] else None)
        counted = [s if s is not None else ZERO for s, p in zip(scores, passed, strict=True) if p]
        if region["id"] in overrides:
            target, source = overrides[region["id"]], "市局核定"
        else:
            sent = [s for s in months.values() if s["status"] in SENT_STATUSES]
            latest = max(sent, key=lambda s: s["month"]) if sent else None
            target = latest["items_total"] if latest else ZERO
            source = f"按{latest['month']}月累计数据计算" if latest else "无报送数据"
        result = scoring.annual_score(
            target, counted, target_weight=target_weight, monthly_weight=monthly_weight, months=len(counted)
        )
        rows.append(
            AnnualRow(
                county_id=region["id"],
                county_name=region["name"],
                target_score=result.target_score,
                target_score_source=source,
                monthly_scores=scores,
                month_states=states,
                months_counted=result.months_counted,
                monthly_average=result.monthly_average,
                score=result.score,
                grade=result.grade,
                explanation=result.explanation,
            )
        )
    ranks = scoring.competition_ranks([r.score for r in rows])
    for row, rank in zip(rows, ranks, strict=True):
        row.rank = rank
    rows.sort(key=lambda r: (r.rank, r.county_name))
    return rows


def status_grid(year: int, *, as_of: dt.datetime | None = None) -> list[dict]:
    """County × month: state (on time / late / missing / approved …) and score. 2 queries."""
    region_rows = list(counties().values("id", "name"))
    by_county = defaultdict(dict)
    for sub in Submission.objects.filter(year=year).values(*SUB_FIELDS):
        by_county[sub["county_id"]][sub["month"]] = sub
    passed = [deadline_passed(year, m, as_of) for m in range(1, 13)]
    grid = []
    for region in region_rows:
        cells = []
        for m in range(1, 13):
            sub = by_county[region["id"]].get(m)
            state = _state(sub, passed[m - 1])
            cells.append(
                {
                    "month": m,
                    "state": state,
                    "label": MonthState.LABELS[state],
                    "score": _month_score(sub, passed[m - 1], False),
                    "submission_id": sub["id"] if sub else None,
                }
            )
        grid.append({"county_id": region["id"], "county_name": region["name"], "cells": cells})
    return grid


def target_progress(year: int) -> list[dict]:
    """Latest cumulative figures sent per county against its annual targets. 3 queries."""
    latest = {}
    for sub in (
        Submission.objects.filter(year=year, status__in=SENT_STATUSES)
        .order_by("county_id", "month")
        .values("county_id", "month", *Submission.FIGURE_FIELDS)
    ):
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
