"""accounts/roles.py: every predicate for every kind of user, in and out of scope (one table)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from accounts import roles
from tests.factories import CountyFactory, EnterpriseFactory, UserFactory
from tests.projects_factories import ParticipantFactory, ProjectFactory

# The people of the table: who they are relative to county "own" / enterprise "own" / the project of both.
PEOPLE = [
    "city_admin",
    "staff_own",  # county staff of the project's county
    "staff_other",  # county staff of another county
    "staff_inactive",  # county staff of the project's county, account deactivated
    "staff_no_region",  # county staff without a county (bad data): never in scope
    "expert",
    "unit_own",  # unit user of the enterprise that participates
    "unit_other",  # unit user of an unrelated enterprise
    "anonymous",
]

# predicate -> the people for whom it is True (everyone else: False)
EXPECTED = {
    "is_signed_in": {
        "city_admin",
        "staff_own",
        "staff_other",
        "staff_no_region",
        "expert",
        "unit_own",
        "unit_other",
    },
    "is_city_admin": {"city_admin"},
    "has_role_managers": {"city_admin", "staff_own", "staff_other", "staff_no_region"},
    "has_role_unit_users": {"unit_own", "unit_other"},
    "can_manage_county": {"city_admin", "staff_own"},
    "can_manage_county_by_id": {"city_admin", "staff_own"},
    "is_county_staff_of": {"staff_own"},
    "can_manage_project": {"city_admin", "staff_own"},
    "is_member_of": {"unit_own"},
    "can_see_project": {"city_admin", "staff_own", "unit_own"},
}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    own, other = CountyFactory(name="高平市"), CountyFactory(name="阳城县")
    enterprise, stranger = EnterpriseFactory(), EnterpriseFactory()
    project = ProjectFactory(county=own)
    ParticipantFactory(project=project, enterprise=enterprise)
    people = {
        "city_admin": UserFactory(role="city_admin"),
        "staff_own": UserFactory(role="county_staff", region=own),
        "staff_other": UserFactory(role="county_staff", region=other),
        "staff_inactive": UserFactory(role="county_staff", region=own, is_active=False),
        "staff_no_region": UserFactory(role="county_staff", region=None),
        "expert": UserFactory(role="expert"),
        "unit_own": UserFactory(role="unit_user", enterprise=enterprise),
        "unit_other": UserFactory(role="unit_user", enterprise=stranger),
        "anonymous": AnonymousUser(),
    }
    return {"people": people, "county": own, "enterprise": enterprise, "project": project}


def ask(predicate: str, user, world) -> bool:
    calls = {
        "is_signed_in": lambda: roles.is_signed_in(user),
        "is_city_admin": lambda: roles.is_city_admin(user),
        "has_role_managers": lambda: roles.has_role(user, roles.MANAGERS),
        "has_role_unit_users": lambda: roles.has_role(user, roles.UNIT_USERS),
        "can_manage_county": lambda: roles.can_manage_county(user, world["county"]),
        "can_manage_county_by_id": lambda: roles.can_manage_county(user, world["county"].pk),
        "is_county_staff_of": lambda: roles.is_county_staff_of(user, world["county"]),
        "can_manage_project": lambda: roles.can_manage_project(user, world["project"]),
        "is_member_of": lambda: roles.is_member_of(user, world["enterprise"]),
        "can_see_project": lambda: roles.can_see(user, world["project"]),
    }
    return calls[predicate]()


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("predicate", sorted(EXPECTED))
def test_predicate_table(world, predicate, person):
    assert ask(predicate, world["people"][person], world) is (person in EXPECTED[predicate])


def test_none_is_never_in_scope(world):
    for predicate in EXPECTED:
        assert ask(predicate, None, world) is False, predicate


@pytest.mark.parametrize("person", PEOPLE)
def test_guards_raise_exactly_where_the_predicate_is_false(world, person):
    user = world["people"][person]
    if person in EXPECTED["is_city_admin"]:
        roles.require_city_admin(user, "调整设置")
    else:
        with pytest.raises(PermissionDenied, match="只有市局管理员可以调整设置。"):
            roles.require_city_admin(user, "调整设置")
    if person in EXPECTED["can_manage_project"]:
        roles.require_project_manager(user, world["project"])
    else:
        with pytest.raises(PermissionDenied, match="项目所在县"):
            roles.require_project_manager(user, world["project"])


def test_groups_are_made_of_the_user_model_roles():
    from accounts.models import User

    assert set(roles.ALL_ROLES) == set(User.Role.values)
    assert roles.MANAGERS == ("city_admin", "county_staff")
    assert set(roles.MANAGERS_AND_UNITS) == {"city_admin", "county_staff", "unit_user"}
    assert set(roles.MANAGERS_AND_EXPERTS) == {"city_admin", "county_staff", "expert"}
    for group in (roles.CITY_ADMINS, roles.COUNTY_STAFF, roles.EXPERTS, roles.UNIT_USERS):
        assert len(group) == 1 and group[0] in User.Role.values
