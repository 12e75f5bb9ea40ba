"""Apps plug into a project's stage changes through projects.services.register_stage_listener (the disclosure app
reminds a county of a project reaching 施工 unpublished — seed 001 二(一)1 "主动公示项目地点、主体责任单位、项目负责人")."""

import pytest

from projects import services
from projects.models import Project, StageChange
from tests.projects_factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard(monkeypatch):
    changes = []
    monkeypatch.setattr(services, "_stage_listeners", [changes.append])
    return changes


def test_a_stage_change_reaches_the_listeners(county, county_user, heard):
    project = ProjectFactory(county=county, stage="tender")
    change = services.change_stage(project, "construction", user=county_user)
    assert heard == [change] and heard[0].to_stage == "construction" and heard[0].project.stage == "construction"


def test_a_new_project_s_first_stage_reaches_the_listeners(county, county_user, heard):
    project = services.create_project(
        {"code": "JC-2024-0100", "name": "泽州县第二中学教学楼", "year": 2024, "category": "building"},
        user=county_user,
        stage="construction",
    )
    assert [(c.project_id, c.to_stage) for c in heard] == [(project.pk, "construction")]


def test_a_failing_listener_undoes_the_stage_change(county, county_user, monkeypatch):
    def broken(change):
        raise RuntimeError("listener failed")

    monkeypatch.setattr(services, "_stage_listeners", [broken])
    project = ProjectFactory(county=county, stage="tender")
    with pytest.raises(RuntimeError):
        services.change_stage(project, "construction", user=county_user)
    assert Project.objects.get(pk=project.pk).stage == "tender"
    assert not StageChange.objects.filter(project=project).exists()


def test_the_disclosure_app_registers_its_reminder():
    from disclosure.notices import on_stage_change

    assert on_stage_change in services._stage_listeners
