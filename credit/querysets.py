"""Who sees which credit rows. An enterprise's 诚信档案 is the bureau's shared record: the city and every county's
staff read every enterprise's entries and scores (a county checks a bidder from another county); a unit user reads
its own enterprise's only; experts none. Appeals belong to the county that decides them (the entry's county; the
city decides those without one)."""

from __future__ import annotations

from django.db import models

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


def may_read_record(user, enterprise) -> bool:
    """``visible_to``'s rule for one enterprise's whole record (its standing on a day, its 诚信档案 page), which
    holds for an enterprise without any entry too: the bureau reads every enterprise's, a unit user its own."""
    if not _signed_in(user):
        return False
    if user.is_city_admin or user.is_county_staff:
        return True
    return bool(
        user.is_unit_user and user.enterprise_id and user.enterprise_id == getattr(enterprise, "pk", enterprise)
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
