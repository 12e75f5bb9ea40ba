"""The incentive formulas (pure module): the issue's worked examples, bad input, and invariants."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from awards import incentives
from awards.incentives import Candidate, IncentiveInputError, design_optimisation, pick_winners, savings_bonus


def test_savings_of_1234567_89_gives_the_supervising_unit_61728_39():
    assert savings_bonus(Decimal("1234567.89"), "supervisor") == Decimal("61728.39")


def test_savings_of_1234567_89_gives_the_epc_contractor_370370_37():
    """Seed 000 六(一)3: "监理单位、工程总承包单位……经建设单位认定后分别奖励节约资金额度的5%和30%"."""
    assert savings_bonus(Decimal("1234567.89"), "epc") == Decimal("370370.37")


def test_a_shigong_zongchengbao_firm_gets_no_savings_bonus_only_the_gongcheng_zongchengbao_30_percent():
    """Seed 000 六(一)3 names "工程总承包单位" (EPC): the 256,800 元 paid to a 施工总承包 firm for 856,000 元 saved
    (高平市全民健身中心 in the demo) was not in the rule."""
    with pytest.raises(IncentiveInputError, match="施工总承包单位不在节约奖励范围内") as exc:
        savings_bonus(Decimal("856000.00"), "contractor")
    assert exc.value.field == "proposer_kind"
    assert savings_bonus(Decimal("856000.00"), "epc") == Decimal("256800.00")


def test_savings_bonus_rounds_half_up_to_the_fen():
    # 0.10 × 5 % = 0.005 -> 0.01 (half-up), never banker's rounding
    assert savings_bonus("0.10", "supervisor") == Decimal("0.01")
    assert savings_bonus("0.30", "supervisor") == Decimal("0.02")  # 0.015 -> 0.02


def test_design_example_reduction_3_5_percent_fee_up_7_percent_is_21000():
    result = design_optimisation(Decimal("10000000"), Decimal("9650000"), Decimal("300000"))
    assert result.reduction_percent == Decimal("3.5")
    assert result.fee_increase_percent == Decimal("7.0")
    assert result.fee_increase == Decimal("21000.00")
    assert str(result.fee_increase) == "21000.00"


@pytest.mark.parametrize("budget", ["10000000", "10000001", "12500000.50"])
def test_no_design_bonus_when_budget_is_not_below_the_estimate(budget):
    result = design_optimisation("10000000", budget, "300000")
    assert result.fee_increase == Decimal("0.00")
    assert result.reduction_percent == 0


def test_design_bonus_rounds_once_at_the_end():
    # reduction 1/3 % is not a finite decimal; the fee is computed exactly and rounded once.
    result = design_optimisation("300", "299", "100")  # 100 × 2 × 1/300 = 0.6666… -> 0.67
    assert result.fee_increase == Decimal("0.67")


@pytest.mark.parametrize(
    "args, field, message",
    [
        (("0", "9650000", "300000"), "approved_estimate", "批复概算建安费不能为零。"),
        (("10000000", "0", "300000"), "drawing_budget", "施工图预算建安费不能为零。"),
        (("-1", "9650000", "300000"), "approved_estimate", "批复概算建安费不能为负数。"),
        (("10000000", "9650000", "-5"), "base_design_fee", "施工图设计费基数不能为负数。"),
        (("abc", "9650000", "300000"), "approved_estimate", "批复概算建安费不是有效的金额。"),
    ],
)
def test_bad_design_input_is_refused_with_a_chinese_message(args, field, message):
    with pytest.raises(IncentiveInputError) as exc:
        design_optimisation(*args)
    assert exc.value.field == field and exc.value.message == message


@pytest.mark.parametrize("amount, message", [("-100", "节约金额不能为负数。"), ("0", "节约金额不能为零。")])
def test_bad_savings_amount_is_refused(amount, message):
    with pytest.raises(IncentiveInputError, match=message):
        savings_bonus(amount, "supervisor")


def test_unknown_proposer_kind_is_refused():
    with pytest.raises(IncentiveInputError, match="监理单位或工程总承包单位"):
        savings_bonus("100", "designer")


def test_floats_are_not_accepted_by_the_formulas():
    with pytest.raises(IncentiveInputError):
        savings_bonus(1234567.89, "supervisor")


money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999999.99"), places=2)


@given(money)
def test_savings_bonus_is_the_rate_of_the_amount_within_half_a_fen(amount):
    for kind, rate in incentives.SAVINGS_RATES.items():
        bonus = savings_bonus(amount, kind)
        assert abs(bonus - amount * rate / 100) <= Decimal("0.005")
        assert bonus.as_tuple().exponent == -2


@given(money, money, money)
def test_design_fee_increase_is_never_negative_and_zero_without_reduction(estimate, budget, fee):
    result = design_optimisation(estimate, budget, fee)
    assert result.fee_increase >= 0
    if budget >= estimate:
        assert result.fee_increase == 0
    else:
        assert 0 < result.reduction_percent <= 100
        assert result.fee_increase <= fee * 2 + Decimal("0.005")


def test_winners_by_score_are_the_highest_scores():
    cands = [Candidate("a", Decimal("88")), Candidate("b", Decimal("95")), Candidate("c", Decimal("91"))]
    assert pick_winners(cands, 2, "score") == ["b", "c"]


def test_winners_by_rank_are_the_first_ranks():
    cands = [Candidate("a", rank=3), Candidate("b", rank=1), Candidate("c", rank=2)]
    assert pick_winners(cands, 1, "rank") == ["b"]


def test_a_tie_across_the_cut_off_is_refused():
    cands = [
        Candidate("a", Decimal("90"), label="甲"),
        Candidate("b", Decimal("90"), label="乙"),
        Candidate("c", Decimal("80")),
    ]
    with pytest.raises(IncentiveInputError, match="第1名与第2名得分相同"):
        pick_winners(cands, 1, "score")
    assert sorted(pick_winners(cands, 2, "score")) == ["a", "b"]


@pytest.mark.parametrize(
    "cands, n, method, message",
    [
        ([Candidate("a", rank=1), Candidate("b", rank=1)], 1, "rank", "名次不能重复"),
        ([Candidate("a", rank=1), Candidate("b", label="乙")], 1, "rank", "请为每个候选项目填写名次（缺：乙）"),
        ([Candidate("a", Decimal("101"))], 1, "score", "得分应在0到100之间"),
        ([Candidate("a", Decimal("90"))], 2, "score", "获奖数量（2）不能超过候选项目数（1）"),
        ([Candidate("a", Decimal("90"))], 0, "score", "获奖数量至少为1"),
        ([], 1, "score", "没有候选项目"),
    ],
)
def test_bad_selection_input_is_refused(cands, n, method, message):
    with pytest.raises(IncentiveInputError, match=message):
        pick_winners(cands, n, method)


def test_the_formulas_module_does_not_import_django():
    import ast
    import pathlib

    tree = ast.parse(pathlib.Path(incentives.__file__).read_text())
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    assert not any(name.startswith("django") for name in imported)
