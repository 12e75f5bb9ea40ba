"""Named reads and scoping for the assessment app.

The city sees every county; county staff see their own county's submissions and everything hanging off
them (scores, evidence, comments, adjustments, audit); experts and unit users see nothing here.
"""

from __future__ import annotations

from assessment.choices import IN_REVIEW_STATUSES, SENT_STATUSES
from core.querysets import CountyScopedQuerySet, PublicQuerySet


class RubricQuerySet(PublicQuerySet):
    def for_year(self, year: int):
        return self.filter(year=year).order_by("-version")

    def current(self, year: int):
        """The newest version of the year's rubric (None if the year has none)."""
        return self.for_year(year).first()


class AnnualTargetQuerySet(PublicQuerySet):
    """Targets are published figures (附件1): every signed-in user may read them; only the city writes."""


class SubmissionQuerySet(CountyScopedQuerySet):
    county_field = "county"

    def sent(self):
        return self.filter(status__in=SENT_STATUSES)

    def in_review(self):
        return self.filter(status__in=IN_REVIEW_STATUSES)

    def published(self):
        return self.filter(status="published")


class SubmissionChildQuerySet(CountyScopedQuerySet):
    county_field = "submission__county"


class AuditEntryQuerySet(CountyScopedQuerySet):
    county_field = "county"
