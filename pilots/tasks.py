"""Celery tasks of the pilots app: take ids, call a function, nothing else."""

from celery import shared_task

from pilots.notices import notify_pilot_event as notify


@shared_task(bind=True, acks_late=True, max_retries=3)
def notify_pilot_event(self, pilot_id: int, event: str, revision: int) -> int:
    """The 建设单位's users on a returned / approved / accepted / failed pilot (once per event and plan version)."""
    return notify(pilot_id, event, revision)
