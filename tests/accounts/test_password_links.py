"""One-time set-password links (issue 23): single use, an expiry on a pinned clock, a newer link or a deactivation
ends the older one; the page speaks Chinese and applies the password validators."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts import security, services
from accounts.models import PasswordLink, SecurityEvent
from tests.factories import CountyFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PASSWORD_LINK_TTL_HOURS = 72


@pytest.fixture
def people(db):
    county = CountyFactory(name="泽州县")
    return {
        "city": UserFactory(username="city", role="city_admin"),
        "staff": UserFactory(username="zezhou", role="county_staff", region=county, email="zz@example.cn"),
    }


def link_for(people):
    issued = services.issue_link(people["city"], people["staff"])
    return issued.path


GOOD = {"new_password1": "Taihang#2027", "new_password2": "Taihang#2027"}


def test_a_link_sets_the_password_once(client, people):
    path = link_for(people)
    page = client.get(path)
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert "zezhou" in page.content.decode()
    assert client.post(path, GOOD).status_code == 302
    staff = people["staff"]
    staff.refresh_from_db()
    assert staff.check_password("Taihang#2027")
    # the second use finds the link spent: nothing changes
    again = client.post(path, {"new_password1": "Other#20270", "new_password2": "Other#20270"})
    assert again.status_code == 404 and "该设置密码链接已使用、已过期或已作废" in again.content.decode()
    staff.refresh_from_db()
    assert staff.check_password("Taihang#2027")
    assert SecurityEvent.objects.filter(kind="password_link_used", user=staff).count() == 1


def test_a_link_expires(client, people, clock):
    path = link_for(people)
    clock.shift(dt.timedelta(hours=71, minutes=59))
    assert client.get(path).status_code == 200
    clock.shift(dt.timedelta(minutes=2))
    assert client.get(path).status_code == 404
    assert client.post(path, GOOD).status_code == 404
    people["staff"].refresh_from_db()
    assert not people["staff"].check_password("Taihang#2027")


def test_a_newer_link_ends_the_older_one(client, people):
    first, second = link_for(people), link_for(people)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    assert PasswordLink.objects.filter(user=people["staff"], revoked_at__isnull=False).count() == 1


def test_deactivation_ends_an_unused_link(client, people):
    path = link_for(people)
    services.deactivate_user(people["city"], people["staff"], reason="调离")
    assert client.post(path, GOOD).status_code == 404


def test_a_weak_password_is_refused_in_chinese_and_the_link_stays_usable(client, people):
    path = link_for(people)
    response = client.post(path, {"new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 400
    assert "密码不能全部是数字。" in response.content.decode()
    assert client.post(path, GOOD).status_code == 302


def test_only_a_digest_is_stored_and_the_link_is_mailed(people, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        link, key = security.issue_password_link(people["staff"], actor=people["city"])
    assert key not in link.digest and len(link.digest) == 64
    assert len(mailoutbox) == 1 and key in mailoutbox[0].body and mailoutbox[0].to == ["zz@example.cn"]


def test_an_unknown_key_is_a_chinese_404(client, db):
    response = client.get("/accounts/set-password/not-a-real-key/")
    assert response.status_code == 404 and "链接无效" in response.content.decode()
