"""The cache's Redis down (issue 27): no request answers 500, every action succeeds and its rows and notices are
complete. docker-compose puts the cache and the broker on the same Redis server (separate databases), so this is
the outage a production deployment meets; the drill cuts only the cache (the broker stays up) to show that the
cache alone is no longer a single point of failure.

A gunicorn web server reaches the cache through a FaultProxy; the worker delivers the notices through the real
broker. During the cut: web sign-in, API token, publish, report request and the main pages of both."""

from __future__ import annotations

import http.cookiejar
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from accounts.security import issue_token
from assessment.choices import Status
from assessment.models import Submission
from core.models import OutboxMessage
from notifications.models import Notification
from reports.models import ReportArchive
from tests.assessment.factories import approved, target
from tests.conftest import OUTPUT_DIR
from tests.factories import UserFactory
from tests.faults.conftest import free_port, redis_address, wait_until
from tests.faults.proxy import FaultProxy

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

PASSWORD = "Drill@2026x"
PAGES = ["/", "/projects/list/", "/reports/", "/assessment/ranking/"]
API_PAGES = ["/api/v1/projects/", "/api/v1/points-ledger/", "/api/v1/assessment/submissions/"]


class Browser:
    """A cookie-keeping client that signs in through the web form as a person does (CSRF token and all)."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )

    def request(self, path: str, data: dict | None = None, headers: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace")

    def sign_in(self, username: str) -> int:
        _, html = self.request("/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        status, _ = self.request(
            "/login/",
            {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD},
            {"Referer": self.base + "/login/"},
        )
        return status


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def api(base: str, method: str, path: str, token: str | None = None, payload: dict | None = None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    data = json.dumps(payload).encode() if payload is not None else None
    request = urllib.request.Request(base + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, {"body": exc.read().decode(errors="replace")[:300]}


def test_the_cache_down_during_sign_in_publish_report_request_and_the_main_pages(
    fault_env, processes, county, county_user, city_admin, monkeypatch
):
    monkeypatch.setattr("core.outbox._deliver_after_commit", lambda message_id: None)
    target(county, 2023)
    to_publish = approved(county, county_user, city_admin, month=6)
    OutboxMessage.objects.all().delete()  # the set-up's own notices are not part of the drill
    Notification.objects.all().delete()
    # hashed as the web server's (production) hashers read it; the tests' own hasher is MD5 (tests/conftest.py)
    city_admin.password = PBKDF2PasswordHasher().encode(PASSWORD, "cachedrillsalt01", iterations=1000)
    city_admin.save()
    UserFactory(role="county_staff", region=county, username="second_staff")
    _, token = issue_token(city_admin, "缓存故障演练")
    host, port_ = redis_address()

    with FaultProxy((host, port_)) as proxy:
        env = {**fault_env, "CACHE_URL": f"redis://127.0.0.1:{proxy.port}/3", "CACHE_RETRY_SECONDS": "2"}
        port = free_port()
        processes.web(env, port)
        processes.worker(env)
        base = f"http://127.0.0.1:{port}"
        for _ in range(6):  # both gunicorn workers warmed up (and the cache filled) before the outage
            urllib.request.urlopen(f"{base}/healthz", timeout=30).read()
        before = Browser(base)
        assert before.sign_in("city_admin") == 302
        for path in PAGES:
            assert before.request(path)[0] == 200, path

        proxy.cut()  # the cache's Redis down
        statuses: dict[str, int] = {}
        during = Browser(base)
        statuses["web sign-in"] = during.sign_in("city_admin")
        status, body = api(
            base, "POST", "/api/v1/auth/token/", payload={"username": "city_admin", "password": PASSWORD}
        )
        statuses["api token"] = status
        statuses["publish"] = api(base, "POST", f"/api/v1/assessment/submissions/{to_publish.pk}/publish/", token)[0]
        statuses["report request"] = api(
            base, "POST", "/api/v1/reports/", token, {"report_type": "monthly_bulletin", "year": 2023, "month": 6}
        )[0]
        for path in PAGES:
            statuses[path] = during.request(path)[0]
            statuses[f"{path} (signed in before)"] = before.request(path)[0]
        for path in API_PAGES:
            statuses[path] = api(base, "GET", path, token)[0]
        proxy.resume()

        assert statuses["web sign-in"] == 302, statuses
        assert all(200 <= code < 300 for name, code in statuses.items() if name != "web sign-in"), statuses
        assert Submission.objects.get(pk=to_publish.pk).status == Status.PUBLISHED
        assert ReportArchive.objects.count() == 1
        wait_until(
            lambda: (
                Notification.objects.count() == 2
                and not OutboxMessage.objects.filter(sent_at__isnull=True).exclude(task__startswith="reports.").exists()
            ),
            120,
            1,
            "the publication's notices delivered to both county staff",
        )
        time.sleep(3)  # the cache back: pages still answer, the version tokens written during the cut replaced
        for path in PAGES:
            assert during.request(path)[0] == 200, path
    (OUTPUT_DIR / "fault-cache-down.json").write_text(json.dumps(statuses, ensure_ascii=False))
