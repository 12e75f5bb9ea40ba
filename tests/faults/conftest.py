"""Fault drills: real worker/beat/web processes whose broker or database can be cut by a FaultProxy."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import OUTPUT_DIR, ROOT


def database_url(host: str | None = None, port: int | None = None) -> str:
    db = connection.settings_dict
    host = host or db["HOST"] or "127.0.0.1"
    port = port or db["PORT"] or 5432
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{host}:{port}/{db['NAME']}"


def redis_address() -> tuple[str, int]:
    from urllib.parse import urlparse

    url = urlparse(os.environ["CELERY_BROKER_URL"])
    return url.hostname or "127.0.0.1", url.port or 6379


def redis_db() -> str:
    from urllib.parse import urlparse

    return urlparse(os.environ["CELERY_BROKER_URL"]).path or "/0"


@pytest.fixture
def fault_env():
    """Environment for processes of a drill: the test database, a private queue, fast recovery settings."""
    if not os.environ.get("CELERY_BROKER_URL"):
        if os.environ.get("CI"):
            pytest.fail("CI must set CELERY_BROKER_URL for the fault drills")
        pytest.skip("CELERY_BROKER_URL is not set: no real broker for the fault drills")
    if connection.vendor != "postgresql":
        pytest.skip("the fault drills run on PostgreSQL (CI)")
    queue = f"fault-{uuid.uuid4().hex[:10]}"
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url(),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        CELERY_TASK_DEFAULT_QUEUE=queue,
        REPORT_HEARTBEAT_SECONDS="1",
        REPORT_STALE_SECONDS="4",
        REPORT_QUEUE_STALE_SECONDS="20",
        REPORT_SWEEP_SECONDS="3",
        OUTBOX_DISPATCH_SECONDS="2",
        DB_CONN_MAX_AGE="0",
    )
    return env


class Processes:
    """Background processes of one drill, each logging to test-output/; all stopped at the end."""

    def __init__(self, name: str):
        self.name = name
        self.procs: list[subprocess.Popen] = []
        OUTPUT_DIR.mkdir(exist_ok=True)

    def log_path(self, label: str) -> Path:
        return OUTPUT_DIR / f"{self.name}-{label}.log"

    def start(self, label: str, args: list[str], env: dict, ready: str | None = None, timeout: float = 90):
        log_path = self.log_path(label)
        log = open(log_path, "w")
        proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        proc.log_path = log_path
        self.procs.append(proc)
        if ready:
            deadline = time.monotonic() + timeout
            while ready not in log_path.read_text(errors="replace"):
                if proc.poll() is not None:
                    pytest.fail(f"{label} exited early:\n{log_path.read_text(errors='replace')[-3000:]}")
                if time.monotonic() > deadline:
                    pytest.fail(f"{label} not ready in {timeout} s:\n{log_path.read_text(errors='replace')[-3000:]}")
                time.sleep(0.2)
        return proc

    def worker(self, env: dict, label: str = "worker"):
        return self.start(
            label,
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "tests.faults.worker_app",
                "worker",
                "-P",
                "solo",
                "-n",
                f"{label}-{uuid.uuid4().hex[:6]}@%h",
                "--without-gossip",
                "--without-mingle",
                "-l",
                "info",
            ],
            env,
            ready="ready.",
        )

    def web(self, env: dict, port: int):
        return self.start(
            "web",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--timeout",
                "60",
                "--access-logfile",
                "-",
            ],
            env,
            ready="Booting worker",
        )

    def beat(self, env: dict, tmp_path: Path):
        return self.start(
            "beat",
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "beat",
                "-l",
                "info",
                "--schedule",
                str(tmp_path / "celerybeat-schedule"),
            ],
            env,
            ready="beat: Starting",
        )

    def kill(self, proc, sig=9) -> None:
        if proc.poll() is None:
            os.kill(proc.pid, sig)
        proc.wait(timeout=30)

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture
def processes(request):
    procs = Processes(request.node.name)
    yield procs
    procs.stop_all()
    # Connections of killed processes die with them, but the server may notice a moment later; the test database
    # must be free for its teardown.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


def wait_until(predicate, timeout: float, interval: float = 0.5, message: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"not reached in {timeout} s: {message}")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def files_on_disk() -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
