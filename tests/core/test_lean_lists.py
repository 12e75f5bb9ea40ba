"""Lists cost what their rows cost: lean list rows, few queries, planner-estimated counts, orjson output."""

import datetime as dt
import json
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer

from assessment.api.serializers import SUBMISSION_DETAIL_ONLY
from core.api.renderers import ORJSONRenderer
from projects.models import Project
from tests.api_mixins import query_count
from tests.assessment.test_api import _county_with_months
from tests.conftest import api_client_for
from tests.evaluation.factories import (
    full_scores,
    library_project,
    make_expert,
    open_evaluation,
    seed_templates,
    submit,
)
from tests.factories import CountyFactory, UserFactory
from tests.projects_factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_submission_list_rows_leave_nested_data_to_the_detail():
    _, staff, subs = _county_with_months(2)
    api = api_client_for(staff)
    row = api.get("/api/v1/assessment/submissions/").json()["results"][0]
    detail = api.get(f"/api/v1/assessment/submissions/{row['id']}/").json()
    assert not set(SUBMISSION_DETAIL_ONLY) & set(row)
    assert set(row) < set(detail), "the list row is a subset of the detail"
    assert len(detail["item_scores"]) > 0 and {"adjustments", "comments", "prefilled"} <= set(detail)
    assert {k: detail[k] for k in row} == row, "shared fields have the same values"


def test_evaluation_list_rows_leave_the_panel_to_the_detail():
    seed_templates()
    county = CountyFactory()
    staff = UserFactory(role="county_staff", region=county)
    experts = [make_expert(f"lean_expert{i}") for i in range(3)]
    evaluation = open_evaluation(library_project(county), staff, experts)
    submit(evaluation, experts[0], full_scores(evaluation))
    api = api_client_for(staff)
    row = api.get("/api/v1/evaluations/").json()["results"][0]
    detail = api.get(f"/api/v1/evaluations/{row['id']}/").json()
    assert "panel" not in row and len(detail["panel"]) == 3
    assert set(row) < set(detail)
    assert (row["panel_size"], row["submitted_count"]) == (3, 1)
    assert {k: detail[k] for k in row} == row


def test_submission_and_evaluation_lists_make_no_query_per_row():
    """Without the nested rows the lists need no prefetch at all: 12 rows cost what 1 row costs."""
    _, staff, _ = _county_with_months(12)
    api = api_client_for(staff)
    one, _ = query_count(api, "/api/v1/assessment/submissions/?page_size=1")
    twelve, response = query_count(api, "/api/v1/assessment/submissions/?page_size=12")
    assert one == twelve and len(response.json()["results"]) == 12
    with CaptureQueriesContext(connection) as ctx:
        api.get("/api/v1/assessment/submissions/?page_size=12")
    assert not any("assessment_itemscore" in q["sql"] for q in ctx.captured_queries)


def _analyze(model):
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {model._meta.db_table}")


planner_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the estimate is PostgreSQL's planner statistics (CI runs PostgreSQL)"
)


@planner_only
def test_unfiltered_list_of_a_huge_table_shows_the_planner_estimate(settings, city_admin):
    ProjectFactory.create_batch(3)
    _analyze(Project)  # the planner now counts 3 rows; two more arrive after the statistics
    ProjectFactory.create_batch(2)
    api = api_client_for(city_admin)

    settings.EXACT_COUNT_LIMIT = 2  # "huge" = at least 2 rows
    body = api.get("/api/v1/projects/?page_size=1").json()
    assert (body["count"], body["count_is_estimate"]) == (3, True)
    with CaptureQueriesContext(connection) as ctx:
        api.get("/api/v1/projects/?page_size=1")
    assert not any('AS "__count"' in q["sql"] for q in ctx.captured_queries), "no COUNT(*) of the table"

    year = Project.objects.values_list("year", flat=True).first()
    filtered = api.get(f"/api/v1/projects/?year={year}").json()
    assert filtered["count"] == Project.objects.filter(year=year).count()
    assert "count_is_estimate" not in filtered

    settings.EXACT_COUNT_LIMIT = 1000  # a small table is always counted exactly
    body = api.get("/api/v1/projects/").json()
    assert body["count"] == 5 and "count_is_estimate" not in body


def test_scoped_lists_are_counted_exactly(settings, county, county_user):
    ProjectFactory.create_batch(2, county=county)
    ProjectFactory.create_batch(3)
    _analyze(Project)
    settings.EXACT_COUNT_LIMIT = 1
    body = api_client_for(county_user).get("/api/v1/projects/").json()
    assert body["count"] == 2 and "count_is_estimate" not in body


@planner_only
def test_web_list_says_the_count_is_an_estimate(settings, client, city_admin):
    ProjectFactory.create_batch(3)
    _analyze(Project)
    settings.EXACT_COUNT_LIMIT = 2
    client.force_login(city_admin)
    html = client.get("/projects/list/").content.decode()
    assert "共约 3 条" in html
    settings.EXACT_COUNT_LIMIT = 0
    assert "共 3 条" in client.get("/projects/list/").content.decode()


def test_orjson_renderer_writes_what_drfs_renderer_writes():
    data = {
        "count": 2,
        "when": dt.datetime(2023, 6, 5, 8, 30, tzinfo=dt.UTC),
        "day": dt.date(2023, 6, 5),
        "score": D("12.50"),
        "label": gettext_lazy("状态"),
        "ids": {1: "一", 2: "二"},
        "nested": [{"name": "泽州县", "ok": True, "none": None}],
    }
    ours = ORJSONRenderer().render(data, "application/json")
    drf = JSONRenderer().render(data, "application/json")
    assert json.loads(ours) == json.loads(drf)
    assert "泽州县".encode() in ours, "UTF-8, not \\u escapes"


def test_the_api_answers_through_the_orjson_renderer(city_admin):
    response = api_client_for(city_admin).get("/api/v1/projects/")
    assert isinstance(response.accepted_renderer, ORJSONRenderer)
    assert response["Content-Type"] == "application/json"


def test_project_list_loads_only_the_participants_with_an_insurance_problem(city_admin, clock):
    from projects.models import Participant
    from tests.projects_factories import ParticipantFactory

    project = ProjectFactory()
    insured = ParticipantFactory(project=project)
    uninsured = ParticipantFactory(project=project, role=insured.role, insurance_policy_no="")
    assert insured.insurance_problem() is None and uninsured.insurance_problem()
    api = api_client_for(city_admin)
    row = api.get("/api/v1/projects/").json()["results"][0]
    detail = api.get(f"/api/v1/projects/{project.pk}/").json()
    assert row["insurance_warnings"] == detail["insurance_warnings"] == [uninsured.insurance_problem()]
    with CaptureQueriesContext(connection) as ctx:
        api.get("/api/v1/projects/")
    participant_sql = [q["sql"] for q in ctx.captured_queries if 'FROM "projects_participant"' in q["sql"]]
    assert participant_sql and all("insurance_valid_until" in sql.split(" WHERE ", 1)[1] for sql in participant_sql)
    assert Participant.objects.count() == 2


def test_display_fields_print_the_choice_label():
    from core.api.fields import DisplayField

    project = ProjectFactory(stage="construction")
    field = DisplayField("stage")
    field.bind("stage_display", None)
    assert field.to_representation(project) == project.get_stage_display() == "施工"
    assert field.read_only


@planner_only
def test_an_unfiltered_lists_count_is_kept_until_a_row_is_added_or_deleted(settings, city_admin):
    settings.DASHBOARD_CACHE_SECONDS, settings.LIST_CACHE = 600, True  # as with CACHE_URL (a shared cache)
    settings.KEEP_COUNTS_FROM = 0  # keep even this small table's count (by default only from 10,000 rows)
    ProjectFactory.create_batch(3)
    api = api_client_for(city_admin)
    assert api.get("/api/v1/projects/?page_size=1").json()["count"] == 3
    with CaptureQueriesContext(connection) as ctx:
        assert api.get("/api/v1/projects/?page_size=1").json()["count"] == 3
    assert not any("reltuples" in q["sql"] or "COUNT(" in q["sql"] for q in ctx.captured_queries), "counted again"

    extra = ProjectFactory()  # an insert drops the kept count
    assert api.get("/api/v1/projects/?page_size=1").json()["count"] == 4
    Project.objects.filter(pk=extra.pk).update(name="改名")  # an update leaves it (the count is the same)
    assert api.get("/api/v1/projects/?page_size=1").json()["count"] == 4
    extra.delete()
    assert api.get("/api/v1/projects/?page_size=1").json()["count"] == 3
    year = Project.objects.values_list("year", flat=True).first()
    assert api.get(f"/api/v1/projects/?year={year}").json()["count"] == Project.objects.filter(year=year).count()


@pytest.mark.parametrize(("shared", "keep_from"), [(False, 0), (True, 10_000)])
def test_without_a_shared_cache_or_for_a_small_table_nothing_is_kept(settings, city_admin, shared, keep_from):
    """Each process's own memory cannot hear another process's insert, and a small table's count is cheap: such
    counts are made every time."""
    settings.DASHBOARD_CACHE_SECONDS, settings.LIST_CACHE, settings.KEEP_COUNTS_FROM = 600, shared, keep_from
    ProjectFactory.create_batch(2)
    api = api_client_for(city_admin)
    assert api.get("/api/v1/projects/").json()["count"] == 2
    from django.core.cache import cache

    cache.set("dashboard:version:projects.project", "frozen", None)  # as if another process's bump never arrived
    from core.panel_cache import _bump_rows

    ProjectFactory()
    cache.set("dashboard:version:projects.project", "frozen", None)
    assert api.get("/api/v1/projects/").json()["count"] == 3
    assert _bump_rows  # the signal is connected either way
