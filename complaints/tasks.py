from celery import shared_task

from complaints import services


@shared_task
def flag_overdue_complaints() -> int:
    """Beat: flag complaints past their deadline and notify the city, the county and the handler (idempotent)."""
    return services.flag_overdue()


@shared_task(bind=True, acks_late=True, max_retries=3)
def send_complaint_notice(self, complaint_id: int, event: str) -> int:
    """A notice about one step of a complaint (queued through the outbox; sent once per event and recipient)."""
    return services.send_notice(complaint_id, event)
