"""The pure scoring engine against the issue's worked examples and a table for every rule kind."""

from decimal import Decimal as D

import pytest

from assessment import scoring
from assessment.rubric2023 import rules_2023
from assessment.scoring import ItemRule, MonthData, RuleKind, ZeroTargetPolicy
from tests.assessment.factories import GAOPING_JUNE, local

TARGETS_GAOPING = {
    "retrofit_residential_area": D("7"),
    "retrofit_public_area": D("3"),
    "green_ratio": D("80"),
    "prefab_ratio": D("24"),
}


def gaoping_june() -> MonthData:
    figures = {k: D(v) for k, v in GAOPING_JUNE.items() if isinstance(v, str)}
    facts = {k: v for k, v in GAOPING_JUNE.items() if isinstance(v, bool)}
    counts = {k: v for k, v in GAOPING_JUNE.items() if isinstance(v, int) and not isinstance(v, bool)}
    return MonthData(figures=figures, facts=facts, counts=counts, targets=TARGETS_GAOPING)


def test_gaoping_june_2023_worked_example_item_by_item_totals_73_53():
    sheet = scoring.score_sheet(rules_2023(), gaoping_june())
    scores = {code: r.score for code, r in sheet.by_code().items()}
    assert scores == {
        "A1": D("4.00"),
        "A2": D("2.00"),
        "A3": D("4.00"),
        "A4": D("2.00"),
        "A5": D("1.33"),
        "A6": D("3.29"),
        "B1": D("5.00"),
        "B2": D("17.91"),
        "B3": D("0.00"),
        "B4": D("2.00"),
        "B5": D("3.00"),
        "B6": D("0.00"),
        "B7": D("2.00"),
        "C1": D("0.00"),
        "D1": D("20.00"),
        "D2": D("5.00"),
        "D3": D("2.00"),
        "D4": D("0.00"),
    }
    assert sheet.total == D("73.53")
    ratios = {code: r.ratio for code, r in sheet.by_code().items() if r.ratio is not None}
    assert ratios == {
        "A3": D("50.00"),
        "A5": D("33.33"),
        "A6": D("41.13"),
        "B2": D("71.66"),
        "B3": D("26.66"),
        "D1": D("26.00"),
    }


def test_gaoping_june_with_one_point_adjustment_is_74_53():
    total = scoring.score_sheet(rules_2023(), gaoping_june()).total
    assert scoring.month_score(total, [D("1")]) == D("74.53")


def test_d1_is_capped_and_the_explanation_shows_the_clerks_arithmetic():
    d1 = scoring.score_sheet(rules_2023(), gaoping_june()).by_code()["D1"]
    assert d1.score == D("20.00") and d1.capped
    assert "26.00% ÷ 24% × 20 = 21.66，封顶20" in d1.explanation


def test_zezhou_with_residential_target_zero_gets_the_full_8_points_of_a3():
    data = MonthData(figures={"retrofit_residential_area": D("0")}, targets={"retrofit_residential_area": D("0")})
    a3 = [r for r in rules_2023() if r.code == "A3"][0]
    result = scoring.score_item(a3, data)
    assert result.score == D("8.00") and not result.applicable
    assert "不适用" in result.explanation


def test_annual_example_average_72_62_annual_85_24_grade_good():
    months = [D("80"), D("82.5"), None, D("85"), D("86"), D("87"), D("88"), None, D("90"), D("90"), D("91"), D("92")]
    result = scoring.annual_score(D("88.40"), months, target_weight=D("0.80"), monthly_weight=D("0.20"))
    assert result.monthly_average == D("72.62")
    assert result.score == D("85.24")
    assert result.grade == "良好"


@pytest.mark.parametrize(
    ("submitted_at", "late"),
    [
        (local(2023, 6, 20, 23, 59, 59), False),
        (local(2023, 6, 21, 0, 0, 1), True),
        (local(2023, 6, 21, 0, 0, 0), True),
        (local(2023, 6, 1, 0, 0, 0), False),
        # 15:59:59 UTC on 20 June is 23:59:59 in Shanghai: on time; one second later is late
        (local(2023, 6, 20, 23, 59, 59).astimezone(scoring.ZoneInfo("UTC")), False),
        (local(2023, 6, 21, 0, 0, 0).astimezone(scoring.ZoneInfo("UTC")), True),
    ],
)
def test_deadline_boundary_is_23_59_59_on_the_20th_in_shanghai(submitted_at, late):
    assert scoring.is_late(submitted_at, scoring.deadline_for(2023, 6, 20)) is late


def test_naive_submission_time_is_refused():
    import datetime as dt

    with pytest.raises(ValueError):
        scoring.is_late(dt.datetime(2023, 6, 20), scoring.deadline_for(2023, 6, 20))


RATIO = ItemRule("X", D("20"), RuleKind.RATIO, {"numerator": "part", "denominator": "whole", "target_value": "24"})
RATIO_TARGET = ItemRule("Y", D("8"), RuleKind.RATIO, {"numerator": "part", "target_key": "task"})
THRESHOLD = ItemRule(
    "Z",
    D("5"),
    RuleKind.RATIO,
    {"numerator": "part", "denominator": "whole", "target_value": "30", "mode": "threshold"},
)
PASS = ItemRule("P", D("4"), RuleKind.PASS_FAIL, {"facts": ["a", "b"]})
LEVELS = ItemRule(
    "L",
    D("3"),
    RuleKind.COUNT_LEVELS,
    {"levels": [{"count": "one", "points": "1"}, {"count": "two", "points": "2"}, {"count": "three", "points": "3"}]},
)
AT_LEAST = ItemRule("C", D("2"), RuleKind.COUNT_AT_LEAST, {"count": "n", "min": 1})
MANUAL = ItemRule("M", D("5"), RuleKind.MANUAL, {})


@pytest.mark.parametrize(
    ("rule", "data", "score", "ratio", "text"),
    [
        # ratio of two figures against a percent target
        (RATIO, {"figures": {"part": D("6"), "whole": D("30")}}, "16.66", "20.00", "20.00% ÷ 24% × 20 = 16.66"),
        (RATIO, {"figures": {"part": D("7.8"), "whole": D("30")}}, "20.00", "26.00", "封顶20"),  # cap
        (RATIO, {"figures": {"part": D("0"), "whole": D("30")}}, "0.00", "0.00", "= 0.00"),
        (RATIO, {"figures": {"part": D("5"), "whole": D("0")}}, "0.00", None, "无新建面积"),  # zero denominator
        (RATIO, {"figures": {"part": None, "whole": None}}, "0.00", None, "无新建面积"),
        # figure against an absolute target; 2/3 is 66.66 %, never 66.67; × 8 = 5.3328 → 5.33
        (RATIO_TARGET, {"figures": {"part": D("2")}, "targets": {"task": D("3")}}, "5.33", "66.66", "66.66% × 8"),
        (RATIO_TARGET, {"figures": {"part": D("9")}, "targets": {"task": D("3")}}, "8.00", "300.00", "封顶8"),
        (RATIO_TARGET, {"figures": {"part": D("1")}, "targets": {"task": D("0")}}, "8.00", None, "不适用"),
        (RATIO_TARGET, {"figures": {"part": D("1")}, "targets": {}}, "0.00", None, "未设定年度目标"),
        # threshold
        (THRESHOLD, {"figures": {"part": D("9"), "whole": D("30")}}, "5.00", "30.00", "≥ 30%"),
        (THRESHOLD, {"figures": {"part": D("8.99"), "whole": D("30")}}, "0.00", "29.96", "< 30%"),
        (THRESHOLD, {"figures": {"part": D("1"), "whole": D("0")}}, "0.00", None, "无新建面积"),
        # pass/fail
        (PASS, {"facts": {"a": True, "b": True}}, "4.00", None, "达到要求"),
        (PASS, {"facts": {"a": True, "b": False}}, "0.00", None, "未满足"),
        (PASS, {}, "0.00", None, "未满足"),
        # count-based levels with a cap
        (LEVELS, {"counts": {"one": 1}}, "1.00", None, "= 1"),
        (LEVELS, {"counts": {"two": 1}}, "2.00", None, "= 2"),
        (LEVELS, {"counts": {"one": 1, "two": 1}}, "3.00", None, "= 3"),
        (LEVELS, {"counts": {"two": 1, "three": 1}}, "3.00", None, "= 5，封顶3"),
        (LEVELS, {"counts": {}}, "0.00", None, "无认定"),
        # count ≥ 1
        (AT_LEAST, {"counts": {"n": 1}}, "2.00", None, "≥1"),
        (AT_LEAST, {"counts": {"n": 4}}, "2.00", None, "≥1"),
        (AT_LEAST, {"counts": {"n": 0}}, "0.00", None, "<1"),
        # manual: the reviewer's score, cut and capped
        (MANUAL, {"manual": {"M": D("3.999")}}, "3.99", None, "3.99"),
        (MANUAL, {"manual": {"M": D("7")}}, "5.00", None, "封顶"),
        (MANUAL, {}, "0.00", None, "待市局评分"),
    ],
)
def test_every_rule_kind_table(rule, data, score, ratio, text):
    result = scoring.score_item(rule, MonthData(**data))
    assert result.score == D(score)
    assert result.ratio == (D(ratio) if ratio is not None else None)
    assert text in result.explanation


def test_zero_target_policy_zero_is_a_setting_of_the_item():
    rule = ItemRule("Y", D("8"), RuleKind.RATIO, {"numerator": "part", "target_key": "task"}, ZeroTargetPolicy.ZERO)
    result = scoring.score_item(rule, MonthData(figures={"part": D("1")}, targets={"task": D("0")}))
    assert result.score == D("0.00") and "目标为0" in result.explanation


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("2") / D("3"), "0.66"),
        (D("0.999"), "0.99"),
        (D("21.666666"), "21.66"),
        (D("-0.005"), "0.00"),
        (D("5"), "5.00"),
    ],
)
def test_cutting_never_rounds(value, expected):
    assert scoring.cut2(value) == D(expected)


def test_figures_are_cut_before_use():
    data = MonthData(figures={"part": D("6.999"), "whole": D("30.009")})
    assert scoring.score_item(RATIO, data).ratio == D("23.30")  # 6.99 ÷ 30.00, not 6.999 ÷ 30.009 = 23.32


def test_floats_are_refused():
    with pytest.raises(TypeError):
        scoring.month_score(73.53)


@pytest.mark.parametrize(
    ("items", "adjustments", "late", "expected"),
    [
        ("73.53", ["1"], False, "74.53"),
        ("73.53", ["-0.5", "1"], False, "74.03"),
        ("0.50", ["-2"], False, "0.00"),  # never below 0
        ("90", ["5"], True, "0.00"),  # late → 0
    ],
)
def test_month_score(items, adjustments, late, expected):
    assert scoring.month_score(D(items), [D(a) for a in adjustments], late=late) == D(expected)


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        ("100", "优秀"),
        ("90", "优秀"),
        ("89.99", "良好"),
        ("80", "良好"),
        ("79.99", "合格"),
        ("60", "合格"),
        ("59.99", "不合格"),
        ("0", "不合格"),
    ],
)
def test_grades(score, grade):
    assert scoring.grade(D(score)) == grade


def test_competition_ranks_share_ties():
    assert scoring.competition_ranks([D("80"), D("90"), D("80"), None, D("70")]) == [2, 1, 2, None, 4]


def test_during_the_year_the_average_runs_over_the_months_whose_deadline_passed():
    result = scoring.annual_score(
        D("50"), [D("80"), D("90"), D("0")], target_weight=D("0.80"), monthly_weight=D("0.20"), months=3
    )
    assert result.monthly_average == D("56.66") and result.months_counted == 3
    assert result.score == D("51.33")  # 40 + 11.332 → cut


def test_the_2023_rubric_has_18_items_and_100_points():
    rules = rules_2023()
    assert len(rules) == 18 and sum(r.max_points for r in rules) == 100


def test_unknown_rule_kind_is_an_error():
    with pytest.raises(ValueError):
        scoring.score_item(ItemRule("Q", D("1"), "bogus", {}), MonthData())
