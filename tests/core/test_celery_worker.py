"""A real Celery worker process, started by the test, runs a task from the real broker."""

import pytest

from core.tasks import ping


@pytest.mark.worker
def test_real_worker_runs_a_task_and_returns_its_result(celery_worker_process):
    result = ping.apply_async(args=[21], queue=celery_worker_process)
    assert result.get(timeout=60) == {"pong": 21, "double": 42}
    assert result.successful()
