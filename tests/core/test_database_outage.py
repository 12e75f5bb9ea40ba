"""A real PostgreSQL outage under gunicorn with production settings: the API answers 503 JSON with a Chinese
message and Retry-After, the web app its Chinese 503 page, and both recover when the database is back.

gunicorn (started by scripts/serve-production web) reaches the test database through the fault-injecting proxy
(tests/faults/proxy.py); the shared PostgreSQL server is never stopped.
"""

from __future__ import annotations

import os

import pytest
from django.db import connection

from accounts.security import issue_token
from tests.conftest import OUTPUT_DIR
from tests.factories import UserFactory
from tests.faults import processes
from tests.faults.proxy import FaultProxy

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def db_proxy(transactional_db):
    db = connection.settings_dict
    if not db["ENGINE"].endswith("postgresql"):
        if os.environ.get("CI"):
            pytest.fail("CI runs on PostgreSQL: the database-outage test must run there")
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://…)")
    with FaultProxy((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432))) as proxy:
        yield proxy


@pytest.fixture
def gunicorn(db_proxy, tmp_path):
    db = connection.settings_dict
    port = processes.free_port()
    env = processes.production_env(
        DATABASE_URL=f"postgres://{db['USER']}:{db['PASSWORD']}@127.0.0.1:{db_proxy.port}/{db['NAME']}",
        DB_CONN_MAX_AGE="600",
        GUNICORN_WORKERS="1",  # one worker: the request after the reset reuses the very connection that died
        BIND=f"127.0.0.1:{port}",
        MEDIA_ROOT=str(tmp_path / "media"),
        STATIC_ROOT=str(tmp_path / "static"),
    )
    env.pop("CELERY_BROKER_URL", None)  # no broker: /healthz then reports the database only
    before = _backends()  # e.g. the live server's connection: not gunicorn's
    proc = processes.start(["web"], env, OUTPUT_DIR / "database-outage-gunicorn.log")
    base = f"http://127.0.0.1:{port}"
    try:
        processes.wait_until(lambda: processes.answers(f"{base}/healthz"), 60, "gunicorn ready", proc)
        yield base
    finally:
        processes.stop(proc)
        # gunicorn's sessions end before the test database is dropped
        processes.wait_until(lambda: _backends() <= before, 30, "gunicorn's database sessions closed")


def _backends() -> set[int]:
    """The PostgreSQL backends connected to the test database, except this test's own."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return {row[0] for row in cursor.fetchall()}


def test_api_and_web_answer_503_during_a_database_outage_and_recover(db_proxy, gunicorn):
    user = UserFactory(role="city_admin", username="outage_admin")
    auth = {"Authorization": f"Token {issue_token(user, '故障演练')[1]}"}
    regions = f"{gunicorn}/api/v1/regions/"

    status, _, body = processes.http_json("GET", regions, auth)
    assert status == 200, body

    # The database restarts between two requests: the worker's persistent connection is dead, and
    # CONN_HEALTH_CHECKS replaces it before use instead of failing the request.
    db_proxy.reset()
    status, _, body = processes.http_json("GET", regions, auth)
    assert status == 200, body

    db_proxy.cut()
    status, headers, body = processes.http_json("GET", regions, auth)
    assert status == 503
    assert headers["Content-Type"].startswith("application/json")
    assert body == {"detail": "数据库暂时不可用，请稍后重试。", "code": "database_unavailable"}
    assert headers["Retry-After"] == "15"

    # A web page whose session must be read from the database: the Chinese 503 page, not "Server Error (500)".
    cookie = {"Cookie": "sessionid=" + "a" * 32}
    status, headers, html = processes.http("GET", f"{gunicorn}/projects/list/", cookie)
    assert status == 503
    assert "数据库暂时不可用" in html.decode() and "Server Error" not in html.decode()
    assert headers["Retry-After"] == "15"

    status, _, body = processes.http_json("GET", f"{gunicorn}/healthz", processes.HEALTHZ_HEADERS)
    assert status == 503 and body["status"] == "fail" and body["checks"]["database"]["status"] == "error"
    assert processes.http_json("GET", f"{gunicorn}/healthz")[2] == {"status": "fail"}

    db_proxy.resume()
    status, _, body = processes.http_json("GET", regions, auth)
    assert status == 200, body
    assert processes.http_json("GET", f"{gunicorn}/healthz")[0] == 200
