"""Score sheets: drafts, submission, and every bad input refused with a Chinese message, nothing changed."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evaluation import services
from evaluation.models import Score, ScoreSheet
from tests.conftest import api_client_for
from tests.evaluation.factories import full_scores, items_of, open_evaluation, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation(project, county_user, experts):
    return open_evaluation(project, county_user, experts[:3])


def snapshot(sheet):
    sheet.refresh_from_db()
    return (
        sheet.status,
        sheet.total,
        sheet.comment,
        sorted(Score.objects.filter(sheet=sheet).values_list("item_id", "score")),
    )


def test_a_draft_keeps_partial_scores_and_the_running_total(evaluation, experts):
    expert = experts[0]
    first, second = items_of(evaluation)[:2]
    sheet = services.sheet_for(evaluation, expert)
    services.save_sheet(sheet, expert, scores={first.pk: "3.5", str(second.pk): D("2.25")}, comment="初评")
    sheet.refresh_from_db()
    assert (sheet.status, sheet.total, sheet.comment) == ("draft", D("5.75"), "初评")
    services.save_sheet(sheet, expert, scores={first.pk: ""})  # blank clears one
    sheet.refresh_from_db()
    assert sheet.total == D("2.25")


def test_submitting_a_complete_sheet_makes_it_read_only(evaluation, experts):
    sheet = submit(evaluation, experts[0], full_scores(evaluation))
    assert sheet.status == "submitted" and sheet.total == D("100.00") and sheet.submitted_at
    before = snapshot(sheet)
    with pytest.raises(ValidationError) as info:
        services.save_sheet(sheet, experts[0], scores={items_of(evaluation)[0].pk: "1"})
    assert info.value.message_dict["sheet"] == ["评分表已提交，不能再修改。"]
    with pytest.raises(ValidationError):
        services.submit_sheet(sheet, experts[0])
    assert snapshot(sheet) == before


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("4.01", "的得分不能超过该项满分4.00分"),
        ("-0.5", "的得分不能为负数"),
        ("1.234", "的得分须为数字，最多保留两位小数"),
        ("abc", "的得分须为数字，最多保留两位小数"),
        ("NaN", "的得分须为数字，最多保留两位小数"),
    ],
)
def test_a_bad_score_is_refused_and_nothing_is_saved(evaluation, experts, value, message):
    expert = experts[0]
    first, second = items_of(evaluation)[:2]
    sheet = services.sheet_for(evaluation, expert)
    services.save_sheet(sheet, expert, scores={second.pk: "2"}, comment="原意见")
    before = snapshot(sheet)
    with pytest.raises(ValidationError) as info:
        services.save_sheet(sheet, expert, scores={first.pk: value, second.pk: "3"}, comment="新意见")
    assert message in info.value.message_dict[f"item_{first.pk}"][0]
    assert snapshot(sheet) == before


def test_an_item_of_another_template_is_refused(evaluation, experts, county, county_user):
    from evaluation.models import TemplateItem

    foreign = TemplateItem.objects.exclude(element__template=evaluation.template).first()
    sheet = services.sheet_for(evaluation, experts[0])
    with pytest.raises(ValidationError) as info:
        services.save_sheet(sheet, experts[0], scores={foreign.pk: "1"})
    assert "不属于本次评价所用的评价标准" in info.value.message_dict["scores"][0]


def test_an_incomplete_sheet_cannot_be_submitted_and_stays_a_draft(evaluation, experts):
    expert = experts[0]
    scores = full_scores(evaluation)
    missing = items_of(evaluation)[-1]
    del scores[missing.pk]
    sheet = services.sheet_for(evaluation, expert)
    before = snapshot(sheet)
    with pytest.raises(ValidationError) as info:
        services.submit_sheet(sheet, expert, scores=scores)
    assert "评分表未填写完整，还有1项未评分" in info.value.message_dict["scores"][0]
    assert missing.text in info.value.message_dict["scores"][0]
    assert snapshot(sheet) == before  # even the complete part was not saved


def test_a_second_sheet_for_the_same_expert_is_refused(evaluation, experts):
    services.start_sheet(evaluation, experts[0])
    with pytest.raises(ValidationError) as info:
        services.start_sheet(evaluation, experts[0])
    assert info.value.message_dict["evaluation"] == ["您已有本次评价的评分表，每位专家只能填写一张。"]
    assert ScoreSheet.objects.filter(evaluation=evaluation, expert=experts[0]).count() == 1


def test_an_expert_not_on_the_panel_cannot_score(evaluation, experts):
    with pytest.raises(PermissionDenied):
        services.start_sheet(evaluation, experts[5])
    sheet = services.sheet_for(evaluation, experts[0])
    with pytest.raises(PermissionDenied):
        services.save_sheet(sheet, experts[1], scores={})
    assert not ScoreSheet.objects.filter(expert=experts[5]).exists()


def test_closing_needs_three_submitted_sheets(evaluation, experts, county_user):
    submit(evaluation, experts[0], full_scores(evaluation))
    submit(evaluation, experts[1], full_scores(evaluation))
    services.sheet_for(evaluation, experts[2])  # a draft does not count
    with pytest.raises(ValidationError) as info:
        services.close_evaluation(evaluation, user=county_user)
    assert info.value.message_dict["evaluation"] == ["至少需要3份已提交的评分表才能结束评价（当前2份）。"]
    evaluation.refresh_from_db()
    assert evaluation.status == "open" and evaluation.total_score is None
    evaluation.project.refresh_from_db()
    assert evaluation.project.jingpin_status == "cultivating"


def test_no_scoring_after_the_evaluation_is_closed(evaluation, experts, county_user):
    for expert in experts[:3]:
        submit(evaluation, expert, full_scores(evaluation))
    services.close_evaluation(evaluation, user=county_user)
    with pytest.raises(ValidationError):
        services.start_sheet(evaluation, experts[0])


def test_api_bad_inputs_are_400_with_chinese_messages(evaluation, experts):
    expert = experts[0]
    client = api_client_for(expert)
    response = client.post("/api/v1/score-sheets/", {"evaluation": evaluation.pk}, format="json")
    assert response.status_code == 201
    sheet_id = response.json()["id"]
    response = client.post("/api/v1/score-sheets/", {"evaluation": evaluation.pk}, format="json")
    assert response.status_code == 400
    assert response.json()["evaluation"] == ["您已有本次评价的评分表，每位专家只能填写一张。"]
    item = items_of(evaluation)[0]
    response = client.patch(f"/api/v1/score-sheets/{sheet_id}/", {"scores": {str(item.pk): "99"}}, format="json")
    assert response.status_code == 400
    assert "不能超过该项满分" in response.json()[f"item_{item.pk}"][0]
    response = client.post(f"/api/v1/score-sheets/{sheet_id}/submit/", {}, format="json")
    assert response.status_code == 400
    assert "评分表未填写完整" in response.json()["scores"][0]
    scores = {str(k): str(v) for k, v in full_scores(evaluation).items()}
    response = client.post(
        f"/api/v1/score-sheets/{sheet_id}/submit/", {"scores": scores, "comment": "同意"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "submitted" and response.json()["total"] == "100.00"
    response = client.patch(f"/api/v1/score-sheets/{sheet_id}/", {"comment": "改"}, format="json")
    assert response.status_code == 400
    assert response.json()["sheet"] == ["评分表已提交，不能再修改。"]
