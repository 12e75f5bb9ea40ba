"""Opening an evaluation and its panel: at least 3 experts, conflicts of interest refused with the reason."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evaluation import services
from evaluation.models import Evaluation, PanelMember
from tests.evaluation.factories import DUE, make_expert, open_evaluation
from tests.factories import EnterpriseFactory, UserFactory
from tests.projects_factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def test_the_category_fixes_the_current_template_and_freezes_it(county, templates, county_user, experts):
    from tests.evaluation.factories import library_project

    project = library_project(county, category="landscape")
    evaluation = open_evaluation(project, county_user, experts[:3])
    assert evaluation.template.category == "landscape"
    assert evaluation.template.is_frozen
    assert list(evaluation.panel.values_list("expert__username", flat=True)) == ["expert_t1", "expert_t2", "expert_t3"]


def test_an_expert_employed_by_a_participant_is_refused_with_the_reason(project, county_user, experts):
    builder = EnterpriseFactory(name="晋城市建筑勘察设计院有限公司", kinds=["design"])
    ParticipantFactory(project=project, enterprise=builder, role="design")
    conflicted = make_expert("expert_conflict", enterprise=builder)
    with pytest.raises(ValidationError) as info:
        open_evaluation(project, county_user, [experts[0], experts[1], conflicted])
    message = info.value.message_dict["expert"][0]
    assert "晋城市建筑勘察设计院有限公司" in message and "设计单位" in message and "须回避" in message
    assert not Evaluation.objects.exists()

    evaluation = open_evaluation(project, county_user, experts[:3])
    with pytest.raises(ValidationError):
        services.assign_expert(evaluation, conflicted, user=county_user)
    assert evaluation.panel.count() == 3


def test_fewer_than_three_experts_is_refused(project, county_user, experts):
    with pytest.raises(ValidationError) as info:
        open_evaluation(project, county_user, experts[:2])
    assert info.value.message_dict["experts"] == ["评审专家组至少需要3名专家。"]
    with pytest.raises(ValidationError):
        open_evaluation(project, county_user, [experts[0], experts[0], experts[0]])
    assert not Evaluation.objects.exists()


def test_a_non_expert_or_a_duplicate_cannot_join_the_panel(project, county_user, experts):
    evaluation = open_evaluation(project, county_user, experts[:3])
    with pytest.raises(ValidationError) as info:
        services.assign_expert(evaluation, county_user, user=county_user)
    assert "不是有效的评审专家" in info.value.message_dict["expert"][0]
    with pytest.raises(ValidationError) as info:
        services.assign_expert(evaluation, experts[0], user=county_user)
    assert "已在本次评审组中" in info.value.message_dict["expert"][0]
    assert PanelMember.objects.filter(evaluation=evaluation).count() == 3


def test_only_library_projects_and_one_open_evaluation_at_a_time(county, templates, county_user, experts):
    from tests.projects_factories import ProjectFactory

    outside = ProjectFactory(county=county)
    with pytest.raises(ValidationError) as info:
        open_evaluation(outside, county_user, experts[:3])
    assert "只有纳入精品工程项目库（培育中）的项目才能发起评价" in info.value.message_dict["project"][0]


def test_a_second_open_evaluation_for_the_same_project_is_refused(project, county_user, experts):
    open_evaluation(project, county_user, experts[:3])
    with pytest.raises(ValidationError):
        open_evaluation(project, county_user, experts[3:6])
    assert Evaluation.objects.count() == 1


def test_staff_of_another_county_and_experts_cannot_open_evaluations(project, colleague, experts):
    with pytest.raises(PermissionDenied):
        open_evaluation(project, colleague, experts[:3])
    with pytest.raises(PermissionDenied):
        open_evaluation(project, experts[0], experts[:3])


def test_bad_year_and_missing_due_date_are_refused(project, county_user, experts):
    with pytest.raises(ValidationError) as info:
        services.open_evaluation(project, user=county_user, year=1900, due_date=None, experts=experts[:3])
    assert info.value.message_dict["year"] == ["评价年度应为2000-2100之间的年份。"]
    assert info.value.message_dict["due_date"] == ["请填写评分截止日期。"]


def test_removing_an_expert_drops_their_draft_but_a_submitted_sheet_stays(project, county_user, experts):
    from tests.evaluation.factories import full_scores, submit

    evaluation = open_evaluation(project, county_user, experts[:4])
    services.sheet_for(evaluation, experts[3])
    submit(evaluation, experts[0], full_scores(evaluation))
    services.remove_expert(evaluation, experts[3], user=county_user)
    assert not evaluation.sheets.filter(expert=experts[3]).exists()
    with pytest.raises(ValidationError) as info:
        services.remove_expert(evaluation, experts[0], user=county_user)
    assert "已提交评分表" in info.value.message_dict["expert"][0]


def test_api_conflict_is_a_400_with_the_reason(project, county_user, experts):
    from tests.conftest import api_client_for

    employer = EnterpriseFactory()
    ParticipantFactory(project=project, enterprise=employer, role="supervisor")
    conflicted = UserFactory(role="expert", username="expert_sup", enterprise=employer)
    payload = {
        "project": project.pk,
        "year": 2023,
        "due_date": str(DUE),
        "experts": [experts[0].pk, experts[1].pk, conflicted.pk],
    }
    response = api_client_for(county_user).post("/api/v1/evaluations/", payload, format="json")
    assert response.status_code == 400
    assert "监理单位" in response.json()["expert"][0]
    assert not Evaluation.objects.exists()
    payload["experts"] = [e.pk for e in experts[:3]]
    response = api_client_for(county_user).post("/api/v1/evaluations/", payload, format="json")
    assert response.status_code == 201, response.json()
    evaluation_id = response.json()["id"]
    response = api_client_for(county_user).post(
        f"/api/v1/evaluations/{evaluation_id}/panel/", {"expert": conflicted.pk}, format="json"
    )
    assert response.status_code == 400
    assert "须回避" in response.json()["expert"][0]
    assert dt.date.fromisoformat(str(DUE))
