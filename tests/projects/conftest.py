import pytest

from tests.projects.factories import ParticipantFactory, ProjectFactory, contractor_with_user


@pytest.fixture
def project(county):
    return ProjectFactory(county=county, code="JC-2023-0001", name="高平市第一中学教学楼")


@pytest.fixture
def reporter(project):
    """A unit user whose enterprise builds ``project`` (may fill its monthly reports)."""
    return contractor_with_user(project, "reporter")


@pytest.fixture
def other_project(other_county):
    project = ProjectFactory(county=other_county, code="JC-2023-0999", name="阳城县体育馆")
    ParticipantFactory(project=project)
    return project
