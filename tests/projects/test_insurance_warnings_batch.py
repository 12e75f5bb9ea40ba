"""A list page reads its projects' insurance warnings in one query of plain values
(projects.models.attach_insurance_warnings): the same texts, in the same order, as the one rule read per participant."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import Project, attach_insurance_warnings
from tests.conftest import at
from tests.projects_factories import ParticipantFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_the_batch_read_gives_the_texts_of_the_rule_for_every_case(clock, county):
    clock.move_to(at(2024, 6, 1, 9))
    mixed = ProjectFactory(county=county)
    ParticipantFactory(project=mixed, role="contractor")  # insured: no warning
    ParticipantFactory(project=mixed, role="supervisor", insurance_policy_no="")  # missing
    ParticipantFactory(project=mixed, role="design", insurance_valid_until=dt.date(2024, 5, 31))  # expired yesterday
    ParticipantFactory(project=mixed, role="survey", insurance_valid_until=dt.date(2024, 6, 1))  # valid today
    ParticipantFactory(project=mixed, role="builder", insurance_policy_no="")  # no insurance required
    clean = ProjectFactory(county=county)
    ParticipantFactory(project=clean, role="contractor")
    empty = ProjectFactory(county=county)

    projects = list(Project.objects.filter(pk__in=[mixed.pk, clean.pk, empty.pk]).order_by("pk"))
    with CaptureQueriesContext(connection) as ctx:
        attach_insurance_warnings(projects)
    assert len(ctx.captured_queries) == 1
    for project in projects:
        full = Project.objects.prefetch_related("participants__enterprise").get(pk=project.pk).insurance_warnings()
        assert project.insurance_warnings() == full
    warnings = projects[0].insurance_warnings()
    assert len(warnings) == 2
    assert any("未投保监理责任险" in w for w in warnings)
    assert any("设计责任险已于2024-05-31过期" in w for w in warnings)
    assert projects[1].insurance_warnings() == projects[2].insurance_warnings() == []
    # Another date asks the rule again (the page's warnings are today's).
    assert projects[0].insurance_warnings(on_date=dt.date(2024, 5, 1)) == [w for w in warnings if "未投保" in w]


def test_the_web_list_and_the_api_list_show_the_batch_warnings(clock, county, city_admin, client):
    from tests.conftest import api_client_for

    clock.move_to(at(2024, 6, 1, 9))
    project = ProjectFactory(county=county)
    participant = ParticipantFactory(project=project, role="supervisor", insurance_policy_no="")
    text = participant.insurance_problem()
    assert api_client_for(city_admin).get("/api/v1/projects/").json()["results"][0]["insurance_warnings"] == [text]
    client.force_login(city_admin)
    page = client.get("/projects/list/").content.decode()
    assert "⚠ 1项" in page and text in page
