"""Invariants of the engine (hypothesis): no item above its maximum, a total within [0, 100] before
adjustments, cutting never rounds up, month score never below 0."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from assessment import scoring
from assessment.rubric2023 import rules_2023
from core.decimals import cut2

areas = st.one_of(
    st.none(), st.decimals(min_value=0, max_value=100000, places=4, allow_nan=False, allow_infinity=False)
)
counts = st.integers(min_value=0, max_value=50)
targets = st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def month_data(draw):
    figures = {key: draw(areas) for key in scoring.FIGURES}
    facts = {key: draw(st.booleans()) for key in scoring.FACTS}
    count_values = {key: draw(counts) for key in scoring.COUNTS}
    target_values = {
        "retrofit_residential_area": draw(targets),
        "retrofit_public_area": draw(targets),
        "green_ratio": draw(st.decimals(min_value=0, max_value=100, places=2)),
        "prefab_ratio": draw(st.sampled_from([Decimal("24"), Decimal("34"), Decimal("0")])),
    }
    return scoring.MonthData(figures=figures, facts=facts, counts=count_values, targets=target_values)


RULES = rules_2023()


@settings(max_examples=300, deadline=None)
@given(month_data())
def test_no_item_exceeds_its_maximum_and_total_is_within_0_and_100(data):
    sheet = scoring.score_sheet(RULES, data)
    for item in sheet.items:
        assert Decimal(0) <= item.score <= item.max_points
        assert item.score == item.score.quantize(Decimal("0.01"))
    assert Decimal(0) <= sheet.total <= Decimal(100)


@given(st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False))
def test_cutting_never_rounds_up_and_loses_less_than_a_cent(value):
    cut = cut2(value)
    assert abs(cut) <= abs(value)
    assert abs(value - cut) < Decimal("0.01")


@given(
    st.integers(min_value=1, max_value=10**6),
    st.integers(min_value=1, max_value=10**6),
)
def test_ratio_is_never_rounded_up(part, whole):
    rule = scoring.ItemRule(
        "X", Decimal(20), scoring.RuleKind.RATIO, {"numerator": "p", "denominator": "w", "target_value": "24"}
    )
    result = scoring.score_item(rule, scoring.MonthData(figures={"p": Decimal(part), "w": Decimal(whole)}))
    exact = Decimal(part) * 100 / Decimal(whole)
    assert result.ratio <= exact
    assert result.score <= Decimal(20)


@given(
    st.decimals(min_value=0, max_value=100, places=2),
    st.lists(st.decimals(min_value=-20, max_value=20, places=2), max_size=4),
    st.booleans(),
)
def test_month_score_is_never_below_zero(items, adjustments, late):
    score = scoring.month_score(items, adjustments, late=late)
    assert score >= 0
    if late:
        assert score == 0
