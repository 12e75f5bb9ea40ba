"""The delay rule (projects.programme.is_late), on plain dates.

Seed 000 五(三) 加强督办检查: “开展常态化督查，对工作滞后的予以通报。属地乡镇政府、各项目主管部门制定工作推进计划，
每月将工作进展情况报县发改局”. A milestone is 滞后 when it is not reached more than N days (MILESTONE_DELAY_DAYS)
after its planned date, or reached later than that."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from projects.programme import days_behind, is_late

PLAN = dt.date(2024, 1, 31)
N = 30


@pytest.mark.parametrize(
    ("actual", "today", "late"),
    [
        (None, PLAN + dt.timedelta(days=N), False),  # exactly N days after the plan: not yet late
        (None, PLAN + dt.timedelta(days=N + 1), True),  # one day more: late
        (None, PLAN - dt.timedelta(days=5), False),  # before the plan
        (PLAN, PLAN + dt.timedelta(days=400), False),  # reached on time stays on time
        (PLAN + dt.timedelta(days=N), PLAN + dt.timedelta(days=400), False),  # reached exactly N days late
        (PLAN + dt.timedelta(days=N + 1), PLAN + dt.timedelta(days=N + 1), True),  # reached late
        (PLAN - dt.timedelta(days=10), PLAN + dt.timedelta(days=400), False),  # reached early
    ],
)
def test_a_milestone_is_late_only_beyond_the_grace_days(actual, today, late):
    assert is_late(PLAN, actual, today, N) is late


def test_a_milestone_without_a_planned_date_is_never_late():
    assert is_late(None, None, dt.date(2030, 1, 1), N) is False
    assert is_late(None, dt.date(2030, 1, 1), dt.date(2030, 1, 1), N) is False
    assert days_behind(None, None, dt.date(2030, 1, 1)) == 0


def test_days_behind_counts_to_the_actual_date_once_reached():
    assert days_behind(PLAN, None, PLAN + dt.timedelta(days=45)) == 45
    assert days_behind(PLAN, PLAN + dt.timedelta(days=40), PLAN + dt.timedelta(days=400)) == 40
    assert days_behind(PLAN, PLAN - dt.timedelta(days=3), PLAN) == 0


@given(
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 1, 1)),
    st.integers(min_value=0, max_value=365),
    st.integers(min_value=0, max_value=2000),
)
def test_late_means_more_than_n_days_behind(planned, grace, offset):
    today = planned + dt.timedelta(days=offset)
    assert is_late(planned, None, today, grace) == (days_behind(planned, None, today) > grace)
