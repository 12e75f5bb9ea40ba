"""Shared fixtures: the three users of every permission test, API clients, a real Celery worker."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient

from tests.factories import CountyFactory, EnterpriseFactory, UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

ROOT = Path(__file__).resolve().parent.parent
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
OUTPUT_DIR = ROOT / "test-output"


def set_eager(flag: bool) -> None:
    """Run Celery tasks in-process (True) or through the broker (False). Both spellings: the app reads its
    settings from Django with the ``CELERY_`` namespace, and Celery 5.6 lets the namespaced key shadow the plain one."""
    from config.celery import app

    app.conf.update({"task_always_eager": flag, "CELERY_TASK_ALWAYS_EAGER": flag})


def pytest_configure(config):
    # Tests run Celery tasks eagerly in-process; the worker tests switch a real worker on explicitly.
    from config.celery import app

    set_eager(True)
    app.conf.update({"task_eager_propagates": True, "CELERY_TASK_EAGER_PROPAGATES": True})

    # Every factory, seed and sign-in hashes a password: PBKDF2's 870,000 rounds would cost most of the suite's
    # time, and no test depends on the hasher. Set here (not in a function fixture) so that module- and
    # session-scoped fixtures (seed_demo per module) hash fast too.
    from django.contrib.auth.hashers import get_hashers

    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS
    get_hashers.cache_clear()


def pytest_report_header(config):
    db = settings.DATABASES["default"]
    broker = os.environ.get("CELERY_BROKER_URL") or "none (eager)"
    return [f"database: {db['ENGINE'].rsplit('.', 1)[-1]} (NAME={db['NAME']})", f"celery broker: {broker}"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Tests run Celery tasks in-process (pytest_configure), so they are in embedded mode whatever the broker setting:
    # a dashboard request computes a panel whose data changed. The tests of the worker's recompute and of the 更新中
    # copy switch DASHBOARD_SERVE_STALE on themselves (tests/core/test_dashboard_refresh.py).
    settings.DASHBOARD_SERVE_STALE = False
    # Their dashboard pages show every panel in the page itself (the tests read the figures in the page's HTML): the
    # placeholders that load a scope's not-yet-computed panels one by one are tested where they are switched on
    # (tests/core/test_dashboard_lazy_panels.py, tests/browser/test_dashboard_lazy_panels.py).
    settings.DASHBOARD_LAZY_PANELS = False


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    """DRF's request-rate counters live in the (local-memory) cache: every test starts with none."""
    from django.core.cache import cache

    from core import cache as resilient_cache
    from core import panel_cache

    cache.clear()
    resilient_cache.reset()  # no outage recorded by an earlier test
    panel_cache._unsaved_versions.clear()
    panel_cache._awaiting_commit.clear()


@pytest.fixture
def output_dir(request) -> Path:
    """A folder for this test's artefacts (screenshots, PDFs) under test-output/."""
    path = OUTPUT_DIR / request.node.name.replace("/", "_").replace("[", "_").replace("]", "")
    path.mkdir(parents=True, exist_ok=True)
    return path


# No timed assertions: Hypothesis' per-example deadline and its "input generation is slow" health check depend on
# how busy the machine is (they failed on a loaded 2-core machine), so both are off for every property test.
hypothesis_settings.register_profile("jingpin", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("jingpin")


# --- the clock -------------------------------------------------------------------------------------
# Tests never read the wall clock: a test whose outcome depends on the date pins it. The demo data is built
# relative to today, so every test that seeds it runs at DEMO_NOW: 2023 complete and published, 2024 up to
# March (January late for 陵川县, February returned for 阳城县 and missing for 沁水县, March still open).
SHANGHAI = ZoneInfo("Asia/Shanghai")
DEMO_NOW = dt.datetime(2024, 3, 12, 10, 0, tzinfo=SHANGHAI)
DEMO_TODAY = DEMO_NOW.date()


def at(*args) -> dt.datetime:
    """An aware datetime in Asia/Shanghai: at(2024, 3, 12, 10)."""
    return dt.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def clock():
    """Pin the clock: ``clock.move_to(at(2024, 6, 17, 9))``; starts at DEMO_NOW (the clock ticks)."""
    with time_machine.travel(DEMO_NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
def demo_clock(clock):
    """The clock at DEMO_NOW, for tests on the demo data."""
    return clock


@pytest.fixture(scope="module")
def _module_demo_data(django_db_setup, django_db_blocker):
    """seed_demo once per module (at DEMO_NOW) inside a transaction that is rolled back afterwards (tests run
    in savepoints)."""
    from django.core.management import call_command
    from django.db import transaction

    with time_machine.travel(DEMO_NOW, tick=True), django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo_data(_module_demo_data, db, demo_clock):
    """The full demo data set (seed_demo) as `make run` loads it on DEMO_NOW, with the clock at DEMO_NOW."""


# --- people ---------------------------------------------------------------------------------------
@pytest.fixture
def county(db):
    return CountyFactory(name="高平市")


@pytest.fixture
def other_county(db):
    return CountyFactory(name="阳城县")


@pytest.fixture
def city_admin(db):
    return UserFactory(role="city_admin", username="city_admin")


@pytest.fixture
def county_user(county):
    """The owner: staff of the county the data belongs to."""
    return UserFactory(role="county_staff", region=county, username="owner")


@pytest.fixture
def colleague(other_county):
    """Staff of another county: must see none of the first county's data."""
    return UserFactory(role="county_staff", region=other_county, username="colleague")


@pytest.fixture
def outsider(db):
    """A construction-unit user of an unrelated enterprise."""
    return UserFactory(role="unit_user", enterprise=EnterpriseFactory(), username="outsider")


@pytest.fixture
def api():
    return APIClient()


def api_client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- real Celery worker ---------------------------------------------------------------------------
@pytest.fixture
def celery_worker_process(request):
    """Start ``celery worker`` as a separate process against the real broker, on a private queue.

    Yields the queue name. Skipped (with the reason) when no CELERY_BROKER_URL is configured; in CI it is.
    The worker sees the test database (DATABASE_URL pointing at it) so tasks that read data work.
    """
    broker = os.environ.get("CELERY_BROKER_URL")
    if not broker:
        if os.environ.get("CI"):
            pytest.fail("CI must set CELERY_BROKER_URL for the real-worker tests")
        pytest.skip("CELERY_BROKER_URL is not set: no real broker to start a Celery worker against")
    from django.db import connection

    queue = f"test-{uuid.uuid4().hex[:10]}"
    env = dict(os.environ)
    db = connection.settings_dict
    if db["ENGINE"].endswith("postgresql"):
        env["DATABASE_URL"] = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    env["MEDIA_ROOT"] = str(settings.MEDIA_ROOT)
    log_path = OUTPUT_DIR / f"celery-worker-{queue}.log"
    OUTPUT_DIR.mkdir(exist_ok=True)
    log = open(log_path, "w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-P",
            "solo",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "info",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    set_eager(False)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"Celery worker exited early, see {log_path}:\n{log_path.read_text()[-2000:]}")
            if "ready." in log_path.read_text():
                break
            time.sleep(0.3)
        else:
            pytest.fail(f"Celery worker did not become ready in 60 s, see {log_path}")
        yield queue
    finally:
        set_eager(True)
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


# --- headless Chromium (Debian's /usr/bin/chromium) driven by Playwright, against the live server ---

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("CI needs Debian's chromium for the browser tests (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium); run `make test` to install it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, output_dir):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base_url = live_server.url
    yield page
    context.close()


def login(page, username, password="Test@12345"):
    page.goto(f"{page.base_url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("networkidle")
