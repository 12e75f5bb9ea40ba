"""The pure aggregation engine: table-driven cases (3, 4, 5, 7 experts; ties; spread flag) and properties."""

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluation.aggregation import AggregationError, Item, Sheet, aggregate, choose_dropped, median

# Two elements: "a" (items a1 max 10, a2 max 5) and "b" (item b1 max 85): 100 points.
ITEMS = [Item("a1", "a", D("10")), Item("a2", "a", D("5")), Item("b1", "b", D("85"))]


def sheet(key, a1, a2, b1):
    return Sheet(key, {"a1": D(a1), "a2": D(a2), "b1": D(b1)})


CASES = [
    # (name, sheets, expected total, expected element scores, dropped (highest, lowest), flagged)
    (
        "three experts: plain average",
        [sheet("s1", "9", "4", "75"), sheet("s2", "8", "5", "70"), sheet("s3", "10", "3", "80")],
        D("88.00"),
        {"a": D("13.00"), "b": D("75.00")},
        (None, None),
        (),
    ),
    (
        "four experts: plain average, half-up at the end",
        [
            sheet("s1", "9.01", "4", "75"),
            sheet("s2", "8", "5", "70"),
            sheet("s3", "10", "3", "80"),
            sheet("s4", "7", "4", "72"),
        ],
        # totals 88.01, 83, 93, 83 -> sum 347.01 / 4 = 86.7525 -> 86.75
        D("86.75"),
        {"a": D("12.50"), "b": D("74.25")},  # a: (13.01+13+13+11)/4 = 12.5025 -> 12.50
        (None, None),
        (),
    ),
    (
        "five experts: drop the highest and the lowest sheet",
        [
            sheet("s1", "9", "4", "75"),  # 88
            sheet("s2", "10", "5", "85"),  # 100 highest
            sheet("s3", "8", "4", "70"),  # 82
            sheet("s4", "5", "2", "50"),  # 57 lowest, 30 from the median 85? median is 85? see below
            sheet("s5", "9", "5", "71"),  # 85
        ],
        # kept s1, s3, s5: (88 + 82 + 85) / 3 = 85.00
        D("85.00"),
        {"a": D("13.00"), "b": D("72.00")},
        ("s2", "s4"),
        ("s4",),  # median of 100, 88, 85, 82, 57 is 85; |57-85| = 28 > 15
    ),
    (
        "seven experts: one dropped at each end, five averaged",
        [
            sheet("s1", "9", "4", "76"),  # 89
            sheet("s2", "9", "4", "74"),  # 87
            sheet("s3", "10", "5", "82"),  # 97 highest
            sheet("s4", "8", "4", "73"),  # 85
            sheet("s5", "7", "3", "70"),  # 80 lowest
            sheet("s6", "9", "5", "72"),  # 86
            sheet("s7", "8", "5", "75"),  # 88
        ],
        # kept 89, 87, 85, 86, 88 -> 435 / 5 = 87.00
        D("87.00"),
        {"a": D("13.00"), "b": D("74.00")},
        ("s3", "s5"),
        (),
    ),
    (
        "ties for highest and lowest: the first submitted of each tie is dropped, only one at each end",
        [
            sheet("s1", "10", "5", "80"),  # 95 (first of the highest tie) -> dropped
            sheet("s2", "6", "4", "70"),  # 80 (first of the lowest tie) -> dropped
            sheet("s3", "9", "4", "77"),  # 90
            sheet("s4", "10", "5", "80"),  # 95 kept
            sheet("s5", "7", "3", "70"),  # 80 kept, but a differs from s2
        ],
        # kept s3, s4, s5: (90 + 95 + 80) / 3 = 88.333.. -> 88.33
        D("88.33"),
        {"a": D("12.67"), "b": D("75.67")},  # a: (13+15+10)/3 = 12.666.. ; b: (77+80+70)/3 = 75.666..
        ("s1", "s2"),
        (),
    ),
    (
        "all totals equal: first dropped as highest, second as lowest",
        [sheet(f"s{i}", "8", "4", "78") for i in range(1, 6)],
        D("90.00"),
        {"a": D("12.00"), "b": D("78.00")},
        ("s1", "s2"),
        (),
    ),
    (
        "even panel: the median is the mean of the two middle totals",
        [
            sheet("s1", "8", "4", "78"),
            sheet("s2", "8", "4", "63"),
            sheet("s3", "8", "4", "62.99"),
            sheet("s4", "10", "5", "85"),
        ],
        # totals 90, 75, 74.99, 100 -> 339.99 / 4 = 84.9975 -> 85.00; median (75 + 90) / 2 = 82.5;
        # |100 - 82.5| = 17.5 > 15 -> s4 flagged
        D("85.00"),
        {"a": D("12.75"), "b": D("72.25")},  # b: 288.99 / 4 = 72.2475 -> 72.25
        (None, None),
        ("s4",),
    ),
    (
        "spread flag: exactly 15 points from the median is not flagged",
        [sheet("s1", "9", "4", "77"), sheet("s2", "9", "4", "62"), sheet("s3", "9", "4", "47")],
        # totals 90, 75, 60: median 75, both ends exactly 15 away
        D("75.00"),
        {"a": D("13.00"), "b": D("62.00")},
        (None, None),
        (),
    ),
    (
        "spread flag: 15.01 points from the median is flagged",
        [sheet("s1", "9", "4", "77.01"), sheet("s2", "9", "4", "62"), sheet("s3", "9", "4", "46.99")],
        D("75.00"),
        {"a": D("13.00"), "b": D("62.00")},
        (None, None),
        ("s1", "s3"),
    ),
]


@pytest.mark.parametrize(
    ("name", "sheets", "total", "elements", "dropped", "flagged"), CASES, ids=[c[0] for c in CASES]
)
def test_aggregation_table(name, sheets, total, elements, dropped, flagged):
    result = aggregate(ITEMS, sheets)
    assert result.total == total
    assert result.element_scores == elements
    assert (result.dropped_highest, result.dropped_lowest) == dropped
    assert result.flagged == flagged


def test_item_scores_are_averaged_item_by_item_and_rounded_half_up_once():
    sheets = [
        sheet("s1", "9.01", "4", "75"),
        sheet("s2", "8", "5", "70"),
        sheet("s3", "10", "3", "80"),
        sheet("s4", "7", "4", "72"),
    ]
    result = aggregate(ITEMS, sheets)
    # a1: (9.01+8+10+7)/4 = 8.5025 -> 8.50 ; a2: 16/4 = 4.00 ; b1: 297/4 = 74.25
    assert result.item_scores == {"a1": D("8.50"), "a2": D("4.00"), "b1": D("74.25")}


def test_half_up_at_exactly_half_a_cent():
    # a1: (9.01 + 9.02) / 2 ... with three sheets: (0.01 + 0 + 0.02) / 3 = 0.01 ; use 4 sheets for an exact .xx5
    sheets = [
        sheet("s1", "0.01", "0", "0"),
        sheet("s2", "0.01", "0", "0"),
        sheet("s3", "0", "0", "0"),
        sheet("s4", "0", "0", "0"),
    ]
    assert aggregate(ITEMS, sheets).item_scores["a1"] == D("0.01")  # 0.005 -> 0.01 (half-up, not banker's)


def test_the_total_is_rounded_from_its_exact_value_not_summed_from_rounded_elements():
    # totals 0.02, 0.02, 0, 0: a = 0.005 -> 0.01 and b = 0.005 -> 0.01, but the total is 0.01 exactly
    sheets = [
        sheet("s1", "0.01", "0", "0.01"),
        sheet("s2", "0.01", "0", "0.01"),
        sheet("s3", "0", "0", "0"),
        sheet("s4", "0", "0", "0"),
    ]
    result = aggregate(ITEMS, sheets)
    assert result.element_scores == {"a": D("0.01"), "b": D("0.01")}
    assert result.total == D("0.01")  # documented: the total is authoritative


def test_fewer_than_three_sheets_is_an_error():
    with pytest.raises(AggregationError):
        aggregate(ITEMS, [sheet("s1", "1", "1", "1"), sheet("s2", "1", "1", "1")])


def test_a_missing_or_out_of_range_score_is_an_error():
    with pytest.raises(AggregationError):
        aggregate(ITEMS, [Sheet("s1", {"a1": D("1")}), sheet("s2", "1", "1", "1"), sheet("s3", "1", "1", "1")])
    with pytest.raises(AggregationError):
        aggregate(ITEMS, [sheet("s1", "11", "1", "1"), sheet("s2", "1", "1", "1"), sheet("s3", "1", "1", "1")])


def test_median_and_choose_dropped():
    assert median([D("1"), D("3"), D("2")]) == D("2")
    assert median([D("1"), D("4"), D("2"), D("3")]) == D("2.5")
    assert choose_dropped([D("5"), D("9"), D("1"), D("9"), D("1")]) == (1, 2)
    assert choose_dropped([D("5")] * 5) == (0, 1)


# --- properties -----------------------------------------------------------------------------------
MAXES = [D("4"), D("3.5"), D("7.5"), D("10"), D("25"), D("50")]
ELEMENTS = ["x", "x", "y", "y", "z", "z"]
PROP_ITEMS = [Item(f"i{n}", ELEMENTS[n], m) for n, m in enumerate(MAXES)]
WEIGHTS = {"x": D("7.5"), "y": D("17.5"), "z": D("75")}


def score_for(maximum):
    cents = int(maximum * 100)
    return st.integers(min_value=0, max_value=cents).map(lambda c: D(c) / 100)


sheet_strategy = st.tuples(*(score_for(m) for m in MAXES))


@settings(max_examples=300, deadline=None)
@given(st.lists(sheet_strategy, min_size=3, max_size=9))
def test_aggregate_lies_within_the_sheets_and_elements_never_exceed_weights(rows):
    sheets = [Sheet(n, {f"i{k}": v for k, v in enumerate(row)}) for n, row in enumerate(rows)]
    result = aggregate(PROP_ITEMS, sheets)
    totals = [s.total() for s in sheets]
    assert min(totals) <= result.total <= max(totals)
    for element, weight in WEIGHTS.items():
        assert D("0") <= result.element_scores[element] <= weight
    for item in PROP_ITEMS:
        item_values = [s.scores[item.key] for s in sheets]
        assert min(item_values) <= result.item_scores[item.key] <= max(item_values) <= item.max_score
    assert result.total == result.total.quantize(D("0.01"))
    assert len(result.used) == (len(sheets) - 2 if len(sheets) >= 5 else len(sheets))


@settings(max_examples=200, deadline=None)
@given(st.lists(sheet_strategy, min_size=5, max_size=9))
def test_trimming_drops_exactly_one_sheet_at_each_end(rows):
    sheets = [Sheet(n, {f"i{k}": v for k, v in enumerate(row)}) for n, row in enumerate(rows)]
    result = aggregate(PROP_ITEMS, sheets)
    totals = {s.key: s.total() for s in sheets}
    assert result.dropped_highest != result.dropped_lowest
    assert totals[result.dropped_highest] == max(totals.values())
    assert totals[result.dropped_lowest] == min(t for k, t in totals.items() if k != result.dropped_highest)
