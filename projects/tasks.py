"""Celery tasks of the projects app: take ids, call a function, nothing else."""

from celery import shared_task

from projects.notices import notify_report_event as notify


@shared_task(bind=True, acks_late=True, max_retries=3)
def notify_report_event(self, report_id: int, event: str) -> int:
    """The county on a submitted monthly report, the filing unit on an accepted or returned one (once per event)."""
    return notify(report_id, event)


@shared_task(acks_late=True)
def notify_milestone_slips() -> int:
    """Daily: milestones newly 滞后 are claimed once per planned date and their notices queued."""
    from projects.services import detect_milestone_slips

    return detect_milestone_slips()


@shared_task(bind=True, acks_late=True, max_retries=3)
def notify_milestone_slip(self, milestone_id: int, planned_on: str) -> int:
    """The project's 建设单位 users and its county, about one slipped plan of a milestone (once per slip)."""
    from projects.notices import notify_milestone_slip as notify

    return notify(milestone_id, planned_on)
