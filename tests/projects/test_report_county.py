"""Monthly reports carry their project's county: set on creation, moved with a corrected county, and used
alone (no join to the projects) by the county's list and the per-county sums."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment import prefill
from projects import services
from projects.models import MonthlyReport, Project
from tests.conftest import api_client_for
from tests.factories import CountyFactory, UserFactory
from tests.projects_factories import MonthlyReportFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_a_new_report_takes_its_projects_county():
    report = MonthlyReportFactory()
    assert report.county_id == report.project.county_id
    assert MonthlyReport.objects.get(pk=report.pk).county_id == report.project.county_id


def test_correcting_a_projects_county_moves_its_reports(city_admin):
    wrong, right = CountyFactory(name="阳城县"), CountyFactory(name="沁水县")
    project = ProjectFactory(county=wrong)
    other = ProjectFactory(county=wrong)
    for month in (4, 5, 6):
        MonthlyReportFactory(project=project, month=month)
    untouched = MonthlyReportFactory(project=other)

    services.update_project(project, {"county": right}, user=city_admin)

    assert set(MonthlyReport.objects.filter(project=project).values_list("county_id", flat=True)) == {right.pk}
    untouched.refresh_from_db()
    assert untouched.county_id == wrong.pk, "another project's reports stay where they are"


def test_a_county_corrected_outside_the_service_also_moves_the_reports():
    """The admin and imports save the project directly: the model keeps the copy right."""
    wrong, right = CountyFactory(), CountyFactory()
    project = ProjectFactory(county=wrong)
    MonthlyReportFactory(project=project)
    project = Project.objects.get(pk=project.pk)
    project.county = right
    project.save()
    assert MonthlyReport.objects.get(project=project).county_id == right.pk


def test_saving_a_project_without_a_county_change_costs_no_report_update():
    project = ProjectFactory()
    MonthlyReportFactory(project=project)
    project = Project.objects.get(pk=project.pk)
    project.name = "改名"
    with CaptureQueriesContext(connection) as ctx:
        project.save()
    assert not any("projects_monthlyreport" in q["sql"] for q in ctx.captured_queries)


def test_county_staff_see_their_reports_through_the_reports_own_county():
    county, other = CountyFactory(), CountyFactory()
    staff = UserFactory(role="county_staff", region=county)
    mine = MonthlyReportFactory(project=ProjectFactory(county=county))
    MonthlyReportFactory(project=ProjectFactory(county=other))
    api = api_client_for(staff)
    with CaptureQueriesContext(connection) as ctx:
        body = api.get("/api/v1/monthly-reports/").json()
    assert [row["id"] for row in body["results"]] == [mine.pk]
    wheres = [
        q["sql"].split(" WHERE ", 1)[1] for q in ctx.captured_queries if 'FROM "projects_monthlyreport"' in q["sql"]
    ]
    assert wheres and all('"projects_monthlyreport"."county_id" =' in where for where in wheres)
    assert all("projects_project" not in where for where in wheres), "the scope needs no join"


def test_the_county_filter_reads_the_reports_county():
    county = CountyFactory()
    mine = MonthlyReportFactory(project=ProjectFactory(county=county))
    MonthlyReportFactory()
    admin = UserFactory(role="city_admin")
    body = api_client_for(admin).get(f"/api/v1/monthly-reports/?county={county.pk}").json()
    assert [row["id"] for row in body["results"]] == [mine.pk]


def test_county_sums_are_one_query_on_the_reports_alone():
    a, b = CountyFactory(), CountyFactory()
    for county, area in ((a, "100.00"), (a, "50.00"), (b, "7.00")):
        MonthlyReportFactory(project=ProjectFactory(county=county), status="accepted", new_start_area=area)
    with CaptureQueriesContext(connection) as ctx:
        figures = prefill.counties_month_figures(2023, 6, [a.pk, b.pk])
    assert len(ctx.captured_queries) == 1
    assert "projects_project" not in ctx.captured_queries[0]["sql"]
    assert figures[a.pk].report_count == 2 and figures[b.pk].report_count == 1
