"""通过 = total ≥ 85 and every element ≥ 60 % of its weight and no veto — at the exact boundaries."""

from decimal import Decimal as D

import pytest

from evaluation import services
from evaluation.aggregation import decide
from projects.choices import JingpinStatus
from tests.evaluation.factories import cut, full_scores, open_evaluation, submit

WEIGHTS = {
    "design": D("15"),
    "feature": D("15"),
    "green": D("15"),
    "safety": D("15"),
    "quality": D("25"),
    "function": D("15"),
}


def elements(**overrides):
    base = {
        "design": D("15"),
        "feature": D("15"),
        "green": D("15"),
        "safety": D("15"),
        "quality": D("25"),
        "function": D("15"),
    }
    base.update({k: D(v) for k, v in overrides.items()})
    return base


@pytest.mark.parametrize(
    ("total", "element_scores", "passed"),
    [
        (D("85.00"), elements(), True),
        (D("84.99"), elements(), False),
        (D("90.00"), elements(design="9.00"), True),  # exactly 60 % of 15
        (D("90.00"), elements(design="8.99"), False),
        (D("90.00"), elements(quality="15.00"), True),  # exactly 60 % of 25
        (D("90.00"), elements(quality="14.99"), False),
    ],
)
def test_pass_rule_boundaries(total, element_scores, passed):
    assert decide(total, element_scores, WEIGHTS, threshold=D("85"), element_min_ratio=D("0.60")).passed is passed


def test_a_veto_fails_whatever_the_score_and_is_named():
    decision = decide(
        D("100"), elements(), WEIGHTS, threshold=D("85"), element_min_ratio=D("0.60"), vetoes=["发生安全事故"]
    )
    assert not decision.passed
    assert decision.reasons == ("一票否决：发生安全事故",)


def test_reasons_name_the_weak_element():
    decision = decide(
        D("84"),
        elements(green="8.00"),
        WEIGHTS,
        threshold=D("85"),
        element_min_ratio=D("0.60"),
        element_names={"green": "绿色要素"},
    )
    assert decision.reasons == ("总分84低于通过分数线85", "绿色要素得分8.00低于该要素权重15的60%（9.00）")


def _sheet_totalling_85(evaluation):
    """Full marks except 15 points off the quality element: 85.00 exactly, quality at 10/25 (< 60 %)."""
    return cut(evaluation, full_scores(evaluation), "quality", "15")


def test_closing_aggregates_the_submitted_sheets_to_exactly_85(project, county_user, experts):
    evaluation = open_evaluation(project, county_user, experts[:3])
    for expert in experts[:3]:
        submit(evaluation, expert, _sheet_totalling_85(evaluation))
    evaluation = services.close_evaluation(evaluation, user=county_user)
    assert evaluation.total_score == D("85.00")
    assert evaluation.element_scores["quality"] == "10.00"  # below 60 % of 25: fails (next test)


def test_85_with_every_element_at_or_above_60_percent_passes(project, county_user, experts, settings):
    evaluation = open_evaluation(project, county_user, experts[:3])
    scores = full_scores(evaluation)
    # take 2.5 points from each of the six elements (≥ 60 % left everywhere) = 15 points: 85.00 total
    for element in WEIGHTS:
        cut(evaluation, scores, element, "2.5")
    for expert in experts[:3]:
        submit(evaluation, expert, scores)
    evaluation = services.close_evaluation(evaluation, user=county_user)
    assert evaluation.total_score == D("85.00")
    assert evaluation.result == "passed"
    assert evaluation.fail_reasons == []
    project.refresh_from_db()
    assert project.jingpin_status == JingpinStatus.CERTIFIED


def test_85_with_one_element_below_60_percent_fails_and_the_project_is_marked_failed(project, county_user, experts):
    evaluation = open_evaluation(project, county_user, experts[:3])
    for expert in experts[:3]:
        submit(evaluation, expert, _sheet_totalling_85(evaluation))
    evaluation = services.close_evaluation(evaluation, user=county_user)
    assert evaluation.result == "failed"
    assert any("质量要素得分10.00低于" in r for r in evaluation.fail_reasons)
    project.refresh_from_db()
    assert project.jingpin_status == JingpinStatus.FAILED


def test_the_threshold_comes_from_settings(project, county_user, experts, settings):
    settings.JINGPIN = {**settings.JINGPIN, "EVALUATION_PASS_THRESHOLD": "95"}
    evaluation = open_evaluation(project, county_user, experts[:3])
    scores = cut(evaluation, full_scores(evaluation), "quality", "6")  # 94.00
    for expert in experts[:3]:
        submit(evaluation, expert, scores)
    evaluation = services.close_evaluation(evaluation, user=county_user)
    assert evaluation.total_score == D("94.00")
    assert evaluation.pass_threshold == D("95")
    assert evaluation.result == "failed"
