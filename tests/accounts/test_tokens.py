"""API tokens: they expire (TOKEN_TTL_HOURS), only their digest is stored, the owner sees and revokes them."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.models import ApiToken, SecurityEvent
from accounts.security import issue_token

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def client_with(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_token_works_until_it_expires_then_answers_401_in_chinese(county_user, settings):
    settings.TOKEN_TTL_HOURS = 24
    with time_machine.travel(T0, tick=False) as clock:
        _, key = issue_token(county_user, "脚本")
        assert client_with(key).get("/api/v1/users/").status_code == 200
        clock.shift(timedelta(hours=23, minutes=59))
        assert client_with(key).get("/api/v1/users/").status_code == 200
        clock.shift(timedelta(minutes=1))
        response = client_with(key).get("/api/v1/users/")
    assert response.status_code == 401
    assert response.json()["detail"] == "令牌已过期，请重新获取令牌。"
    assert response["WWW-Authenticate"] == "Token"


def test_only_the_digest_is_stored(county_user):
    token, key = issue_token(county_user, "脚本")
    assert key not in {token.digest, token.prefix} and token.prefix == key[:8]
    assert not ApiToken.objects.filter(digest=key).exists()


def test_an_unknown_token_is_401(db):
    response = client_with("0" * 40).get("/api/v1/users/")
    assert response.status_code == 401 and response.json()["detail"] == "令牌无效或已撤销。"


def test_the_token_endpoint_issues_an_expiring_token(api, county_user, settings):
    settings.TOKEN_TTL_HOURS = 48
    with time_machine.travel(T0, tick=False):
        response = api.post("/api/v1/auth/token/", {"username": "owner", "password": "Test@12345"}, format="json")
    assert response.status_code == 200
    assert response.json()["expires_at"] == "2026-03-04T17:00:00+08:00"
    assert ApiToken.objects.get(user=county_user).expires_at == T0 + timedelta(hours=48)


def test_the_owner_creates_a_token_on_the_page_sees_it_once_and_revokes_it(client, county_user):
    client.force_login(county_user)
    response = client.post("/accounts/tokens/", {"name": "月报上传脚本"}, follow=True)
    key = re.search(r'data-testid="new-token-key">([0-9a-f]{40})<', response.content.decode()).group(1)
    assert response.redirect_chain == [("/accounts/tokens/", 302)]
    assert client_with(key).get("/api/v1/users/").status_code == 200
    listing = client.get("/accounts/tokens/").content.decode()
    assert "月报上传脚本" in listing and key[:8] in listing and key not in listing

    token = ApiToken.objects.get(user=county_user)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    assert client_with(key).get("/api/v1/users/").status_code == 401
    kinds = list(SecurityEvent.objects.filter(user=county_user).order_by("id").values_list("kind", flat=True))
    assert kinds == ["token_created", "token_revoked"]


def test_nobody_revokes_or_sees_another_users_token(client, county_user, colleague):
    token, key = issue_token(colleague, "同事的脚本")
    client.force_login(county_user)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert "同事的脚本" not in client.get("/accounts/tokens/").content.decode()
    assert client_with(key).get("/api/v1/users/").status_code == 200


def test_an_empty_token_name_is_refused_in_chinese(client, county_user):
    client.force_login(county_user)
    page = client.post("/accounts/tokens/", {"name": "   "}).content.decode()
    assert "请填写令牌名称。" in page
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("header", ["Token", "Token a b", "Token \x00"])
def test_malformed_token_headers_are_401(db, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert client.get("/api/v1/users/").status_code == 401
