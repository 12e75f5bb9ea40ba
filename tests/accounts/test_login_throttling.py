"""Password guessing: 31 wrong passwords lock the account (or the IP) for LOGIN_LOCKOUT_MINUTES; the right
password is refused until then, on the web login, the admin login and the token endpoint alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from accounts.models import SecurityEvent
from tests.factories import UserFactory

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LOCK_MESSAGE_START = "登录失败次数过多，账户已临时锁定，请"


@pytest.fixture(autouse=True)
def _token_rate_out_of_the_way(settings):
    """The token endpoint's request rate is its own test; here it is out of the lockout's way (the suite's fast
    password hasher is set in tests/conftest.py)."""
    settings.AUTH_TOKEN_RATE = "1000/min"


@pytest.fixture
def victim(db):
    return UserFactory(role="city_admin", username="victim")


def web_login(client, username, password, ip="10.0.0.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def token_login(api, username, password, ip="10.0.0.1"):
    return api.post("/api/v1/auth/token/", {"username": username, "password": password}, format="json", REMOTE_ADDR=ip)


def test_31_wrong_passwords_lock_the_web_login_until_the_period_ends(client, victim, settings):
    settings.LOGIN_LOCKOUT_MINUTES = 15
    with time_machine.travel(T0, tick=False) as clock:
        for _ in range(31):
            response = web_login(client, "victim", "wrong-password")
            assert response.status_code == 200
            clock.shift(timedelta(seconds=1))
        assert LOCK_MESSAGE_START in response.content.decode()
        response = web_login(client, "victim", "Test@12345")  # the 32nd attempt, right password
        assert response.status_code == 200 and "_auth_user_id" not in client.session
        body = response.content.decode()
        assert "登录失败次数过多，账户已临时锁定，请15分钟后再试或联系管理员。" in body

        clock.shift(timedelta(minutes=10))
        response = web_login(client, "victim", "Test@12345")
        assert "请5分钟后再试" in response.content.decode()  # still locked: 4 min 29 s left

        clock.shift(timedelta(minutes=6))
        response = web_login(client, "victim", "Test@12345")
        assert response.status_code == 302 and client.session["_auth_user_id"] == str(victim.pk)


def test_30_wrong_passwords_then_the_right_one_is_refused_on_the_token_endpoint(api, victim):
    with time_machine.travel(T0, tick=False):
        for _ in range(30):
            assert token_login(api, "victim", "nope").status_code == 400
        response = token_login(api, "victim", "Test@12345")
    assert response.status_code == 429
    assert response.json()["detail"].startswith(LOCK_MESSAGE_START)
    assert int(response["Retry-After"]) == 15 * 60


def test_token_endpoint_unlocks_after_the_period(api, victim):
    with time_machine.travel(T0, tick=False) as clock:
        for _ in range(31):
            token_login(api, "victim", "nope")
        assert token_login(api, "victim", "Test@12345").status_code == 429
        clock.shift(timedelta(minutes=15, seconds=1))
        response = token_login(api, "victim", "Test@12345")
    assert response.status_code == 200 and len(response.json()["token"]) == 40


def test_a_success_resets_the_account_counter(client, victim):
    with time_machine.travel(T0, tick=False):
        for _ in range(29):
            web_login(client, "victim", "wrong")
        assert web_login(client, "victim", "Test@12345").status_code == 302
        client.logout()
        for _ in range(29):
            web_login(client, "victim", "wrong")
        assert web_login(client, "victim", "Test@12345").status_code == 302


def test_one_ip_guessing_many_accounts_is_locked_out_too(client, victim, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 31
    others = [UserFactory(role="expert", username=f"guess{i}") for i in range(3)]
    with time_machine.travel(T0, tick=False):
        for i in range(31):
            web_login(client, others[i % 3].username, "wrong", ip="192.0.2.7")
        response = web_login(client, "victim", "Test@12345", ip="192.0.2.7")
        assert LOCK_MESSAGE_START in response.content.decode()
        # The account itself is not locked: the owner signs in from their own office.
        assert web_login(client, "victim", "Test@12345", ip="198.51.100.1").status_code == 302


def test_the_locked_account_is_locked_on_the_admin_login_as_well(client, victim):
    victim.is_staff = victim.is_superuser = True
    victim.save()
    with time_machine.travel(T0, tick=False):
        for _ in range(31):
            client.post("/admin/login/", {"username": "victim", "password": "x"}, REMOTE_ADDR="10.0.0.9")
        response = client.post(
            "/admin/login/", {"username": "victim", "password": "Test@12345"}, REMOTE_ADDR="10.0.0.9"
        )
    assert response.status_code == 200 and LOCK_MESSAGE_START in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_every_attempt_is_audited_with_who_ip_and_when(client, victim):
    with time_machine.travel(T0, tick=False):
        web_login(client, "victim", "wrong", ip="203.0.113.5")
        web_login(client, "victim", "Test@12345", ip="203.0.113.5")
    failed, ok = SecurityEvent.objects.order_by("id")
    assert (failed.kind, failed.username, failed.user, failed.ip, failed.at) == (
        "login_failed",
        "victim",
        victim,
        "203.0.113.5",
        T0,
    )
    assert (ok.kind, ok.channel, ok.ip) == ("login_ok", "web", "203.0.113.5")


def test_the_city_admin_reads_the_security_log_others_cannot(client, victim, county_user):
    with time_machine.travel(T0, tick=False):
        web_login(client, "nobody", "wrong", ip="203.0.113.9")
    client.force_login(victim)
    page = client.get("/accounts/security-log/?kind=login_failed").content.decode()
    assert "nobody" in page and "203.0.113.9" in page and "登录失败" in page
    client.force_login(county_user)
    assert client.get("/accounts/security-log/").status_code == 403


def test_wrong_password_message_is_chinese(client, victim):
    response = web_login(client, "victim", "wrong")
    assert "用户名或密码不正确，请重新输入。" in response.content.decode()


def test_the_token_endpoint_has_a_per_ip_request_rate(api, victim, settings):
    settings.AUTH_TOKEN_RATE = "5/min"
    with time_machine.travel(T0, tick=False) as clock:
        codes = [token_login(api, "victim", "Test@12345").status_code for _ in range(6)]
        assert codes == [200] * 5 + [429]
        assert token_login(api, "victim", "Test@12345", ip="10.0.0.2").status_code == 200  # another address
        clock.shift(timedelta(seconds=61))
        assert token_login(api, "victim", "Test@12345").status_code == 200
