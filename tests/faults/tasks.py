"""Tasks only the fault tests load into their worker (``celery worker --include tests.faults.tasks``)."""

import time

from celery import shared_task


@shared_task
def slow_echo(value, seconds: float = 0.0):
    """Sleep ``seconds`` (a task that is still running when the broker drops), then return ``value``."""
    time.sleep(seconds)
    return value
