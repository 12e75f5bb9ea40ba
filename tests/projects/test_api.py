"""Projects REST API with the three users (owner county, colleague in another county, outsider enterprise),
the reporting unit user, query counts on every list, filters and the report actions."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from projects.models import MonthlyReport, Project
from tests.api_mixins import ListQueryCountMixin
from tests.conftest import api_client_for
from tests.factories import CountyFactory, EnterpriseFactory, UserFactory
from tests.projects.factories import (
    ConstraintRecordFactory,
    MonthlyReportFactory,
    ParticipantFactory,
    ProjectFactory,
    report_row,
    workbook_file,
)

pytestmark = pytest.mark.django_db


# --- query counts: constant in the number of rows ---------------------------------------------------
class CountyReaderMixin:
    def reader(self):
        return UserFactory(role="county_staff", region=self.county, username="qc_reader")

    def project(self, **kwargs):
        if not hasattr(self, "county"):
            self.county = CountyFactory(name="泽州县")
        return ProjectFactory(county=self.county, **kwargs)


class TestProjectListQueries(CountyReaderMixin, ListQueryCountMixin):
    list_url = "/api/v1/projects/"

    def make_rows(self, n):
        for i in range(n):
            project = self.project()
            ParticipantFactory(project=project, role="contractor")
            ParticipantFactory(project=project, role="supervisor", insurance_policy_no="" if i % 2 else "P")


class TestParticipantListQueries(CountyReaderMixin, ListQueryCountMixin):
    list_url = "/api/v1/participants/"

    def make_rows(self, n):
        project = self.project()
        for _ in range(n):
            ParticipantFactory(project=project)


class TestConstraintListQueries(CountyReaderMixin, ListQueryCountMixin):
    list_url = "/api/v1/constraint-records/"

    def make_rows(self, n):
        project = self.project()
        for i in range(n):
            record = ConstraintRecordFactory(participant=ParticipantFactory(project=project))
            if i % 2:
                record.status, record.status_changed_by = "rectified", UserFactory()
                record.save()


class TestMonthlyReportListQueries(CountyReaderMixin, ListQueryCountMixin):
    list_url = "/api/v1/monthly-reports/"

    def make_rows(self, n):
        for i in range(n):
            MonthlyReportFactory(project=self.project(), month=1 + i % 12)


class TestMonthlyReportListQueriesForUnitUser(ListQueryCountMixin):
    """The unit user's scope goes through a subquery: still constant."""

    list_url = "/api/v1/monthly-reports/"

    def make_rows(self, n):
        self.enterprise = EnterpriseFactory()
        for i in range(n):
            project = ProjectFactory()
            ParticipantFactory(project=project, enterprise=self.enterprise)
            MonthlyReportFactory(project=project, month=1 + i % 12)

    def reader(self):
        return UserFactory(role="unit_user", enterprise=self.enterprise, username="qc_unit")


# --- scope: owner / colleague / outsider -----------------------------------------------------------
def ids(response):
    assert response.status_code == 200, response.content[:300]
    return {row["id"] for row in response.json()["results"]}


def test_each_user_lists_only_projects_in_scope(county_user, colleague, outsider, project, other_project, reporter):
    assert ids(api_client_for(county_user).get("/api/v1/projects/")) == {project.pk}
    assert ids(api_client_for(colleague).get("/api/v1/projects/")) == {other_project.pk}
    assert ids(api_client_for(outsider).get("/api/v1/projects/")) == set()
    assert ids(api_client_for(reporter).get("/api/v1/projects/")) == {project.pk}


@pytest.mark.parametrize("who", ["colleague", "outsider"])
def test_objects_outside_scope_are_404(request, who, project, reporter):
    user = request.getfixturevalue(who)
    participant = project.participants.get()
    record = ConstraintRecordFactory(participant=participant)
    report = MonthlyReportFactory(project=project, status="submitted")
    client = api_client_for(user)
    for url in (
        f"/api/v1/projects/{project.pk}/",
        f"/api/v1/participants/{participant.pk}/",
        f"/api/v1/constraint-records/{record.pk}/",
        f"/api/v1/monthly-reports/{report.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json() == {"detail": "未找到。"}
    if who == "colleague":
        assert client.post(f"/api/v1/monthly-reports/{report.pk}/accept/").status_code == 404
        assert client.patch(f"/api/v1/projects/{project.pk}/", {"name": "x"}, format="json").status_code == 404
        assert client.post(f"/api/v1/projects/{project.pk}/stage/", {"to_stage": "planning"}).status_code == 404
    report.refresh_from_db()
    assert report.status == "submitted"


def test_owner_creates_a_project_and_bad_input_gets_field_errors(county_user, county):
    client = api_client_for(county_user)
    payload = {
        "code": "JC-2023-7001",
        "name": "高平市文化中心",
        "year": 2023,
        "category": "building",
        "government_invested": True,
        "total_investment": "-5",
        "floor_area": "abc",
        "prefabricated": True,
        "prefab_rate": "120",
        "actual_start": "2023-05-01",
        "actual_completion": "2023-04-01",
    }
    response = client.post("/api/v1/projects/", payload, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert errors["floor_area"] == ["请填写合法的数字。"]
    assert not Project.objects.filter(code="JC-2023-7001").exists()

    payload["floor_area"] = "23400.00"
    response = client.post("/api/v1/projects/", payload, format="json")
    errors = response.json()
    assert response.status_code == 400
    assert errors["total_investment"] == ["请确保该值大于或者等于 0。"]
    assert errors["prefab_rate"] == ["请确保该值小于或者等于 100。"]

    payload.update(total_investment="8600.00", prefab_rate="45.5")
    response = client.post("/api/v1/projects/", payload, format="json")
    assert response.status_code == 400
    assert response.json() == {"actual_completion": ["实际竣工日期不能早于实际开工日期。"]}
    assert not Project.objects.filter(code="JC-2023-7001").exists()

    payload.update(actual_completion="2024-06-30")
    response = client.post("/api/v1/projects/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["county"] == county.pk and body["stage"] == "cultivation" and body["jingpin_status"] == "none"
    assert body["insurance_warnings"] == []


def test_jingpin_status_is_read_only_in_the_api(county_user, project):
    response = api_client_for(county_user).patch(
        f"/api/v1/projects/{project.pk}/", {"jingpin_status": "certified", "name": "新名称"}, format="json"
    )
    assert response.status_code == 200
    project.refresh_from_db()
    assert project.jingpin_status == "none" and project.name == "新名称"


def test_unit_users_and_other_roles_cannot_write_projects(reporter, outsider, project):
    for user in (reporter, outsider):
        response = api_client_for(user).patch(f"/api/v1/projects/{project.pk}/", {"name": "x"}, format="json")
        assert response.status_code in (403, 404)
    assert api_client_for(reporter).patch(f"/api/v1/projects/{project.pk}/", {"name": "x"}).status_code == 403


def test_project_detail_shows_insurance_warnings_stage_history_and_pilot_checklist(county_user, project):
    project.green_pilot = True
    project.save()
    ParticipantFactory(project=project, role="supervisor", insurance_policy_no="", insurance_valid_until=None)
    client = api_client_for(county_user)
    response = client.post(f"/api/v1/projects/{project.pk}/stage/", {"to_stage": "planning", "note": "立项批复"})
    assert response.status_code == 201 and response.json()["to_stage_display"] == "前期策划立项"
    response = client.post(f"/api/v1/projects/{project.pk}/stage/", {"to_stage": "cultivation"})
    assert response.status_code == 400 and "回退" in response.json()["to_stage"][0]
    body = client.get(f"/api/v1/projects/{project.pk}/").json()
    assert len(body["insurance_warnings"]) == 1 and "未投保监理责任险" in body["insurance_warnings"][0]
    assert [s["to_stage"] for s in body["stage_history"]] == ["planning"]
    assert body["stage_history"][0]["changed_by_name"] == county_user.display_name
    assert {item["key"] for item in body["pilot_checklist"]} >= {"green_star", "bim", "delivery"}
    listed = client.get("/api/v1/projects/").json()["results"][0]
    assert listed["insurance_warnings"] == body["insurance_warnings"]


def test_project_filters_are_the_ui_filters(county_user, county):
    ProjectFactory(county=county, code="A-1", name="一中教学楼", category="building", government_invested=True)
    ProjectFactory(county=county, code="A-2", name="环城路", category="municipal", government_invested=False)
    ProjectFactory(county=county, code="A-3", name="滨河公园", category="landscape", green_pilot=True)
    client = api_client_for(county_user)

    def codes(query):
        return sorted(p["code"] for p in client.get(f"/api/v1/projects/?{query}").json()["results"])

    assert codes("category=municipal") == ["A-2"]
    assert codes("government_invested=false") == ["A-2"]
    assert codes("green_pilot=true") == ["A-3"]
    assert codes("q=公园") == ["A-3"]
    assert codes("stage=cultivation&status=none") == ["A-1", "A-2", "A-3"]
    assert codes("ordering=-code") == ["A-1", "A-2", "A-3"]
    response = client.get("/api/v1/projects/?category=bogus")
    assert response.status_code == 400


def test_participant_with_a_role_not_fitting_the_enterprise_is_a_400(county_user, project):
    designer = EnterpriseFactory(name="某设计院", kinds=["design"])
    response = api_client_for(county_user).post(
        "/api/v1/participants/", {"project": project.pk, "enterprise": designer.pk, "role": "contractor"}
    )
    assert response.status_code == 400
    assert response.json()["role"] == ["某设计院的单位类别中没有“施工总承包单位”，不能以该角色参建。"]


def test_participant_list_shows_the_insurance_problem(county_user, project):
    ParticipantFactory(project=project, role="design", insurance_valid_until=dt.date(2020, 1, 1))
    rows = api_client_for(county_user).get(f"/api/v1/participants/?project={project.pk}&role=design").json()
    assert "已于2020-01-01过期" in rows["results"][0]["insurance_problem"]
    ParticipantFactory(project=project, role="supervisor", insurance_policy_no="")
    ParticipantFactory(project=project, role="builder", insurance_policy_no="")
    client = api_client_for(county_user)
    problems = client.get("/api/v1/participants/?insurance=problem").json()["results"]
    assert sorted(r["role"] for r in problems) == ["design", "supervisor"]
    assert all(r["insurance_problem"] for r in problems)
    assert not any(r["insurance_problem"] for r in client.get("/api/v1/participants/?insurance=ok").json()["results"])


def test_constraint_record_created_and_closed_through_the_api(county_user, project):
    participant = ParticipantFactory(project=project)
    client = api_client_for(county_user)
    response = client.post(
        "/api/v1/constraint-records/",
        {"participant": participant.pk, "kind": "affiliation", "occurred_on": "2023-06-01", "description": "挂靠"},
    )
    assert response.status_code == 201, response.json()
    record_id = response.json()["id"]
    response = client.post(f"/api/v1/constraint-records/{record_id}/status/", {"status": "expelled", "note": "清退"})
    assert response.status_code == 200
    assert response.json()["status_display"] == "清退出场"
    assert response.json()["status_changed_by_name"] == county_user.display_name
    response = client.post(f"/api/v1/constraint-records/{record_id}/status/", {"status": "rectified"})
    assert response.status_code == 400
    assert client.get("/api/v1/constraint-records/?status=expelled").json()["count"] == 1


def test_monthly_report_round_trip_through_the_api(reporter, county_user, project):
    unit = api_client_for(reporter)
    payload = {"project": project.pk, "year": 2023, "month": 6, "new_start_area": "1200.50", "prefab_area": "300"}
    response = unit.post("/api/v1/monthly-reports/", payload, format="json")
    assert response.status_code == 201, response.json()
    report_id = response.json()["id"]
    response = unit.post("/api/v1/monthly-reports/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["month"] == ["该项目2023年6月的月报已存在，不能重复填报。"]

    assert unit.post(f"/api/v1/monthly-reports/{report_id}/submit/").json()["status"] == "submitted"
    county = api_client_for(county_user)
    assert ids(county.get("/api/v1/monthly-reports/?status=submitted")) == {report_id}
    response = county.post(f"/api/v1/monthly-reports/{report_id}/return/", {})
    assert response.status_code == 400 and "reason" in response.json()
    response = county.post(f"/api/v1/monthly-reports/{report_id}/return/", {"reason": "面积有误"})
    assert response.json()["status"] == "returned" and response.json()["return_reason"] == "面积有误"

    response = unit.patch(f"/api/v1/monthly-reports/{report_id}/", {"new_start_area": "1300"}, format="json")
    assert response.status_code == 200
    unit.post(f"/api/v1/monthly-reports/{report_id}/submit/")
    body = county.post(f"/api/v1/monthly-reports/{report_id}/accept/").json()
    assert body["status"] == "accepted" and body["version"] == 2
    assert [(v["version"], v["status"]) for v in body["versions"]] == [(1, "returned"), (2, "accepted")]

    response = unit.patch(f"/api/v1/monthly-reports/{report_id}/", {"new_start_area": "1"}, format="json")
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == ["已接收的月报已锁定，不能修改。"]
    assert MonthlyReport.objects.get().new_start_area == Decimal("1300.00")


def test_a_report_for_a_project_outside_the_enterprise_is_refused(outsider, project):
    response = api_client_for(outsider).post(
        "/api/v1/monthly-reports/", {"project": project.pk, "year": 2023, "month": 6}, format="json"
    )
    assert response.status_code == 400
    assert "未参建该项目" in response.json()["project"][0]
    assert not MonthlyReport.objects.exists()


def test_the_reporter_cannot_accept_and_the_owner_cannot_fill(reporter, county_user, project):
    report = MonthlyReportFactory(project=project, status="submitted")
    assert api_client_for(reporter).post(f"/api/v1/monthly-reports/{report.pk}/accept/").status_code == 403
    response = api_client_for(county_user).post(
        "/api/v1/monthly-reports/", {"project": project.pk, "year": 2023, "month": 7}, format="json"
    )
    assert response.status_code == 403


def test_import_endpoint_returns_every_error_and_writes_nothing(reporter, project):
    upload = workbook_file([report_row(project.code, month=6, new=-1), report_row("NOPE", month=7)])
    upload.seek(0)
    response = api_client_for(reporter).post("/api/v1/monthly-reports/import/", {"file": upload}, format="multipart")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(2, "D"), (3, "A")]
    assert not MonthlyReport.objects.exists()

    upload = workbook_file([report_row(project.code, month=6)])
    response = api_client_for(reporter).post(
        "/api/v1/monthly-reports/import/", {"file": upload, "submit": "true"}, format="multipart"
    )
    assert response.status_code == 200 and response.json()["created"] == 1 and response.json()["submitted"] == 1


def test_template_and_exports_are_real_workbooks(reporter, county_user, project):
    MonthlyReportFactory(project=project, month=3, new_start_area=Decimal("1234.56"))
    response = api_client_for(reporter).get("/api/v1/monthly-reports/template/")
    assert response.status_code == 200
    assert load_workbook(BytesIO(response.content))["项目月报"]["A1"].value == "项目编号"
    for url, header in (
        ("/api/v1/projects/export/", "项目编号"),
        ("/api/v1/participants/export/", "项目编号"),
        ("/api/v1/constraint-records/export/", "项目编号"),
        ("/api/v1/monthly-reports/export/?month=3", "项目编号"),
    ):
        response = api_client_for(county_user).get(url)
        assert response.status_code == 200, url
        ws = load_workbook(BytesIO(response.content)).active
        assert ws["A1"].value == header
    ws = load_workbook(BytesIO(api_client_for(county_user).get("/api/v1/monthly-reports/export/").content)).active
    assert ws["H2"].value == 1234.56  # a real number, not text


def test_cultivation_ratio_endpoint(county_user, colleague, city_admin, outsider, county, other_county):
    for i in range(11):
        ProjectFactory(county=county, jingpin_status="cultivating" if i == 0 else "none")
    ProjectFactory(county=other_county, jingpin_status="certified")
    rows = api_client_for(county_user).get("/api/v1/cultivation-ratios/?year=2023").json()
    assert rows == [
        {
            "county": county.pk,
            "county_name": "高平市",
            "year": 2023,
            "library_count": 1,
            "total_count": 11,
            "percent": "9.09",
            "minimum_percent": "10.00",
            "below_minimum": True,
            "status_label": "低于10%",
        }
    ]
    city_rows = api_client_for(city_admin).get("/api/v1/cultivation-ratios/?year=2023").json()
    assert {r["county_name"]: r["below_minimum"] for r in city_rows} == {"高平市": True, "阳城县": False}
    below = api_client_for(city_admin).get("/api/v1/cultivation-ratios/?year=2023&below=true").json()
    assert [r["county_name"] for r in below] == ["高平市"]
    assert api_client_for(outsider).get("/api/v1/cultivation-ratios/").status_code == 403
    assert api_client_for(city_admin).get("/api/v1/cultivation-ratios/?year=x").status_code == 400


def test_participant_search_and_the_schema_of_the_projects_endpoints(county_user, project):
    ParticipantFactory(project=project, key_person="王建国")
    rows = api_client_for(county_user).get("/api/v1/participants/?q=王建国").json()["results"]
    assert [r["key_person"] for r in rows] == ["王建国"]

    from django.urls import include, path
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator(patterns=[path("api/v1/", include("projects.api.urls"))]).get_schema(public=True)
    assert "/api/v1/monthly-reports/{id}/return/" in schema["paths"]
    params = {p["name"] for p in schema["paths"]["/api/v1/participants/"]["get"]["parameters"]}
    assert {"q", "project", "county", "enterprise", "role", "insurance"} <= params


def test_anonymous_is_refused(api):
    for url in ("/api/v1/projects/", "/api/v1/monthly-reports/", "/api/v1/cultivation-ratios/"):
        assert api.get(url).status_code in (401, 403)


def test_a_monthly_report_belongs_to_the_enterprise_that_files_it(reporter, county_user, project):
    """Another participant of the same project neither sees nor changes the report (API and web), nor files a
    second one for the month; the county still reviews it."""
    from tests.factories import EnterpriseFactory
    from tests.projects.factories import ParticipantFactory, unit_user_of

    designer = EnterpriseFactory(kinds=["design"])
    ParticipantFactory(project=project, enterprise=designer, role="design")
    other = unit_user_of(designer, "designer_user")
    report_id = (
        api_client_for(reporter)
        .post("/api/v1/monthly-reports/", {"project": project.pk, "year": 2023, "month": 6}, format="json")
        .json()["id"]
    )
    assert MonthlyReport.objects.get(pk=report_id).enterprise_id == reporter.enterprise_id
    client = api_client_for(other)
    assert client.get(f"/api/v1/monthly-reports/{report_id}/").status_code == 404
    assert ids(client.get("/api/v1/monthly-reports/")) == set()
    assert client.patch(f"/api/v1/monthly-reports/{report_id}/", {"remarks": "改"}, format="json").status_code == 404
    assert client.post(f"/api/v1/monthly-reports/{report_id}/submit/").status_code == 404
    response = client.post("/api/v1/monthly-reports/", {"project": project.pk, "year": 2023, "month": 6}, format="json")
    assert response.status_code == 400
    assert response.json()["month"] == ["该项目2023年6月的月报已由其他参建单位填报，不能重复填报。"]
    from django.test import Client

    web = Client()
    web.force_login(other)
    assert web.get(f"/projects/reports/{report_id}/").status_code == 404
    assert MonthlyReport.objects.get(pk=report_id).remarks == ""
    assert ids(api_client_for(county_user).get("/api/v1/monthly-reports/")) == {report_id}
