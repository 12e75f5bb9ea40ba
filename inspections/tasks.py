"""Celery tasks of the inspections app: take ids, call a service, nothing else."""

from __future__ import annotations

from celery import shared_task

from inspections import notices


@shared_task
def notify_notice_event(notice_id: int, event: str) -> int:
    return notices.notify_notice_event(notice_id, event)


@shared_task
def send_notice_reminders() -> int:
    """Beat, daily 08:30: reminders 3 days (setting) before a rectification deadline, and overdue notices."""
    return notices.send_reminders()
