"""Managing accounts in the app (issue 23): who may create, edit, deactivate and issue a set-password link to whom.

The expected outcomes come from the hand-written tables below, not from ``accounts.roles``: the city manages county
staff, experts and unit users (never another city admin); county staff manage the unit users of enterprises active
in their county (registered there, or taking part in one of its projects), never staff; an enterprise's
administrator manages the other users of its own enterprise only.
"""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import ApiToken, PasswordLink, SecurityEvent, User
from accounts.security import issue_token
from core.registry import nav_for
from tests.conftest import api_client_for
from tests.factories import CountyFactory, EnterpriseFactory, UserFactory
from tests.projects_factories import ParticipantFactory, ProjectFactory


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


ACTORS = ["superuser", "city_admin", "county_staff", "enterprise_admin", "unit_user", "expert", "anonymous"]
TARGETS = [
    "city_admin_peer",
    "county_staff_same",  # staff of the county of the county-staff actor
    "county_staff_other",
    "expert_target",
    "colleague",  # a plain unit user of the enterprise administrator's enterprise (registered in the county)
    "admin_peer",  # another administrator of that enterprise
    "unit_participating",  # a unit user of an enterprise of another county that works on a project of the county
    "unit_same_county",  # a unit user of another enterprise registered in the county
    "unit_other_county",  # a unit user of an enterprise registered elsewhere, no project in the county
]
MAY_MANAGE = {
    "superuser": set(TARGETS),
    "city_admin": set(TARGETS) - {"city_admin_peer"},
    "county_staff": {"colleague", "admin_peer", "unit_participating", "unit_same_county"},
    "enterprise_admin": {"colleague"},
    "unit_user": set(),
    "expert": set(),
    "anonymous": set(),
}


def make_people():
    own, other = CountyFactory(name="高平市"), CountyFactory(name="阳城县")
    firm = EnterpriseFactory(name="高平建工", region=own)
    neighbour = EnterpriseFactory(name="高平监理", region=own)
    visitor = EnterpriseFactory(name="阳城安装", region=other)
    stranger = EnterpriseFactory(name="阳城设计", region=other)
    ParticipantFactory(project=ProjectFactory(county=own), enterprise=visitor)
    ParticipantFactory(project=ProjectFactory(county=other), enterprise=stranger)
    unit = {"role": "unit_user"}
    return {
        "superuser": UserFactory(username="root", role="city_admin", is_staff=True, is_superuser=True),
        "city_admin": UserFactory(username="city", role="city_admin"),
        "city_admin_peer": UserFactory(username="city2", role="city_admin"),
        "county_staff": UserFactory(username="gaoping", role="county_staff", region=own),
        "county_staff_same": UserFactory(username="gaoping2", role="county_staff", region=own),
        "county_staff_other": UserFactory(username="yangcheng", role="county_staff", region=other),
        "expert": UserFactory(username="expert1", role="expert"),
        "expert_target": UserFactory(username="expert2", role="expert"),
        "enterprise_admin": UserFactory(username="firm_admin", enterprise=firm, is_enterprise_admin=True, **unit),
        "admin_peer": UserFactory(username="firm_admin2", enterprise=firm, is_enterprise_admin=True, **unit),
        "colleague": UserFactory(username="firm_clerk", enterprise=firm, **unit),
        "unit_user": UserFactory(username="firm_clerk2", enterprise=firm, **unit),
        "unit_participating": UserFactory(username="visitor1", enterprise=visitor, **unit),
        "unit_same_county": UserFactory(username="neighbour1", enterprise=neighbour, **unit),
        "unit_other_county": UserFactory(username="stranger1", enterprise=stranger, **unit),
    }


def web(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def api(user):
    return api_client_for(user)


def perform(action: str, actor: User | None, target: User) -> tuple[int, bool]:
    """Do the action; returns (status, whether it took effect)."""
    if action == "web_deactivate":
        response = web(actor).post(f"/accounts/users/{target.pk}/deactivate/", {"reason": "离职"})
        target.refresh_from_db()
        return response.status_code, not target.is_active
    if action == "api_deactivate":
        response = api(actor).post(f"/api/v1/users/{target.pk}/deactivate/", {"reason": "离职"}, format="json")
        target.refresh_from_db()
        return response.status_code, not target.is_active
    if action == "api_edit":
        response = api(actor).patch(f"/api/v1/users/{target.pk}/", {"name": "改过的名字"}, format="json")
        target.refresh_from_db()
        return response.status_code, target.name == "改过的名字"
    if action == "web_edit":
        page = web(actor).get(f"/accounts/users/{target.pk}/edit/")
        data = {}
        if page.status_code == 200:
            form = page.context["form"]
            data = {name: form[name].value() for name in form.fields}
            data = {k: ("" if v is None else v) for k, v in data.items() if v is not False}
        data["name"] = "改过的名字"
        response = web(actor).post(f"/accounts/users/{target.pk}/edit/", data)
        target.refresh_from_db()
        return response.status_code, target.name == "改过的名字"
    # web_link
    response = web(actor).post(f"/accounts/users/{target.pk}/password-link/")
    return response.status_code, PasswordLink.objects.filter(user=target).exists()


SUCCESS = {"web_deactivate": 302, "api_deactivate": 200, "api_edit": 200, "web_edit": 302, "web_link": 302}
CASES = [(action, actor, target) for action in SUCCESS for actor in ACTORS for target in TARGETS]


@pytest.mark.parametrize(("action", "actor", "target"), CASES)
def test_a_management_action_reaches_exactly_the_accounts_in_the_actors_charge(db, action, actor, target):
    people = make_people()
    actor_user, target_user = people.get(actor), people[target]
    status, took_effect = perform(action, actor_user, target_user)
    if target in MAY_MANAGE[actor]:
        assert took_effect, (action, actor, target, status)
        assert status == SUCCESS[action]
    else:
        assert not took_effect, (action, actor, target, status)
        assert status in (302, 401, 403, 404)
        if status == 302:
            assert actor == "anonymous"  # to the sign-in page


# --- creating: which kind of account each actor may create ------------------------------------------------------
NEW_KINDS = {
    "city_admin": {"role": "city_admin"},
    "county_staff_same": {"role": "county_staff", "region": "own"},
    "county_staff_other": {"role": "county_staff", "region": "other"},
    "expert": {"role": "expert"},
    "unit_firm": {"role": "unit_user", "enterprise": "firm"},
    "unit_visitor": {"role": "unit_user", "enterprise": "visitor"},
    "unit_stranger": {"role": "unit_user", "enterprise": "stranger"},
}
MAY_CREATE = {
    "superuser": set(NEW_KINDS),
    "city_admin": set(NEW_KINDS) - {"city_admin"},
    "county_staff": {"unit_firm", "unit_visitor"},
    "enterprise_admin": {"unit_firm"},  # always for its own enterprise, whatever was asked
    "unit_user": set(),
    "expert": set(),
}


def _payload(people, kind: str) -> dict:
    spec = NEW_KINDS[kind]
    firm = people["colleague"].enterprise
    enterprises = {
        "firm": firm,
        "visitor": people["unit_participating"].enterprise,
        "stranger": people["unit_other_county"].enterprise,
    }
    data = {"username": f"new_{kind}", "name": "新同事", "role": spec["role"], "email": f"{kind}@example.cn"}
    if "region" in spec:
        data["region"] = people["county_staff" if spec["region"] == "own" else "county_staff_other"].region_id
    if "enterprise" in spec:
        data["enterprise"] = enterprises[spec["enterprise"]].pk
    return data


@pytest.mark.parametrize("channel", ["web", "api"])
@pytest.mark.parametrize("actor", list(MAY_CREATE))
@pytest.mark.parametrize("kind", list(NEW_KINDS))
def test_an_actor_creates_exactly_the_accounts_it_may(
    db, channel, actor, kind, mailoutbox, django_capture_on_commit_callbacks
):
    people = make_people()
    data = _payload(people, kind)
    with django_capture_on_commit_callbacks(execute=True):
        if channel == "web":
            response = web(people[actor]).post("/accounts/users/new/", data)
            ok = response.status_code == 302 and "/link/" in response["Location"]
        else:
            response = api(people[actor]).post("/api/v1/users/", data, format="json")
            ok = response.status_code == 201
    created = User.objects.filter(username=data["username"]).first()
    expected = kind in MAY_CREATE[actor]
    if actor == "enterprise_admin" and kind.startswith("unit_") and channel == "web":
        expected = True  # its form has no enterprise field: the new user joins its own enterprise
    assert (created is not None) == expected, (actor, kind, response.status_code)
    assert ok == expected
    if expected:
        if actor == "enterprise_admin":
            assert created.enterprise == people["enterprise_admin"].enterprise and not created.is_enterprise_admin
        assert not created.has_usable_password()  # nobody typed a password
        assert PasswordLink.objects.filter(user=created).count() == 1
        assert SecurityEvent.objects.filter(kind="user_created", user=created, actor=people[actor]).exists()
        assert [m.to for m in mailoutbox] == [[data["email"]]]
        assert "/accounts/set-password/" in mailoutbox[0].body
    else:
        assert response.status_code in (200, 400, 403)  # the web form re-shown (a role it may not choose) or 403


def test_an_edit_may_not_move_an_account_out_of_the_actors_reach(db):
    """County staff may not promote a unit user to county staff, nor move it to an enterprise of another county;
    an enterprise administrator may not make a colleague an administrator."""
    people = make_people()
    county, target = people["county_staff"], people["colleague"]
    client = api(county)
    promoted = client.patch(
        f"/api/v1/users/{target.pk}/", {"role": "county_staff", "region": county.region_id}, format="json"
    )
    assert promoted.status_code == 403
    moved = client.patch(
        f"/api/v1/users/{target.pk}/", {"enterprise": people["unit_other_county"].enterprise_id}, format="json"
    )
    assert moved.status_code == 403
    crowned = api(people["enterprise_admin"]).patch(
        f"/api/v1/users/{target.pk}/", {"is_enterprise_admin": True}, format="json"
    )
    assert crowned.status_code == 403
    target.refresh_from_db()
    assert (target.role, target.enterprise, target.is_enterprise_admin) == (
        "unit_user",
        people["enterprise_admin"].enterprise,
        False,
    )
    # the county may make a unit user of its county its enterprise's administrator
    assert client.patch(f"/api/v1/users/{target.pk}/", {"is_enterprise_admin": True}, format="json").status_code == 200
    target.refresh_from_db()
    assert target.is_enterprise_admin
    event = SecurityEvent.objects.filter(kind="user_updated", user=target).latest("at")
    assert event.actor == county and "单位管理员" in event.detail


def test_deactivation_keeps_the_account_and_ends_its_access(db, client):
    people = make_people()
    target = people["colleague"]
    target.set_password("Test@12345")
    target.save()
    issue_token(target, "脚本")
    PasswordLink.objects.all().delete()
    target_client = web(None)
    assert target_client.login(username=target.username, password="Test@12345")
    assert target_client.get("/").status_code == 200
    response = web(people["enterprise_admin"]).post(f"/accounts/users/{target.pk}/deactivate/", {"reason": "离职"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert User.objects.filter(pk=target.pk).exists() and not target.is_active  # kept, not deleted
    assert not ApiToken.objects.filter(user=target).exists()
    assert target_client.get("/").status_code == 302  # the open session has ended
    event = SecurityEvent.objects.get(kind="user_deactivated", user=target)
    assert event.actor == people["enterprise_admin"] and "离职" in event.detail
    # the city sees it in the security log
    log = web(people["city_admin"]).get("/accounts/security-log/?kind=user_deactivated").content.decode()
    assert "停用用户" in log and target.username in log
    # reactivation issues a fresh link; the account needs it to sign in again
    again = web(people["enterprise_admin"]).post(f"/accounts/users/{target.pk}/reactivate/")
    assert again.status_code == 302
    target.refresh_from_db()
    assert target.is_active and not target.has_usable_password()
    assert PasswordLink.objects.filter(user=target, used_at=None).count() == 1


def test_a_plain_unit_user_has_no_user_pages(db):
    people = make_people()
    client = web(people["unit_user"])
    assert client.get("/accounts/users/").status_code == 403
    assert client.get("/accounts/users/new/").status_code == 403
    assert "accounts:user-list" not in {item.url_name for item in nav_for(people["unit_user"])}
    assert "accounts:user-list" in {item.url_name for item in nav_for(people["enterprise_admin"])}


def test_the_enterprise_admin_lists_only_its_own_colleagues(db):
    people = make_people()
    client = web(people["enterprise_admin"])
    page = client.get("/accounts/users/")
    assert page.status_code == 200
    names = {u.username for u in page.context["object_list"]}
    assert names == {"firm_admin", "firm_admin2", "firm_clerk", "firm_clerk2"}
    listed = api(people["enterprise_admin"]).get("/api/v1/users/").json()["results"]
    assert {u["username"] for u in listed} == names


def test_county_staff_list_their_staff_and_the_units_active_in_the_county(db):
    people = make_people()
    page = web(people["county_staff"]).get("/accounts/users/?page_size=100")
    names = {u.username for u in page.context["object_list"]}
    assert names == {
        "gaoping",
        "gaoping2",
        "firm_admin",
        "firm_admin2",
        "firm_clerk",
        "firm_clerk2",
        "visitor1",
        "neighbour1",
    }


def test_a_missing_enterprise_is_a_chinese_field_error_not_a_refusal(db):
    people = make_people()
    response = web(people["county_staff"]).post(
        "/accounts/users/new/", {"username": "nobody", "name": "无单位", "role": "unit_user"}
    )
    assert response.status_code == 200
    assert "参建单位用户必须指定所属单位。" in response.content.decode()
    assert not User.objects.filter(username="nobody").exists()
