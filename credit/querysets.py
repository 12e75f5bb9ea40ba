"""Who sees which credit rows. An enterprise's 诚信档案 is the bureau's shared record: the city and every county's
staff read every enterprise's entries and scores (a county checks a bidder from another county); a unit user reads
its own enterprise's only; experts none. Appeals belong to the county that decides them (the entry's county; the
city decides those without one)."""

from __future__ import annotations

from django.db import models

from accounts.models import Enterprise
from core.querysets import ScopedQuerySet


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


class EnterpriseOwnedQuerySet(ScopedQuerySet):
    enterprise_field = "enterprise"

    def visible_to(self, user):
        if not _signed_in(user):
            return self.none()
        if user.is_city_admin or user.is_county_staff:
            return self.all()
        if user.is_unit_user and user.enterprise_id:
            return self.filter(**{f"{self.enterprise_field}_id": user.enterprise_id})
        return self.none()


def _reads_every_record(user) -> bool:
    return _signed_in(user) and (user.is_city_admin or user.is_county_staff)


def record_enterprises(user):
    """The enterprises whose whole record (their 诚信档案 page, their standing on a day) the user may read — also
    those without any entry: the bureau every one, a unit user its own (``visible_to``'s rule)."""
    if _reads_every_record(user):
        return Enterprise.objects.all()
    if _signed_in(user) and user.is_unit_user and user.enterprise_id:
        return Enterprise.objects.filter(pk=user.enterprise_id)
    return Enterprise.objects.none()


def may_read_record(user, enterprise) -> bool:
    """``record_enterprises`` for one enterprise, without a query."""
    if _reads_every_record(user):
        return True
    return bool(
        _signed_in(user)
        and user.is_unit_user
        and user.enterprise_id
        and user.enterprise_id == getattr(enterprise, "pk", enterprise)
    )


class EntryQuerySet(EnterpriseOwnedQuerySet):
    def for_enterprise(self, enterprise):
        return self.filter(enterprise_id=getattr(enterprise, "pk", enterprise))

    def in_force_on(self, day):
        return self.filter(occurred_on__lte=day, valid_until__gte=day).exclude(withdrawn_on__lte=day)

    def in_state(self, state: str, day):
        """The entries whose ``CreditEntry.state(day)`` is ``state`` (the same order of tests: withdrawn first,
        then not yet in force, expired, in force)."""
        withdrawn = models.Q(withdrawn_on__lte=day)
        if state == "withdrawn":
            return self.filter(withdrawn)
        standing = self.exclude(withdrawn)
        if state == "pending":
            return standing.filter(occurred_on__gt=day)
        if state == "expired":
            return standing.filter(occurred_on__lte=day, valid_until__lt=day)
        if state == "in_force":
            return standing.filter(occurred_on__lte=day, valid_until__gte=day)
        return self.none()

    def bad(self):
        return self.filter(polarity="bad")

    def good(self):
        return self.filter(polarity="good")


class ScoreQuerySet(EnterpriseOwnedQuerySet):
    pass


class StandingQuerySet(EnterpriseOwnedQuerySet):
    def blacklist(self):
        return self.filter(models.Q(grade="D") | models.Q(major_in_force=True))

    def redlist(self):
        return self.filter(grade="A", major_in_force=False)

    def watchlist(self):
        return self.filter(grade__in=("C", "D"))


class AppealQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if not _signed_in(user):
            return self.none()
        if user.is_city_admin:
            return self.all()
        if user.is_county_staff:
            return self.filter(entry__county_id=user.region_id) if user.region_id else self.none()
        if user.is_unit_user and user.enterprise_id:
            return self.filter(enterprise_id=user.enterprise_id)
        return self.none()

    def pending(self):
        return self.filter(status="pending")
