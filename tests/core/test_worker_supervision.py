"""The Celery worker keeps consuming after its broker drops, and ``scripts/serve-production worker`` restarts a
worker that exits and stops it cleanly on SIGTERM/SIGINT.

The worker reaches the local Redis through the fault-injecting proxy (tests/faults/proxy.py); the shared Redis
is never stopped. The test itself publishes and reads results on the real Redis directly.
"""

from __future__ import annotations

import os
import re
import signal
import time
import uuid
from urllib.parse import urlsplit

import pytest

from tests.conftest import OUTPUT_DIR, set_eager
from tests.faults import processes
from tests.faults.proxy import FaultProxy
from tests.faults.tasks import slow_echo

pytestmark = pytest.mark.worker


def _log(proc) -> str:
    return proc.log_path.read_text(errors="replace")


def _worker_pids(proc) -> list[int]:
    return [int(pid) for pid in re.findall(r"celery worker started \(pid (\d+)\)", _log(proc))]


@pytest.fixture
def broker():
    url = os.environ.get("CELERY_BROKER_URL")
    if not url or not url.startswith("redis://"):
        if os.environ.get("CI"):
            pytest.fail("CI must set CELERY_BROKER_URL (redis://) for the worker tests")
        pytest.skip("CELERY_BROKER_URL (redis://) is not set: no broker to start a worker against")
    return urlsplit(url)


@pytest.fixture
def supervised_worker(broker):
    """``scripts/serve-production worker`` on a private queue, its broker behind a FaultProxy."""

    queue = f"test-{uuid.uuid4().hex[:10]}"
    with FaultProxy((broker.hostname or "127.0.0.1", broker.port or 6379)) as proxy:
        proxied = f"redis://127.0.0.1:{proxy.port}{broker.path or '/0'}"
        env = processes.production_env(CELERY_BROKER_URL=proxied, CELERY_RESULT_BACKEND=proxied, WORKER_CONCURRENCY="1")
        env.pop("DATABASE_URL", None)  # the test task never touches the database
        proc = processes.start(
            ["worker", "-Q", queue, "-n", f"{queue}@%h", "--include", "tests.faults.tasks"],
            env,
            OUTPUT_DIR / f"supervised-worker-{queue}.log",
        )
        set_eager(False)
        try:
            processes.wait_until(lambda: "ready." in _log(proc), 90, "celery worker ready", proc)
            yield proc, proxy, queue
        finally:
            set_eager(True)
            processes.stop(proc)


def test_worker_keeps_consuming_after_the_broker_drops_under_a_running_task(supervised_worker):
    proc, proxy, queue = supervised_worker
    running = slow_echo.apply_async(args=["before", 6], queue=queue)
    processes.wait_until(lambda: f"[{running.id}] received" in _log(proc), 60, "first task received", proc)
    time.sleep(1)  # the task is now running in the pool

    proxy.cut()  # Redis is gone for the worker: its connections are reset, new ones refused
    time.sleep(5)
    proxy.resume()

    after = slow_echo.apply_async(args=["after", 0], queue=queue)
    assert after.get(timeout=120) == "after"
    assert proc.poll() is None, "the supervisor must still be running"
    log = _log(proc)
    assert "Connection to broker lost" in log or "exited with status" in log, "the broker drop was not noticed"
    print(f"worker restarts by the supervisor during the broker drop: {log.count('exited with status')}")


def test_supervisor_restarts_a_worker_that_exits_and_stops_it_cleanly(supervised_worker):
    proc, _, queue = supervised_worker
    first = _worker_pids(proc)[-1]
    os.kill(first, signal.SIGKILL)  # the worker dies (as in kombu's crash on a broker drop)

    processes.wait_until(lambda: len(_worker_pids(proc)) == 2, 60, "worker restarted", proc)
    assert f"exited with status {128 + signal.SIGKILL}" in _log(proc)
    processes.wait_until(lambda: _log(proc).count("ready.") == 2, 90, "restarted worker ready", proc)
    assert slow_echo.apply_async(args=["again", 0], queue=queue).get(timeout=60) == "again"

    second = _worker_pids(proc)[-1]
    proc.send_signal(signal.SIGINT)  # Ctrl-C in a terminal: a clean stop, not a restart
    assert proc.wait(timeout=60) == 0
    assert "celery worker stopped" in _log(proc)
    assert len(_worker_pids(proc)) == 2
    with pytest.raises(ProcessLookupError):
        os.kill(second, 0)
