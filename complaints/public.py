"""What the public pages show of the complaints: counts per project, never a complaint's content."""

from __future__ import annotations

from complaints.models import Status


def project_counts(project) -> tuple[int, int]:
    """(complaints received, complaints closed) for a project's public page (rejected ones are not counted)."""
    rows = project.complaints.exclude(status=Status.REJECTED).values_list("status", flat=True)
    statuses = list(rows)
    return len(statuses), sum(1 for s in statuses if s == Status.CLOSED)
