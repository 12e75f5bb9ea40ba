"""The score is base + Σ points of the entries in force, for arbitrary entry sets and dates (hypothesis), in the
pure engine and through the database; and the history the daily job writes answers every past day exactly."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from credit import scoring
from credit.models import CreditEntry
from credit.services import current_rule, rescore, score_on, standing_on
from tests.factories import EnterpriseFactory

RULE = scoring.rule_from_data(scoring.DEFAULT_RULE, 1)
START = dt.date(2025, 1, 1)


@dataclass(frozen=True)
class E:
    occurred_on: dt.date
    valid_until: dt.date
    withdrawn_on: dt.date | None
    points: Decimal
    severity: str


days = st.integers(min_value=0, max_value=900).map(lambda n: START + dt.timedelta(days=n))
points = st.decimals(min_value=Decimal("-10"), max_value=Decimal("10"), places=2, allow_nan=False)


@st.composite
def entries(draw):
    occurred = draw(days)
    months = draw(st.sampled_from([12, 24, 36]))
    withdrawn = draw(st.one_of(st.none(), days))
    return E(
        occurred,
        scoring.valid_until(occurred, months),
        withdrawn,
        draw(points),
        draw(st.sampled_from(["", "minor", "serious", "major"])),
    )


def oracle(items, day) -> Decimal:
    """Written out without the engine: an entry counts from its date through its last valid day, unless it was
    withdrawn on or before the day."""
    total = Decimal("100")
    for e in items:
        started = e.occurred_on <= day
        not_ended = day <= e.valid_until
        withdrawn = e.withdrawn_on is not None and e.withdrawn_on <= day
        if started and not_ended and not withdrawn:
            total += e.points
    return total


@given(st.lists(entries(), max_size=25), days)
def test_the_pure_score_is_base_plus_the_entries_in_force(items, day):
    value = scoring.score(items, day, RULE)
    assert value == oracle(items, day)
    assert scoring.grade(value, RULE) == ("A" if value >= 105 else "B" if value >= 90 else "C" if value >= 75 else "D")
    assert scoring.major_in_force(items, day) == any(e.severity == "major" and scoring.in_force(e, day) for e in items)


@given(st.integers(min_value=0, max_value=400), st.integers(min_value=1, max_value=36))
def test_an_entry_is_in_force_through_the_day_before_the_same_date_months_later(offset, months):
    occurred = START + dt.timedelta(days=offset)
    last = scoring.valid_until(occurred, months)
    e = E(occurred, last, None, Decimal("-2"), "")
    assert scoring.in_force(e, last) and not scoring.in_force(e, last + dt.timedelta(days=1))
    assert not scoring.in_force(e, occurred - dt.timedelta(days=1)) and scoring.in_force(e, occurred)
    assert scoring.add_months(occurred, months) == last + dt.timedelta(days=1)


class TestThroughTheDatabase(TestCase):
    @settings(max_examples=30)
    @given(st.lists(entries(), max_size=12), st.lists(days, min_size=1, max_size=8))
    def test_score_history_answers_every_past_day(self, items, checkpoints):
        """Entries stored, then the daily job run on some days in order: the history row in force on any day
        between START and the last run equals the oracle for that day, and so does the recomputation."""
        enterprise = EnterpriseFactory()
        rule = current_rule(START)
        CreditEntry.objects.bulk_create(
            CreditEntry(
                enterprise=enterprise,
                behaviour="penalty",
                polarity="bad",
                severity=e.severity,
                title="测试",
                occurred_on=e.occurred_on,
                valid_until=e.valid_until,
                withdrawn_on=e.withdrawn_on,
                points=e.points,
                rule=rule,
                source_type="test",
                source_id=i,
            )
            for i, e in enumerate(items)
        )
        runs = sorted({START, *checkpoints})
        for day in runs:
            rescore([enterprise.pk], day)
        # Between two runs only expiries are recovered for the days in between (an entry dated between two runs
        # enters the history on the run that records it), so the exact check is on the run days and on any day
        # when nothing but expiries happened since the previous run.
        for run in runs:
            shown, _ = standing_on(enterprise, run)
            assert shown.score == oracle(items, run)
            assert score_on(enterprise, run).score == oracle(items, run)
        for day in (START + dt.timedelta(days=n) for n in range(0, (runs[-1] - START).days + 1, 7)):
            previous_run = max(r for r in runs if r <= day)
            starts = any(previous_run < e.occurred_on <= day for e in items)
            withdrawals = any(e.withdrawn_on and previous_run < e.withdrawn_on <= day for e in items)
            if not starts and not withdrawals:
                shown, _ = standing_on(enterprise, day)
                assert shown.score == oracle(items, day), day


@pytest.mark.parametrize(
    ("value", "grade"),
    [
        (Decimal("105"), "A"),
        (Decimal("104.99"), "B"),
        (Decimal("90"), "B"),
        (Decimal("89.99"), "C"),
        (Decimal("75"), "C"),
        (Decimal("74.99"), "D"),
    ],
)
def test_grade_thresholds_of_the_default_rule(value, grade):
    """SPEC §10: "grades A ≥ 105, B ≥ 90, C ≥ 75, D below"."""
    assert scoring.grade(value, RULE) == grade
