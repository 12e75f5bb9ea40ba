"""Celery tasks of the projects app: take ids, call a function, nothing else."""

from celery import shared_task

from projects.notices import notify_report_event as notify


@shared_task(bind=True, acks_late=True, max_retries=3)
def notify_report_event(self, report_id: int, event: str) -> int:
    """The county on a submitted monthly report, the filing unit on an accepted or returned one (once per event)."""
    return notify(report_id, event)
