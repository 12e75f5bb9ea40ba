"""Named reads of the complaints app: the county scope, the open and the overdue complaints."""

from __future__ import annotations

from django.db.models import Q

from core.querysets import CountyScopedQuerySet


class ComplaintQuerySet(CountyScopedQuerySet):
    county_field = "county"

    def open(self):
        from complaints.models import OPEN_STATUSES

        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today):
        """Past the deadline of their current step: 受理 while pending, 办结 while accepted or being checked."""
        from complaints.models import Status

        return self.filter(
            Q(status=Status.PENDING, accept_due__lt=today)
            | Q(status__in=(Status.ACCEPTED, Status.INVESTIGATING), close_due__lt=today)
        )


class ComplaintChildQuerySet(CountyScopedQuerySet):
    county_field = "complaint__county"
