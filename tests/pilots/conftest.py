"""A pilot's cast: the project (高平市), its 建设单位 and that unit's user, a colleague of the same enterprise,
three experts, the city admin and the county staff (fixtures of tests/conftest.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from pilots import services
from pilots.choices import Milestone
from pilots.seed import demo_targets, plan_document
from tests.factories import EnterpriseFactory, UserFactory
from tests.projects_factories import ParticipantFactory, ProjectFactory


@pytest.fixture
def builder(db):
    return EnterpriseFactory(name="晋城市建设投资有限公司")


@pytest.fixture
def project(county, builder):
    project = ProjectFactory(county=county, category="building", government_invested=True)
    ParticipantFactory(project=project, enterprise=builder, role="builder")
    return project


@pytest.fixture
def owner(builder):
    return UserFactory(role="unit_user", enterprise=builder, username="builder_user")


@pytest.fixture
def builder_colleague(builder):
    return UserFactory(role="unit_user", enterprise=builder, username="builder_colleague")


@pytest.fixture
def experts(db):
    return [UserFactory(role="expert", username=f"pexpert{i}", enterprise=EnterpriseFactory()) for i in range(3)]


@pytest.fixture
def applied(project, owner, clock):
    return services.apply(project, user=owner, document=plan_document(), targets=demo_targets(0))


def review_round(pilot, experts, *, passed=True):
    pilot.refresh_from_db()
    for review in pilot.reviews.filter(round=pilot.revision):
        services.record_opinion(review, user=review.expert, passed=passed, opinion="意见")


def approved_pilot(pilot, owner, city_admin, experts):
    services.submit(pilot, user=owner)
    services.assign_reviewers(pilot, user=city_admin, experts=experts)
    review_round(pilot, experts)
    services.decide(pilot, user=city_admin, approve=True, note="同意", on=dt.date(2023, 3, 1))
    pilot.refresh_from_db()
    return pilot


def completed_pilot(pilot, owner, city_admin, experts):
    approved_pilot(pilot, owner, city_admin, experts)
    services.record_milestone(pilot, user=owner, milestone=Milestone.PLANNING, completed_on=dt.date(2023, 3, 2))
    services.record_milestone(pilot, user=owner, milestone=Milestone.DESIGN, completed_on=dt.date(2023, 6, 1))
    services.record_milestone(pilot, user=owner, milestone=Milestone.CONSTRUCTION, completed_on=dt.date(2024, 1, 10))
    pilot.refresh_from_db()
    return pilot
