"""Celery tasks of the reports app: take ids, call a service, nothing else."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from reports import services
from reports.choices import ReportType
from reports.generators.monthly import due_bulletin_month

log = logging.getLogger(__name__)

# Errors worth a retry with backoff (database or broker hiccups); anything else fails with its message.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=3)
def generate_report(self, archive_id: int, token: str | None = None) -> str:
    try:
        return services.run_archive(archive_id, token=token)
    except TRANSIENT_ERRORS as exc:
        token = services.current_run.token
        if self.request.retries >= self.max_retries:
            services.mark_failed(archive_id, f"生成失败：数据库或消息队列多次重试后仍不可用（{exc}）。")
            raise
        if token:
            services.release_for_retry(archive_id, token, str(exc))
        if self.request.is_eager:
            # Embedded mode has no broker to re-queue on: run the retry in place, same limit, no wait.
            retry = self.apply(args=(archive_id, token), retries=self.request.retries + 1, throw=False)
            return retry.result if retry.successful() else "failed"
        # The retry carries this run's claim: it takes the archive back even when the database could not be told.
        raise self.retry(exc=exc, args=(archive_id, token), countdown=min(2 ** (self.request.retries + 1) * 5, 300))
    except Exception as exc:
        log.exception("report archive %s failed", archive_id)
        services.mark_failed(archive_id, services.failure_reason(exc))
        raise


@shared_task
def sweep_report_runs() -> dict:
    """Beat every minute and each worker start: stale runs requeued or failed, lost jobs re-sent, orphan files removed."""
    return services.sweep()


@shared_task
def build_due_monthly_bulletin() -> int | None:
    """Beat, 21st of month M at 08:00: the bulletin of month M, whose deadline (the 20th) has just passed."""
    year, month = due_bulletin_month()
    archive, _ = services.request_report(ReportType.MONTHLY_BULLETIN, {"year": year, "month": month}, scheduled=True)
    return archive.pk
