"""Named reads of the complaints app: the county scope, the open and the overdue complaints."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from complaints.choices import OPEN_STATUSES, Status
from core.querysets import CountyScopedQuerySet


class ComplaintQuerySet(CountyScopedQuerySet):
    county_field = "county"

    def open(self):
        return self.filter(open_q())

    def overdue(self, today):
        return self.filter(overdue_q(today))


def open_q() -> Q:
    return Q(status__in=OPEN_STATUSES)


def overdue_q(today) -> Q:
    """Past the deadline of their current step: 受理 while pending, 办结 while accepted or being checked."""
    return Q(status=Status.PENDING, accept_due__lt=today) | Q(
        status__in=(Status.ACCEPTED, Status.INVESTIGATING), close_due__lt=today
    )


class ComplaintCategoryQuerySet(models.QuerySet):
    def top(self):
        return self.filter(parent__isnull=True)

    def active(self):
        return self.filter(active=True)


class ComplaintChildQuerySet(CountyScopedQuerySet):
    county_field = "complaint__county"
