"""Hooks of the 精品工程 复核 (review after a veto event): the constraint-record signal and the public page's label."""

from __future__ import annotations

from evaluation.models import CertificationReview
from evaluation.services import review_after_veto_event
from projects.choices import JingpinStatus


def review_on_constraint_record(record) -> None:
    """A new constraint record on a certified project (an escalated notice makes one) opens its review at once
    (a listener of ``projects.services.constraint_recorded``)."""
    project = record.participant.project
    if project.jingpin_status in (JingpinStatus.CERTIFIED, JingpinStatus.DEMONSTRATION):
        review_after_veto_event(project, record.occurred_on)


def public_jingpin_label(project, label: str) -> str:
    """What the public page shows as 精品工程: the title, and "（复核中）" while the city reviews it."""
    if project.jingpin_status not in (JingpinStatus.CERTIFIED, JingpinStatus.DEMONSTRATION):
        return label
    if CertificationReview.objects.filter(project=project, status="open").exists():
        return f"{label}（复核中）"
    return label
