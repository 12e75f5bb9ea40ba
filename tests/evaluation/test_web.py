"""Web pages: lists, the opening form, the expert's scoring form, templates, the library, the dashboard."""

from decimal import Decimal as D

import pytest

from evaluation.models import CriteriaTemplate, Evaluation, ScoreSheet
from tests.evaluation.factories import full_scores, items_of, library_project, open_evaluation, submit
from tests.factories import EnterpriseFactory
from tests.projects_factories import ParticipantFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_county_staff_opens_an_evaluation_from_the_form(project, county_user, experts, client):
    client.force_login(county_user)
    page = client.get(f"/evaluation/new/?project={project.pk}")
    assert page.status_code == 200 and project.name in page.content.decode()
    data = {"project": project.pk, "year": 2026, "due_date": "2099-01-31", "experts": [e.pk for e in experts[:3]]}
    response = client.post("/evaluation/new/", data)
    evaluation = Evaluation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/evaluation/{evaluation.pk}/"
    detail = client.get(response["Location"]).content.decode()
    assert "评审专家组（3人，已提交 0 份）" in detail


def test_the_form_shows_the_conflict_reason_and_writes_nothing(project, county_user, experts, client):
    employer = EnterpriseFactory(name="山西卓越工程监理有限公司")
    ParticipantFactory(project=project, enterprise=employer, role="supervisor")
    experts[2].enterprise = employer
    experts[2].save()
    client.force_login(county_user)
    data = {"project": project.pk, "year": 2026, "due_date": "2099-01-31", "experts": [e.pk for e in experts[:3]]}
    response = client.post("/evaluation/new/", data)
    assert response.status_code == 200
    assert "山西卓越工程监理有限公司”是本项目的监理单位，须回避" in response.content.decode()
    assert not Evaluation.objects.exists()
    response = client.post("/evaluation/new/", {**data, "experts": [experts[0].pk], "due_date": "2000-01-01"})
    content = response.content.decode()
    assert "评分截止日期不能早于今天。" in content
    assert not Evaluation.objects.exists()


def test_the_expert_scores_saves_a_draft_and_submits_through_the_form(project, county_user, experts, client):
    evaluation = open_evaluation(project, county_user, experts[:3])
    client.force_login(experts[0])
    page = client.get(f"/evaluation/{evaluation.pk}/my-sheet/").content.decode()
    assert "设计要素" in page and "running-total" in page and "保存草稿" in page
    items = items_of(evaluation)
    response = client.post(f"/evaluation/{evaluation.pk}/my-sheet/", {f"item_{items[0].pk}": "99", "action": "save"})
    assert response.status_code == 400
    assert "不能超过该项满分" in response.content.decode()
    sheet = ScoreSheet.objects.get(expert=experts[0])
    assert sheet.total == 0
    response = client.post(f"/evaluation/{evaluation.pk}/my-sheet/", {f"item_{items[0].pk}": "3.5", "action": "save"})
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.total == D("3.50") and sheet.status == "draft"
    response = client.post(f"/evaluation/{evaluation.pk}/my-sheet/", {"action": "submit"})
    assert response.status_code == 400 and "评分表未填写完整" in response.content.decode()
    data = {f"item_{k}": str(v) for k, v in full_scores(evaluation).items()}
    response = client.post(
        f"/evaluation/{evaluation.pk}/my-sheet/", {**data, "action": "submit", "comment": "好", "confirmed": "1"}
    )
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == "submitted" and sheet.total == D("100.00")
    assert "不能再修改" in client.get(f"/evaluation/{evaluation.pk}/my-sheet/").content.decode()
    response = client.post(f"/evaluation/{evaluation.pk}/my-sheet/", {**data, "action": "save"})
    assert response.status_code == 400


def test_county_closes_and_designates_from_the_detail_page(project, county_user, experts, client):
    evaluation = open_evaluation(project, county_user, experts[:3])
    client.force_login(county_user)
    client.post(f"/evaluation/{evaluation.pk}/close/", follow=True)
    evaluation.refresh_from_db()
    assert evaluation.is_open  # refused: no sheets
    for expert in experts[:3]:
        submit(evaluation, expert, full_scores(evaluation))
    page = client.post(f"/evaluation/{evaluation.pk}/close/", follow=True).content.decode()
    assert "评价已结束：总分100.00分，通过。" in page
    page = client.post(f"/evaluation/{evaluation.pk}/demonstration/", follow=True).content.decode()
    assert "确定为示范项目" in page
    project.refresh_from_db()
    assert project.jingpin_status == "demonstration"


def test_lists_render_for_each_role(project, county_user, experts, city_admin, client):
    evaluation = open_evaluation(project, county_user, experts[:3])
    for user, url, text in [
        (county_user, "/evaluation/", project.code),
        (experts[0], "/evaluation/", "我的评审任务"),
        (city_admin, "/evaluation/templates/", "房屋建筑工程"),
        (county_user, "/evaluation/library/", project.code),
        (county_user, f"/evaluation/templates/{evaluation.template_id}/", "设计要素"),
        (county_user, "/", "精品工程评价"),
        (experts[0], "/", "待完成评分"),
    ]:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url
    client.force_login(experts[0])
    assert client.get("/evaluation/library/").status_code == 403
    assert client.get("/evaluation/new/").status_code == 403


def test_the_library_page_puts_a_project_into_the_library(county, county_user, client):
    project = ProjectFactory(county=county)
    client.force_login(county_user)
    page = client.post(f"/evaluation/library/{project.pk}/add/", {"next": "https://evil.example/"}, follow=True)
    assert "已将" in page.content.decode()
    assert page.redirect_chain[-1][0] == "/evaluation/library/"
    project.refresh_from_db()
    assert project.jingpin_status == "cultivating"


def test_the_city_admin_edits_a_frozen_template_into_a_new_version(project, county_user, experts, city_admin, client):
    template = open_evaluation(project, county_user, experts[:3]).template
    client.force_login(city_admin)
    page = client.get(f"/evaluation/templates/{template.pk}/edit/").content.decode()
    assert "保存后将生成新版本" in page
    form = {"name": template.name, "note": "修订"}
    from evaluation import services

    for element in services.template_data(template):
        form[f"weight_{element['element']}"] = str(element["weight"])
        form[f"items_{element['element']}"] = "\n".join(f"{i['text']}｜{i['max_score']}" for i in element["items"])
    bad = {**form, "items_design": "只有一项｜5"}
    response = client.post(f"/evaluation/templates/{template.pk}/edit/", bad)
    assert (
        response.status_code == 200
        and "设计要素各评分项满分之和（5分）与该要素权重（15分）不一致" in response.content.decode()
    )
    assert CriteriaTemplate.objects.filter(category="building").count() == 1
    response = client.post(f"/evaluation/templates/{template.pk}/edit/", form)
    new = CriteriaTemplate.objects.get(category="building", version=2)
    assert response.status_code == 302 and response["Location"] == f"/evaluation/templates/{new.pk}/"
    client.force_login(county_user)
    assert client.get(f"/evaluation/templates/{template.pk}/edit/").status_code == 403


def test_an_expert_list_shows_their_sheet_state(county, templates, county_user, experts, client):
    evaluation = open_evaluation(library_project(county), county_user, experts[:3])
    submit(evaluation, experts[0], full_scores(evaluation))
    client.force_login(experts[0])
    assert "已提交" in client.get("/evaluation/").content.decode()


@pytest.mark.parametrize("role", ["county", "expert"])
def test_the_web_evaluation_list_makes_constant_queries_in_page_size(
    county, templates, county_user, experts, client, role
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(6):
        evaluation = open_evaluation(library_project(county), county_user, experts[:3])
        submit(evaluation, experts[0], full_scores(evaluation))
    client.force_login(county_user if role == "county" else experts[0])
    counts = []
    for size in (2, 6):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/evaluation/?page_size={size}").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
