"""The cache down costs nothing (issue 27): a write neither fails nor rolls back, a page is computed from the
database, sign-in works, and the security limits count in the database instead of failing open.

The cache is a real Redis client pointed at a port where nothing listens (every call: connection refused);
tests/faults/test_cache_down.py drills the same with a real Redis cut through a proxy during the requests."""

from __future__ import annotations

import socket

import pytest
from django.core.cache import cache as django_cache
from redis.exceptions import ConnectionError as RedisConnectionError

from core import cache, panel_cache, ratelimit
from core.models import FallbackCounter
from projects.models import Project
from tests.factories import UserFactory
from tests.projects_factories import ProjectFactory

pytestmark = pytest.mark.django_db


class DownCache:
    """Every call fails as an unreachable Redis does (counted)."""

    calls = 0

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            DownCache.calls += 1
            raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

        return fail


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends: connections are refused


@pytest.fixture
def cache_down(settings):
    settings.DASHBOARD_CACHE_SECONDS = 600
    settings.LIST_CACHE = True
    settings.CACHE_RETRY_SECONDS = 0  # every call tries (and fails): the fallbacks are exercised on each one
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    before = cache.failures()
    yield before
    cache.reset()


def test_a_write_with_the_cache_down_is_kept_and_its_version_token_replaced_when_the_cache_is_back(
    cache_down, settings
):
    project = ProjectFactory()
    project.name = "缓存中断期间修改的项目"
    project.save()
    assert Project.objects.get(pk=project.pk).name == "缓存中断期间修改的项目"
    assert cache.failures() > cache_down
    assert "projects.project" in panel_cache._unsaved_versions

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}  # back
    cache.reset()
    django_cache.set(panel_cache.VERSION_KEY.format("projects.project"), "before-the-outage", None)
    panel_cache._replace_unsaved_versions()
    assert not panel_cache._unsaved_versions
    assert django_cache.get(panel_cache.VERSION_KEY.format("projects.project")) != "before-the-outage"


def test_pages_and_sign_in_answer_with_the_cache_down(cache_down, client, city_admin):
    city_admin.set_password("Test@12345")
    city_admin.save()
    response = client.post("/login/", {"username": "city_admin", "password": "Test@12345"})
    assert response.status_code == 302
    for url in ["/", "/projects/list/", "/reports/", "/api/v1/projects/", "/api/v1/points-ledger/"]:
        assert client.get(url).status_code == 200, url
    assert cache.failures() > cache_down


def test_the_dashboard_with_the_cache_down_shows_what_the_database_holds(cache_down, client, city_admin):
    client.force_login(city_admin)
    first = client.get("/")
    ProjectFactory(name="中断期间新登记的项目")
    second = client.get("/")
    assert first.status_code == second.status_code == 200


def test_a_rate_limit_counts_in_the_database_while_the_cache_is_down(cache_down):
    """A security limit never fails open: 3 attempts with a limit of 2 → the third is refused."""
    assert ratelimit.hit("drill", "203.0.113.9", 2, 3600)
    assert ratelimit.hit("drill", "203.0.113.9", 2, 3600)
    assert not ratelimit.hit("drill", "203.0.113.9", 2, 3600)
    assert ratelimit.exceeded("drill", "203.0.113.9", 2)
    assert FallbackCounter.objects.get().count == 3
    assert ratelimit.hit("drill", "198.51.100.7", 2, 3600)  # another address has its own count


def test_the_api_token_throttle_still_refuses_with_the_cache_down(cache_down, api, settings):
    settings.AUTH_TOKEN_RATE = "3/min"
    UserFactory(username="tokenuser")
    codes = [
        api.post("/api/v1/auth/token/", {"username": "tokenuser", "password": "wrong"}, format="json").status_code
        for _ in range(4)
    ]
    assert codes == [400, 400, 400, 429]  # wrong password ×3, then the per-address rate


def test_after_a_failure_the_cache_is_skipped_for_the_retry_period(monkeypatch, settings):
    settings.CACHE_RETRY_SECONDS = 60
    DownCache.calls = 0
    monkeypatch.setattr(cache, "cache", DownCache())
    try:
        assert cache.get("k", "miss") == "miss"
        assert cache.get("k", "miss") == "miss"
        assert cache.set("k", 1) is False
        assert DownCache.calls == 1  # one connection attempt, then skipped
        assert not cache.available()
    finally:
        cache.reset()


def test_healthz_reports_the_cache_as_informative(client, city_admin, cache_down):
    client.force_login(city_admin)
    response = client.get("/healthz")
    body = response.json()
    assert body["checks"]["cache"]["status"] == "unavailable"
    assert body["checks"]["cache"]["failures_since_start"] >= 1
