"""A county with projects and participants, a roster of inspectors, and the users of every permission test."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import EnterpriseFactory, UserFactory
from tests.images import png_bytes
from tests.inspections.factories import InspectorFactory, PlanFactory
from tests.projects_factories import ParticipantFactory, ProjectFactory

PNG = png_bytes()  # a real picture: every uploaded image is decoded and re-encoded


@pytest.fixture
def projects(county):
    return [ProjectFactory(county=county, name=f"检查项目{i}") for i in range(6)]


@pytest.fixture
def contractor(projects):
    """The general contractor of every project (its unit user answers the notices)."""
    enterprise = EnterpriseFactory(name="晋城建工集团")
    for project in projects:
        ParticipantFactory(project=project, enterprise=enterprise, role="contractor")
    return enterprise


@pytest.fixture
def unit_user(contractor):
    return UserFactory(role="unit_user", enterprise=contractor, username="unit")


@pytest.fixture
def roster(db):
    return [InspectorFactory(user=UserFactory(role="expert", username=f"inspector{i}")) for i in range(5)]


@pytest.fixture
def plan(county, county_user):
    plan = PlanFactory(county=county, created_by=county_user, project_count=2, team_size=2)
    plan.scope_counties.set([county])
    return plan


@pytest.fixture
def drawn(plan, projects, contractor, roster, county_user, clock):
    from inspections import services

    return services.draw_plan(plan, user=county_user, public_value="3089.26")


@pytest.fixture
def inspection(drawn, county_user):
    from inspections import services

    inspection = drawn.inspections.order_by("draw_order").first()
    return services.record_inspection(
        inspection, user=county_user, inspected_on=dt.date(2024, 3, 5), summary="现场检查。"
    )
