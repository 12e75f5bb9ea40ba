"""Celery tasks of the evaluation app: call a service, nothing else."""

from __future__ import annotations

from celery import shared_task

from evaluation import services


@shared_task
def review_certified_projects() -> int:
    """Beat, daily: every 精品工程/示范项目 with a new veto event gets a 复核 (notice to the city)."""
    return services.review_certified_projects()
