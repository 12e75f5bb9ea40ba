"""Celery application: configured from Django settings (namespace CELERY_), tasks autodiscovered.

When a worker starts it delivers what the outbox still holds and sweeps the report archive (runs left behind by a
worker that died); a second sweep follows once such runs' heartbeats are stale.
"""

import logging
import os

from celery import Celery
from celery.signals import worker_process_init, worker_ready

from core.observability import connect_celery_signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("jingpin")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Request ids travel with tasks; workers log like the web (JSON with LOG_FORMAT=json): core/observability.py.
connect_celery_signals()

log = logging.getLogger(__name__)


@worker_ready.connect
def _recover_on_worker_start(sender=None, **kwargs):
    from django.conf import settings

    try:
        app.send_task("core.tasks.dispatch_outbox", ignore_result=True)
        app.send_task("reports.tasks.sweep_report_runs", ignore_result=True)
        app.send_task(
            "reports.tasks.sweep_report_runs", countdown=settings.REPORT_STALE_SECONDS + 5, ignore_result=True
        )
    except Exception:  # noqa: BLE001 - beat does the same every minute
        log.exception("recovery tasks at worker start could not be sent")


@worker_process_init.connect
def _warm_pdf_engine(sender=None, **kwargs):
    """Each worker child loads the PDF engine and the CJK fonts as it starts, not during its first report."""
    from django.conf import settings

    if not settings.REPORT_WORKER_WARMUP:
        return
    try:
        from reports.writers import warm_up

        warm_up()
    except Exception:  # noqa: BLE001 - a report would show the same problem, with its own error handling
        log.exception("the PDF engine could not be warmed up in this worker child")
