"""What the public pages show of the complaints: counts per project, never a complaint's content."""

from __future__ import annotations

from django.db.models import Count, Q

from complaints.models import Status


def project_counts(project) -> tuple[int, int]:
    """(complaints received, complaints closed) for a project's public page (rejected ones are not counted)."""
    rows = project.complaints.exclude(status=Status.REJECTED).values_list("status", flat=True)
    statuses = list(rows)
    return len(statuses), sum(1 for s in statuses if s == Status.CLOSED)


def annotate_counts(queryset, path: str):
    """``complaints_received`` and ``complaints_closed`` on each row, following ``path`` to the complaints."""
    counted = ~Q(**{f"{path}__status": Status.REJECTED}) & Q(**{f"{path}__isnull": False})
    return queryset.annotate(
        complaints_received=Count(path, filter=counted, distinct=True),
        complaints_closed=Count(path, filter=Q(**{f"{path}__status": Status.CLOSED}), distinct=True),
    )
