"""Changing one's own password, the city admin's audited reset, and Chinese validator messages."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accounts.models import ApiToken, SecurityEvent
from accounts.security import issue_token
from tests.conftest import api_client_for
from tests.factories import UserFactory


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("a1", "密码太短，至少需要 8 个字符。"),
        ("password", "密码过于常见，请换一个。"),
        ("84736291", "密码不能全部是数字。"),
        ("owner123x", "密码与用户名过于相似。"),
    ],
)
def test_every_password_validator_speaks_chinese(county_user, password, message):
    with pytest.raises(ValidationError) as caught:
        validate_password(password, user=county_user)
    assert message in caught.value.messages


def test_a_user_changes_their_own_password(client, county_user):
    client.force_login(county_user)
    page = client.get("/accounts/password/").content.decode()
    assert "新密码" in page and "密码至少需要 8 个字符。" in page
    response = client.post(
        "/accounts/password/",
        {"old_password": "Test@12345", "new_password1": "Qinshui#2027", "new_password2": "Qinshui#2027"},
    )
    assert response.status_code == 302
    county_user.refresh_from_db()
    assert county_user.check_password("Qinshui#2027")
    assert client.get("/").status_code == 200  # still signed in on this browser
    assert SecurityEvent.objects.filter(kind="password_changed", user=county_user).count() == 1


def test_a_wrong_old_password_or_a_short_new_one_changes_nothing(client, county_user):
    client.force_login(county_user)
    page = client.post(
        "/accounts/password/", {"old_password": "wrong", "new_password1": "a1", "new_password2": "a1"}
    ).content.decode()
    assert "旧密码" in page and "密码太短，至少需要 8 个字符。" in page
    county_user.refresh_from_db()
    assert county_user.check_password("Test@12345")


def _link_key(response_or_url) -> str:
    url = response_or_url if isinstance(response_or_url, str) else response_or_url["password_link"]
    return url.rstrip("/").rsplit("/", 1)[-1]


def test_the_city_admin_resets_a_password_on_the_web_by_issuing_a_one_time_link(client, city_admin, county_user):
    """Issue 23: never a password typed by an admin — the reset is a link, shown once, audited."""
    issue_token(county_user, "脚本")
    client.force_login(city_admin)
    page = client.get(f"/accounts/users/{county_user.pk}/").content.decode()
    assert "重置密码" in page and 'name="new_password1"' not in page
    response = client.post(f"/accounts/users/{county_user.pk}/password-link/", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302 and response["Location"] == f"/accounts/users/{county_user.pk}/link/"
    handover = client.get(response["Location"])
    assert handover["Cache-Control"] == "no-store"
    url = handover.context["link"]["url"]
    assert "/accounts/set-password/" in url
    assert client.get(response["Location"]).context["link"] is None  # shown once
    county_user.refresh_from_db()
    assert county_user.check_password("Test@12345")  # nothing typed, nothing changed yet
    event = SecurityEvent.objects.get(kind="password_link_issued")
    assert (event.user, event.actor, event.ip) == (county_user, city_admin, "10.1.2.3")
    # the owner sets the password through the link: the tokens are revoked, the link is spent
    client.logout()
    done = client.post(
        f"/accounts/set-password/{_link_key(url)}/", {"new_password1": "Gaoping#2027", "new_password2": "Gaoping#2027"}
    )
    assert done.status_code == 302 and done["Location"] == "/login/"
    county_user.refresh_from_db()
    assert county_user.check_password("Gaoping#2027")
    assert not ApiToken.objects.filter(user=county_user).exists()
    assert SecurityEvent.objects.filter(kind="password_link_used", user=county_user).count() == 1


def test_the_old_typed_password_reset_is_gone(client, city_admin, county_user):
    client.force_login(city_admin)
    response = client.post(
        f"/accounts/users/{county_user.pk}/password/", {"new_password1": "Xx#123456", "new_password2": "Xx#123456"}
    )
    assert response.status_code in (404, 405)
    county_user.refresh_from_db()
    assert county_user.check_password("Test@12345")


def test_county_staff_cannot_reset_staff_passwords(client, county_user, colleague):
    same_county = UserFactory(role="county_staff", region=county_user.region, username="peer")
    client.force_login(county_user)
    assert client.post(f"/accounts/users/{same_county.pk}/password-link/").status_code == 403
    assert client.post(f"/accounts/users/{colleague.pk}/password-link/").status_code == 404  # not even seen
    api = api_client_for(county_user)
    assert api.post(f"/api/v1/users/{same_county.pk}/set-password/", {}, format="json").status_code == 403
    assert api.post(f"/api/v1/users/{colleague.pk}/set-password/", {}, format="json").status_code == 404
    assert not SecurityEvent.objects.filter(kind="password_link_issued").exists()


def test_the_city_admin_resets_a_password_through_the_api_with_a_link(city_admin, county_user):
    api = api_client_for(city_admin)
    response = api.post(f"/api/v1/users/{county_user.pk}/set-password/", {"new_password": "Typed#2027"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert "/accounts/set-password/" in body["password_link"] and body["link_expires_at"]
    county_user.refresh_from_db()
    assert not county_user.check_password("Typed#2027")  # a typed password is ignored, never set
    assert SecurityEvent.objects.filter(kind="password_link_issued", channel="api", actor=city_admin).count() == 1
    assert api.post("/api/v1/users/999999/set-password/").status_code == 404
