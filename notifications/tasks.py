"""Celery tasks of the notifications app: take values, call a function, nothing else."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from notifications.sms import SmsError, backend


@shared_task(bind=True, acks_late=True, max_retries=None)
def send_sms(self, phone: str, text: str) -> bool:
    """One SMS through the configured backend; a failure is retried with backoff (SMS_MAX_RETRIES times)."""
    try:
        backend().send(phone, text)
    except SmsError as exc:
        if self.request.retries >= settings.SMS_MAX_RETRIES:
            raise
        raise self.retry(exc=exc, countdown=min(30 * 2**self.request.retries, 3600)) from exc
    return True
