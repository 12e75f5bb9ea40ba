"""The Celery app of the fault drills' workers: the real app, with report generation slowed down on request
(``FAULT_SLOW_REPORT_SECONDS``) so that a drill can kill a worker or cut its database in the middle of a run."""

from __future__ import annotations

import os
import random
import time

from celery.signals import task_prerun

from config.celery import app  # noqa: F401 - the app this module exposes to ``celery -A``

_patched = False


@task_prerun.connect
def _slow_down_reports(**kwargs):
    global _patched
    slow = float(os.environ.get("FAULT_SLOW_REPORT_SECONDS") or 0)
    if _patched or not slow:
        return
    from reports.generators.base import ReportGenerator

    original = ReportGenerator.generate

    def generate(self, progress=lambda pct: None):
        # Data is read before and after the pause, so a database cut lands in the middle of a run.
        progress(10)
        time.sleep(slow * random.uniform(0.5, 1.0))
        progress(20)
        return original(self, progress=progress)

    ReportGenerator.generate = generate
    _patched = True
