"""Roles that cannot climb: every account action × every actor × every kind of target account (issue 22, point 1).

The actions are the product's own ways of acting on an account: the web password reset and the API set-password
(both issue a one-time set-password link since issue 23), the
Django admin's change form (deactivation), password page and delete, the admin's token deletion and the token
page's revocation. The expected outcome comes from the two small tables below (who holds which tool, and whom each
actor may act on), written out by hand, not from ``accounts.roles``.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from accounts.models import ApiToken, PasswordLink, SecurityEvent, User
from accounts.security import issue_token
from tests.conftest import api_client_for
from tests.factories import CountyFactory, EnterpriseFactory, UserFactory

OLD = "Test@12345"
NEW = "Climb#20270101"

ACTORS = ["superuser", "staff", "city_admin", "county_staff", "expert", "unit_user", "anonymous"]
TARGETS = [
    "superuser",
    "staff",
    "city_admin",
    "other_city_admin",
    "county_staff_same",  # staff of the county the county-staff actor belongs to
    "county_staff_other",
    "unit_user",
    "expert",
    "self",
]

# Whom each actor may act on (rank: superuser > staff > city admin > county staff > expert / unit user).
MAY_ACT_ON = {
    "superuser": set(TARGETS),
    "staff": {"city_admin", "other_city_admin", "county_staff_same", "county_staff_other", "unit_user", "expert"}
    | {"self"},
    "city_admin": {"county_staff_same", "county_staff_other", "unit_user", "expert", "self"},
    "county_staff": {"self"},
    "expert": {"self"},
    "unit_user": {"self"},
    "anonymous": set(),
}
# Who holds each tool at all: the reset page and API are the city admin role's (the superuser and the staff
# account here have that role, like the demo's ``admin``); the Django admin is for is_staff accounts; the token
# page revokes one's own tokens only.
TOOL_HOLDERS = {
    "web_password_reset": {"superuser", "staff", "city_admin", "county_staff", "unit_user"},
    "api_set_password": set(ACTORS) - {"anonymous"},
    "admin_deactivate": {"superuser", "staff"},
    "admin_password": {"superuser", "staff"},
    "admin_delete": {"superuser", "staff"},
    "admin_token_delete": {"superuser", "staff"},
    "web_token_revoke": set(ACTORS) - {"anonymous"},
}
SELF_ONLY = {"web_token_revoke"}
# Issuing a set-password link is managing an account: never one's own (one changes one's own password with the
# old one), except for a superuser (accounts.roles.can_manage_account).
NOT_SELF = {"web_password_reset", "api_set_password"}


def expected(action: str, actor: str, target: str) -> bool:
    if actor not in TOOL_HOLDERS[action]:
        return False
    if action in SELF_ONLY:
        return target == "self"
    if action in NOT_SELF and target == "self" and actor != "superuser":
        return False
    return target in MAY_ACT_ON[actor]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_people(db):
    own, other = CountyFactory(name="高平市"), CountyFactory(name="阳城县")
    city = {"role": "city_admin"}
    people = {
        "superuser": UserFactory(username="root", is_staff=True, is_superuser=True, **city),
        "staff": UserFactory(username="it_staff", is_staff=True, **city),
        "city_admin": UserFactory(username="city", **city),
        "other_city_admin": UserFactory(username="city2", **city),
        "county_staff": UserFactory(username="gaoping", role="county_staff", region=own),
        "county_staff_same": UserFactory(username="gaoping2", role="county_staff", region=own),
        "county_staff_other": UserFactory(username="yangcheng", role="county_staff", region=other),
        "expert": UserFactory(username="expert1", role="expert"),
        "unit_user": UserFactory(username="unit1", role="unit_user", enterprise=EnterpriseFactory()),
    }
    # The staff account may manage users and tokens in the Django admin: the worst case of a staff account.
    codenames = ["view_user", "change_user", "delete_user", "view_apitoken", "delete_apitoken"]
    people["staff"].user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return people


def resolve(people, actor: str, target: str) -> tuple[User | None, User]:
    actor_user = people.get(actor)
    if target == "self":
        return actor_user, actor_user
    target_user = people[{"superuser": "superuser", "staff": "staff", "city_admin": "city_admin"}.get(target, target)]
    if target_user == actor_user:  # e.g. actor city_admin × target city_admin: a second account of that kind
        target_user = UserFactory(
            username=f"{target_user.username}_peer",
            role=target_user.role,
            is_staff=target_user.is_staff,
            is_superuser=target_user.is_superuser,
            region=target_user.region,
        )
    return actor_user, target_user


def web(actor_user) -> Client:
    client = Client()
    if actor_user is not None:
        client.force_login(actor_user)
    return client


def admin_change_data(response) -> dict:
    """The admin change form as the browser would post it back (readonly fields are not in the form)."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        if name == "date_joined" or name == "last_login":
            if value:
                data[f"{name}_0"], data[f"{name}_1"] = value.strftime("%Y-%m-%d"), value.strftime("%H:%M:%S")
            continue
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif value is not None:
            data[name] = str(value)
    return data


def perform(action: str, actor_user, target: User) -> tuple[int, bool]:
    """Do the action; returns (status code, whether it took effect on ``target``)."""
    if action == "web_password_reset":
        response = web(actor_user).post(f"/accounts/users/{target.pk}/password-link/")
        return response.status_code, PasswordLink.objects.filter(user=target).exists()
    if action == "api_set_password":
        client = api_client_for(actor_user) if actor_user else api_client_for(None)
        response = client.post(f"/api/v1/users/{target.pk}/set-password/", {}, format="json")
        return response.status_code, PasswordLink.objects.filter(user=target).exists()
    if action == "admin_deactivate":
        client = web(actor_user)
        url = f"/admin/accounts/user/{target.pk}/change/"
        page = client.get(url)
        data = admin_change_data(page) if page.status_code == 200 else {"username": target.username}
        data.pop("is_active", None)
        response = client.post(url, data)
        target.refresh_from_db()
        return response.status_code, not target.is_active
    if action == "admin_password":
        response = web(actor_user).post(
            f"/admin/accounts/user/{target.pk}/password/",
            {"usable_password": "true", "password1": NEW, "password2": NEW},
        )
        target.refresh_from_db()
        return response.status_code, target.check_password(NEW)
    if action == "admin_delete":
        response = web(actor_user).post(f"/admin/accounts/user/{target.pk}/delete/", {"post": "yes"})
        return response.status_code, not User.objects.filter(pk=target.pk).exists()
    token, _ = issue_token(target, "脚本")
    if action == "admin_token_delete":
        response = web(actor_user).post(f"/admin/accounts/apitoken/{token.pk}/delete/", {"post": "yes"})
    else:  # web_token_revoke
        response = web(actor_user).post(f"/accounts/tokens/{token.pk}/revoke/")
    return response.status_code, not ApiToken.objects.filter(pk=token.pk).exists()


SUCCESS = {
    "web_password_reset": 302,
    "api_set_password": 200,
    "admin_deactivate": 302,
    "admin_password": 302,
    "admin_delete": 302,
    "admin_token_delete": 302,
    "web_token_revoke": 302,
}
CASES = [
    (action, actor, target)
    for action in SUCCESS
    for actor in ACTORS
    for target in TARGETS
    if not (actor == "anonymous" and target == "self")
]


@pytest.mark.parametrize(("action", "actor", "target"), CASES)
def test_an_account_action_is_allowed_exactly_on_accounts_below_the_actor(db, action, actor, target):
    people = make_people(db)
    actor_user, target_user = resolve(people, actor, target)
    status, took_effect = perform(action, actor_user, target_user)
    if expected(action, actor, target):
        assert took_effect, (action, actor, target, status)
        assert status == SUCCESS[action]
    else:
        assert not took_effect, (action, actor, target, status)
        assert status in (302, 401, 403, 404)  # 302: to a sign-in page (anonymous, or a non-staff in /admin/)


def test_a_city_admin_cannot_take_over_the_superuser(db, client):
    """The reproduction: ``city`` → set-password on ``admin`` → 403; the password and /admin/ stay the superuser's."""
    admin = UserFactory(username="admin", role="city_admin", is_staff=True, is_superuser=True)
    city = UserFactory(username="city", role="city_admin")
    response = api_client_for(city).post(f"/api/v1/users/{admin.pk}/set-password/", {}, format="json")
    assert response.status_code == 403
    assert "无权管理账户“admin”" in response.json()["detail"]
    admin.refresh_from_db()
    assert admin.check_password(OLD) and not PasswordLink.objects.filter(user=admin).exists()
    assert not SecurityEvent.objects.filter(kind__in=["password_reset", "password_link_issued"]).exists()
    # /admin/ does not open with the attacker's password, and does with the owner's.
    client.post("/admin/login/?next=/admin/", {"username": "admin", "password": NEW})
    assert client.get("/admin/").status_code == 302
    client.post("/admin/login/?next=/admin/", {"username": "admin", "password": OLD})
    assert client.get("/admin/").status_code == 200
    # The web page refuses too, and offers no reset button on the superuser's page.
    web_client = web(city)
    assert "重置密码" not in web_client.get(f"/accounts/users/{admin.pk}/").content.decode()
    refused = web_client.post(f"/accounts/users/{admin.pk}/password-link/")
    assert refused.status_code == 403


def test_a_staff_account_cannot_make_itself_superuser_in_the_admin(db):
    people = make_people(db)
    staff = people["staff"]
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["change_permission", "change_group"]))
    client = web(staff)
    url = f"/admin/accounts/user/{staff.pk}/change/"
    data = admin_change_data(client.get(url))
    assert not {"is_superuser", "is_staff", "groups", "user_permissions"} & set(data)
    every_permission = [str(pk) for pk in Permission.objects.values_list("pk", flat=True)]
    data.update(is_superuser="on", user_permissions=every_permission, name="自封超级管理员")
    assert client.post(url, data).status_code == 302  # the form saves the fields it has …
    staff.refresh_from_db()
    assert staff.name == "自封超级管理员"
    assert not staff.is_superuser  # … and ignores the ones it must not have
    assert staff.user_permissions.count() == 7
    # Nor through a group: only a superuser adds or changes groups.
    assert client.get("/admin/auth/group/add/").status_code == 403


def test_no_user_raises_their_own_role_through_the_api(db):
    people = make_people(db)
    expert = people["expert"]
    client = api_client_for(expert)
    for method in ("patch", "put"):
        response = getattr(client, method)(
            f"/api/v1/users/{expert.pk}/", {"role": "city_admin", "is_superuser": True}, format="json"
        )
        assert response.status_code == 403  # nobody manages their own account (accounts.roles.can_manage_account)
    new = client.post("/api/v1/users/", {"username": "x", "role": "city_admin"}, format="json")
    assert new.status_code == 403
    assert not User.objects.filter(username="x").exists()
    expert.refresh_from_db()
    assert expert.role == "expert" and not expert.is_superuser
    city = api_client_for(people["city_admin"])  # the city admin manages users, but not its own account
    response = city.patch(f"/api/v1/users/{people['city_admin'].pk}/", {"is_superuser": True}, format="json")
    assert response.status_code == 403
    response = city.post("/api/v1/users/", {"username": "city3", "role": "city_admin"}, format="json")
    assert response.status_code == 403  # nor creates a peer
    people["city_admin"].refresh_from_db()
    assert not people["city_admin"].is_superuser


def test_the_services_refuse_too(db):
    """Defence in depth: a view that forgot the check still cannot reset or revoke above the actor."""
    from django.core.exceptions import PermissionDenied

    from accounts import security

    people = make_people(db)
    with pytest.raises(PermissionDenied):
        security.issue_password_link(people["superuser"], actor=people["city_admin"])
    token, _ = issue_token(people["staff"], "脚本")
    with pytest.raises(PermissionDenied):
        security.revoke_token(token, actor=people["city_admin"])
    assert ApiToken.objects.filter(pk=token.pk).exists()
    assert people["superuser"].__class__.objects.get(pk=people["superuser"].pk).check_password(OLD)


def test_a_password_set_in_the_django_admin_is_a_reset_audited_with_its_tokens_revoked(db):
    people = make_people(db)
    staff, target = people["staff"], people["county_staff"]
    issue_token(target, "脚本")
    response = web(staff).post(
        f"/admin/accounts/user/{target.pk}/password/", {"usable_password": "true", "password1": NEW, "password2": NEW}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.check_password(NEW) and not ApiToken.objects.filter(user=target).exists()
    event = SecurityEvent.objects.get(kind="password_reset")
    assert (event.user, event.actor, event.channel) == (target, staff, "admin")
