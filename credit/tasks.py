from celery import shared_task

from credit import services


@shared_task(acks_late=True)
def daily_credit() -> dict:
    """Beat, every night: a rule adopted for today applies, insurance lapses are re-read, every score is brought to
    today (entries that expired get their history row on their own day). Idempotent."""
    return services.daily()
