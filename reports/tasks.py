"""Celery tasks of the reports app: take ids, call a service, nothing else."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from reports import services

# Errors worth a retry with backoff (database or broker hiccups); anything else fails with its message.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=3)
def generate_report(self, archive_id: int) -> str:
    redelivered = bool((self.request.delivery_info or {}).get("redelivered"))
    try:
        return services.run_archive(archive_id, redelivered=redelivered)
    except TRANSIENT_ERRORS as exc:
        if self.request.retries >= self.max_retries:
            services.mark_failed(archive_id, f"生成失败：多次重试后仍出错（{exc}）。")
            raise
        services.release_for_retry(archive_id, str(exc))
        if self.request.is_eager:
            # Embedded mode has no broker to re-queue on: run the retry in place, same limit, no wait.
            retry = self.apply(args=(archive_id,), retries=self.request.retries + 1, throw=False)
            return retry.result if retry.successful() else "failed"
        raise self.retry(exc=exc, countdown=min(2 ** (self.request.retries + 1) * 5, 300))
    except Exception as exc:
        services.mark_failed(archive_id, f"生成失败：{exc}")
        raise


@shared_task
def fail_stale_report_runs() -> int:
    return services.fail_stale_runs()


@shared_task
def build_due_monthly_bulletin() -> int | None:
    """Beat, 21st of month M at 08:00: the bulletin of month M, whose deadline (the 20th) has just passed."""
    from reports.generators.monthly import due_bulletin_month
    from reports.models import ReportType

    year, month = due_bulletin_month()
    archive, _ = services.request_report(ReportType.MONTHLY_BULLETIN, {"year": year, "month": month}, scheduled=True)
    return archive.pk


@shared_task
def send_submission_reminders() -> int:
    """Beat, 17th and 19th: every county that has not submitted this month's assessment is reminded."""
    from reports.reminders import send_submission_reminders as send

    return send()


@shared_task(bind=True, acks_late=True, max_retries=3)
def notify_submission_event(self, submission_id: int, event: str) -> int:
    """A county is told when its month is returned, approved or published (once per event)."""
    from reports.reminders import notify_submission_event as notify

    return notify(submission_id, event)
