"""Celery tasks of the notifications app: take values, call a function, nothing else."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from notifications.sms import SmsError, backend

log = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, max_retries=None)
def send_sms(self, phone: str, text: str) -> bool:
    """One SMS through the configured backend (queued by ``notify`` through the outbox, after the commit).

    A failure is tried again ``SMS_MAX_RETRIES`` times: on a worker later, with backoff (``self.retry``); run
    eagerly (embedded mode: no worker will come back to it) at once. After the last try it is logged and given up:
    never an exception into whoever sent the notice."""
    tries = 0
    while True:
        try:
            backend().send(phone, text)
            return True
        except SmsError as exc:
            done = self.request.retries + tries
            if done >= settings.SMS_MAX_RETRIES:
                log.error("SMS to %s given up after %s tries: %s", phone, done + 1, exc)
                return False
            if not self.request.is_eager:
                raise self.retry(exc=exc, countdown=min(30 * 2**done, 3600)) from exc
            tries += 1
