"""Celery tasks of the credit app: call a service, nothing else."""

from __future__ import annotations

from celery import shared_task

from credit import services


@shared_task(acks_late=True)
def credit_daily() -> dict:
    """Beat, daily 00:20: a rule version taking effect today applies, date-dependent sources (insurance lapses)
    are re-read, and every score is brought to today (expiries). Safe to run twice: a second run on the same day
    finds nothing to change."""
    return services.daily()
