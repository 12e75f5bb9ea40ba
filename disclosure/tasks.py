"""Celery tasks of the disclosure app: take ids, call a function, nothing else."""

from celery import shared_task

from disclosure.notices import remind_all, remind_project


@shared_task(bind=True, acks_late=True, max_retries=3)
def remind_unpublished(self, project_id: int) -> int:
    """The county of a project that reached 施工 unpublished (queued by the stage change, once per stage)."""
    return remind_project(project_id)


@shared_task(acks_late=True)
def remind_unpublished_projects() -> int:
    """Daily: every project from 施工 on still unpublished (its county reminded once per stage)."""
    return remind_all()
