"""Changing one's own password, the city admin's audited reset, and Chinese validator messages."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accounts.models import ApiToken, SecurityEvent
from accounts.security import issue_token
from tests.conftest import api_client_for


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


def test_the_city_admin_resets_a_password_on_the_web_audited(client, city_admin, county_user):
    issue_token(county_user, "脚本")
    client.force_login(city_admin)
    assert "重置密码" in client.get(f"/accounts/users/{county_user.pk}/").content.decode()
    response = client.post(
        f"/accounts/users/{county_user.pk}/password/",
        {"new_password1": "Gaoping#2027", "new_password2": "Gaoping#2027"},
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302
    county_user.refresh_from_db()
    assert county_user.check_password("Gaoping#2027")
    assert not ApiToken.objects.filter(user=county_user).exists()
    event = SecurityEvent.objects.get(kind="password_reset")
    assert (event.user, event.actor, event.ip) == (county_user, city_admin, "10.1.2.3")


def test_county_staff_cannot_reset_passwords(client, county_user, colleague):
    client.force_login(county_user)
    response = client.post(
        f"/accounts/users/{county_user.pk}/password/", {"new_password1": "Xx#123456", "new_password2": "Xx#123456"}
    )
    assert response.status_code == 403
    response = api_client_for(county_user).post(
        f"/api/v1/users/{county_user.pk}/set-password/", {"new_password": "Xx#1234567"}, format="json"
    )
    assert response.status_code == 403


def test_the_city_admin_resets_a_password_through_the_api(city_admin, county_user):
    api = api_client_for(city_admin)
    response = api.post(f"/api/v1/users/{county_user.pk}/set-password/", {"new_password": "123"}, format="json")
    assert response.status_code == 400
    assert "密码太短，至少需要 8 个字符。" in response.json()["new_password"]
    response = api.post(
        f"/api/v1/users/{county_user.pk}/set-password/", {"new_password": "Gaoping#2027"}, format="json"
    )
    assert response.status_code == 200 and response.json()["revoked_tokens"] == 0
    county_user.refresh_from_db()
    assert county_user.check_password("Gaoping#2027")
    assert SecurityEvent.objects.filter(kind="password_reset", channel="api", actor=city_admin).count() == 1
    assert api.post("/api/v1/users/999999/set-password/", {"new_password": "Gaoping#2027"}).status_code == 404
