"""Checklist templates: versioned once used; the green-construction pilot checklist is the projects' one."""

from __future__ import annotations

import datetime as dt

from inspections import services
from inspections.checklists import GREEN_PILOT
from inspections.models import ChecklistTemplate


def test_the_green_pilot_template_checks_on_site_what_the_project_checklist_judges(county):
    from projects.services import pilot_checklist
    from tests.projects_factories import ProjectFactory

    project = ProjectFactory(county=county, green_pilot=True)
    assert [text for _, text in GREEN_PILOT[2]] == [item.label for item in pilot_checklist(project)]


def test_a_used_template_is_frozen_and_a_change_makes_a_new_version(inspection, county_user):
    first = services.save_template("site", "现场检查表", [{"category": "质量", "text": "钢筋保护层"}])
    same = services.save_template("site", "现场检查表", [{"category": "质量", "text": "钢筋保护层厚度"}])
    assert same.pk == first.pk and same.version == 1  # unused: edited in place
    services.record_inspection(
        inspection,
        user=county_user,
        inspected_on=dt.date(2024, 3, 5),
        template=same,
        checklist={"0": "not_met", "7": "met"},
    )
    inspection.refresh_from_db()
    assert inspection.checklist == {"0": "not_met"}  # an index outside the template is dropped
    second = services.save_template("site", "现场检查表", [{"category": "质量", "text": "新检查项"}])
    assert second.version == 2 and second.pk != first.pk
    first.refresh_from_db()
    assert first.items == [{"category": "质量", "text": "钢筋保护层厚度"}] and not first.active
    assert services.current_template("site") == second
    assert ChecklistTemplate.objects.filter(code="site").count() == 2


def test_a_pilot_project_gets_the_pilot_checklist_by_default(county):
    from tests.projects_factories import ProjectFactory

    services.save_template("general", "通用", [{"category": "", "text": "通用项"}])
    services.save_template("green-pilot", "试点", [{"category": "", "text": "试点项"}])
    assert services.default_template_for(ProjectFactory(county=county, green_pilot=True)).code == "green-pilot"
    assert services.default_template_for(ProjectFactory(county=county)).code == "general"


def test_list_endpoints_make_a_constant_number_of_queries(drawn, county_user, django_assert_max_num_queries):
    from tests.conftest import api_client_for

    api = api_client_for(county_user)
    for url in ("/api/v1/inspection-plans/", "/api/v1/inspections/"):
        with django_assert_max_num_queries(8):
            assert api.get(url).status_code == 200
