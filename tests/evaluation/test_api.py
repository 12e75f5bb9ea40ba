"""Evaluation API: list query counts at two page sizes, the full flow over HTTP, Excel export."""

import io

import pytest
from openpyxl import load_workbook

from evaluation import services
from evaluation.models import CriteriaTemplate, VetoItem
from tests.api_mixins import ListQueryCountMixin
from tests.conftest import api_client_for
from tests.evaluation.factories import (
    DUE,
    full_scores,
    library_project,
    make_expert,
    open_evaluation,
    seed_templates,
    submit,
)
from tests.factories import CountyFactory, UserFactory
from tests.projects_factories import ParticipantFactory, ProjectFactory

pytestmark = pytest.mark.django_db


class _Rows:
    def setup_rows(self):
        seed_templates()
        self.county = CountyFactory(name="泽州县")
        self.staff = UserFactory(role="county_staff", region=self.county, username="zezhou_staff")
        self.experts = [make_expert(f"qc_expert{i}") for i in range(3)]


class TestEvaluationList(_Rows, ListQueryCountMixin):
    list_url = "/api/v1/evaluations/"

    def make_rows(self, n):
        self.setup_rows()
        for i in range(n):
            project = library_project(self.county)
            ParticipantFactory(project=project)
            evaluation = open_evaluation(project, self.staff, self.experts)
            if i % 2:
                submit(evaluation, self.experts[0], full_scores(evaluation))

    def reader(self):
        return self.staff


class TestExpertEvaluationList(TestEvaluationList):
    def reader(self):
        return self.experts[0]


class TestScoreSheetList(_Rows, ListQueryCountMixin):
    list_url = "/api/v1/score-sheets/"

    def make_rows(self, n):
        self.setup_rows()
        for _ in range(n):
            evaluation = open_evaluation(library_project(self.county), self.staff, self.experts)
            submit(evaluation, self.experts[0], full_scores(evaluation))

    def reader(self):
        return self.experts[0]


class TestTemplateList(ListQueryCountMixin):
    list_url = "/api/v1/evaluation-templates/"

    def make_rows(self, n):
        seed_templates()
        admin = UserFactory(role="city_admin", username="tmpl_admin")
        template = CriteriaTemplate.objects.get(category="building")
        for _ in range(n - 4):
            services.create_template("building", services.template_data(template), user=admin)

    def reader(self):
        return UserFactory(role="expert", username="tmpl_reader")


class TestVetoItemList(ListQueryCountMixin):
    list_url = "/api/v1/veto-items/"

    def reader(self):
        return UserFactory(role="county_staff", region=CountyFactory(), username="veto_reader")

    def test_list_query_count_constant_in_page_size(self, db, settings):
        """Only four veto kinds exist, so the two page sizes are 2 and 4."""
        from tests.api_mixins import query_count

        settings.DASHBOARD_CACHE_SECONDS = 0  # the list's own queries, no kept count
        seed_templates()
        client = api_client_for(self.reader())
        small, r1 = query_count(client, f"{self.list_url}?page_size=2")
        large, r2 = query_count(client, f"{self.list_url}?page_size=4")
        assert len(r1.json()["results"]) == 2 and len(r2.json()["results"]) == 4
        assert small == large


class TestLibraryList(ListQueryCountMixin):
    list_url = "/api/v1/jingpin-library/"

    def make_rows(self, n):
        county = CountyFactory(name="城区")
        self.staff = UserFactory(role="county_staff", region=county, username="chengqu_staff")
        for _ in range(n):
            library_project(county)

    def reader(self):
        return self.staff


def test_the_whole_flow_over_the_api(county, templates, county_user, experts):
    project = ProjectFactory(county=county, category="habitat")
    staff = api_client_for(county_user)
    response = staff.post("/api/v1/jingpin-library/", {"project": project.pk}, format="json")
    assert response.status_code == 201 and response.json()["jingpin_status"] == "cultivating"
    payload = {"project": project.pk, "year": 2023, "due_date": str(DUE), "experts": [e.pk for e in experts[:3]]}
    response = staff.post("/api/v1/evaluations/", payload, format="json")
    assert response.status_code == 201, response.json()
    evaluation_id = response.json()["id"]
    for expert in experts[:3]:
        client = api_client_for(expert)
        sheet = client.post("/api/v1/score-sheets/", {"evaluation": evaluation_id}, format="json").json()
        from evaluation.models import Evaluation

        scores = {str(k): str(v) for k, v in full_scores(Evaluation.objects.get(pk=evaluation_id)).items()}
        assert (
            client.post(f"/api/v1/score-sheets/{sheet['id']}/submit/", {"scores": scores}, format="json").status_code
            == 200
        )
    response = staff.post(f"/api/v1/evaluations/{evaluation_id}/close/")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["result"] == "passed" and body["total_score"] == "100.00"
    assert [p["sheet_status"] for p in body["panel"]] == ["已提交"] * 3
    result = staff.get(f"/api/v1/evaluations/{evaluation_id}/result/").json()
    assert [e["name"] for e in result["elements"]] == [
        "设计要素",
        "特色要素",
        "绿色要素",
        "安全要素",
        "质量要素",
        "功能要素",
    ]
    assert result["elements"][4]["score"] == "25.00"
    response = staff.post(f"/api/v1/evaluations/{evaluation_id}/demonstration/")
    assert response.status_code == 200 and response.json()["demonstration"] is True
    project.refresh_from_db()
    assert project.jingpin_status == "demonstration"
    report = staff.get(f"/api/v1/evaluations/{evaluation_id}/report/")
    assert report.status_code == 200 and report["Content-Type"] == "application/pdf"


def test_evaluation_list_exports_to_excel_with_numbers(county, templates, county_user, experts):
    evaluation = open_evaluation(library_project(county, name="导出测试工程"), county_user, experts[:3])
    for expert in experts[:3]:
        submit(evaluation, expert, full_scores(evaluation))
    services.close_evaluation(evaluation, user=county_user)
    for url in ("/api/v1/evaluations/export/", "/evaluation/?export=xlsx"):
        if url.startswith("/api"):
            response = api_client_for(county_user).get(url)
        else:
            from django.test import Client

            client = Client()
            client.force_login(county_user)
            response = client.get(url)
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        header = [c.value for c in sheet[1]]
        assert header[:2] == ["项目编号", "项目名称"]
        row = {h: c.value for h, c in zip(header, sheet[2], strict=True)}
        assert row["项目名称"] == "导出测试工程"
        assert row["总分"] == 100 and row["结果"] == "通过" and row["已提交评分表"] == 3


def test_a_county_user_cannot_create_templates_and_experts_cannot_open_evaluations(templates, county_user, experts):
    response = api_client_for(county_user).post(
        "/api/v1/evaluation-templates/", {"category": "building", "elements": []}, format="json"
    )
    assert response.status_code == 403
    assert api_client_for(experts[0]).post("/api/v1/evaluations/", {}, format="json").status_code == 403


def test_the_city_admin_toggles_a_veto_item_over_the_api(templates, city_admin, county_user):
    veto = VetoItem.objects.get(kind="insurance")
    assert (
        api_client_for(county_user)
        .patch(f"/api/v1/veto-items/{veto.pk}/", {"is_active": False}, format="json")
        .status_code
        == 403
    )
    response = api_client_for(city_admin).patch(f"/api/v1/veto-items/{veto.pk}/", {"is_active": False}, format="json")
    assert response.status_code == 200 and response.json()["is_active"] is False
