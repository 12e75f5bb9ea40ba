"""What the public pages show of the complaints: counts per project, never a complaint's content."""

from __future__ import annotations

from django.db.models import Count, Q

from complaints.choices import Status


def annotate_counts(queryset, path: str):
    """``complaints_received`` and ``complaints_closed`` on each row, following ``path`` to the complaints."""
    counted = ~Q(**{f"{path}__status": Status.REJECTED}) & Q(**{f"{path}__isnull": False})
    return queryset.annotate(
        complaints_received=Count(path, filter=counted, distinct=True),
        complaints_closed=Count(path, filter=Q(**{f"{path}__status": Status.CLOSED}), distinct=True),
    )


def annotate_disclosures(queryset):
    """The complaint counts of each disclosed project (registered with disclosure.public)."""
    return annotate_counts(queryset, "project__complaints")
