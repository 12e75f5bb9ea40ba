"""Named reads and scoping for the awards app.

* Catalogue: public reference data.
* Award records, 丹河杯 selections and bonuses belong to the project's county: the city sees all, a county its
  own; a unit user sees the rows where its enterprise is the one receiving the points/bonus.
* The points ledger (``EnterpriseLedgerQuerySet``) is the city-wide reference of 评定分离 tender decisions:
  the points per enterprise, computed with one join + GROUP BY and filtered aggregates (one SQL statement).
  City and county staff read it for every contractor; a unit user only its own enterprise's row.
"""

from __future__ import annotations

from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Case, Exists, F, Max, OuterRef, Q, Sum, Value, When, Window
from django.db.models.functions import Coalesce, Rank
from django.utils import timezone

from accounts.models import Enterprise
from core import panel_cache
from core.querysets import CountyScopedQuerySet, PublicQuerySet

ZERO_POINTS = Value(Decimal("0.00"), output_field=models.DecimalField(max_digits=10, decimal_places=2))


def ledger_window_years() -> int:
    return int(settings.JINGPIN["LEDGER_WINDOW_YEARS"])


def ledger_window(reference_year: int, window: int | None = None) -> tuple[int, int]:
    """The tender-reference window for ``reference_year``: the N years ``Y-N+1 .. Y`` inclusive.

    With N = 3 and Y = 2023 that is 2021, 2022, 2023: points of 2020 are out, points of 2021 are in.
    """
    window = window or ledger_window_years()
    return reference_year - window + 1, reference_year


def default_reference_year() -> int:
    """The latest year with award records, not after the current year (else the current year).

    Award years are closed when the commendations are published, usually the year after; opening the
    ledger on the latest year that has records shows the window a bureau actually uses. Any year can be chosen.
    """
    AwardRecord = apps.get_model("awards", "AwardRecord")  # models.py imports this module: looked up, not imported
    this_year = timezone.localdate().year
    latest = AwardRecord.objects.filter(year__lte=this_year).aggregate(y=Max("year"))["y"]
    return latest or this_year


class AwardQuerySet(PublicQuerySet):
    pass


class AwardValueQuerySet(PublicQuerySet):
    pass


class AwardRecordQuerySet(CountyScopedQuerySet):
    county_field = "project__county"

    def for_unit_user(self, user):
        if not user.enterprise_id:
            return self.none()
        return self.filter(Q(contractor_id=user.enterprise_id) | Q(builder_id=user.enterprise_id))


class DanheSelectionQuerySet(CountyScopedQuerySet):
    county_field = "county"


class DanheCandidateQuerySet(CountyScopedQuerySet):
    county_field = "selection__county"


class BonusQuerySet(CountyScopedQuerySet):
    """Savings and design bonuses: a unit user sees those its enterprise proposed/designed or confirmed."""

    county_field = "project__county"
    recipient_field = "recipient"

    def for_unit_user(self, user):
        if not user.enterprise_id:
            return self.none()
        return self.filter(Q(**{f"{self.recipient_field}_id": user.enterprise_id}) | Q(builder_id=user.enterprise_id))


class EnterpriseLedger:
    """Builds the annotated Enterprise queryset of the points ledger (ranking of contractors)."""

    GENERAL_CONTRACTOR_KINDS = ("contractor", "epc")

    def __init__(
        self,
        reference_year: int | None = None,
        *,
        window: int | None = None,
        level: str | None = None,
        award=None,
        county=None,
    ):
        self.reference_year = reference_year or default_reference_year()
        self.window = window or ledger_window_years()
        self.first_year, self.last_year = ledger_window(self.reference_year, self.window)
        self.level = level
        self.award = award
        self.county = county

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    def records(self):
        qs = apps.get_model("awards", "AwardRecord").objects.all()
        if self.level:
            qs = qs.filter(award__level=self.level)
        if self.award:
            qs = qs.filter(award=self.award)
        if self.county:
            qs = qs.filter(project__county=self.county)
        return qs

    def _record_q(self, **filters) -> Q:
        """The summing filters as conditions on the ``award_points`` relation (for ``filter=Q(...)``)."""
        conditions = {}
        if self.level:
            conditions["award_points__award__level"] = self.level
        if self.award:
            conditions["award_points__award"] = self.award
        if self.county:
            conditions["award_points__project__county"] = self.county
        conditions.update({f"award_points__{lookup}": value for lookup, value in filters.items()})
        return Q(**conditions)

    def _points(self, **filters):
        points = Sum("award_points__points", filter=self._record_q(**filters), output_field=ZERO_POINTS.output_field)
        return Coalesce(points, ZERO_POINTS)

    def _count(self, **filters):
        # distinct: exact even if the base queryset brings another multi-valued join.
        return models.Count("award_points", filter=self._record_q(**filters), distinct=True)

    def queryset(self, base=None):
        """One LEFT JOIN on the award records + GROUP BY enterprise; the summing filters are aggregate filters.

        The row selection stays in EXISTS subqueries (no join, so no multiplication of the sums).
        """
        base = Enterprise.objects.all() if base is None else base
        has_points = Exists(self.records().filter(contractor_id=OuterRef("pk")))
        is_contractor = Exists(
            Enterprise.kinds.through.objects.filter(
                enterprise_id=OuterRef("pk"), enterprisekind_id__in=self.GENERAL_CONTRACTOR_KINDS
            )
        )
        filtered = bool(self.level or self.award or self.county)
        rows = base.filter(has_points) if filtered else base.filter(has_points | is_contractor)
        window = {"year__gte": self.first_year, "year__lte": self.last_year}
        annotations = {f"points_{y}": self._points(year=y) for y in self.years}
        return rows.annotate(
            window_points=self._points(**window),
            total_points=self._points(),
            award_count=self._count(),
            window_award_count=self._count(**window),
            **annotations,
        ).order_by("-window_points", "-total_points", "name", "pk")

    def ranked(self, restrict_to=None):
        """The ledger with a city-wide competition rank (1, 2, 2, 4 …) on the tender-reference points.

        ``restrict_to`` (an Enterprise queryset: the caller's scope and name filters) limits the rows
        returned, not the ranking: the rank is a window function over all ledger rows and the restriction
        is applied on a window column, so the database filters after ranking (Django emits an outer query).
        """
        qs = self.queryset().annotate(
            rank=Window(Rank(), order_by=[F("window_points").desc()]),
        )
        if restrict_to is not None:
            in_scope = Case(When(pk__in=restrict_to.values("pk"), then=Value(1)), default=Value(0))
            qs = qs.annotate(in_scope=Window(Max(in_scope), partition_by=[F("pk")])).filter(in_scope=1)
        return qs

    def year_points(self, row) -> list:
        return [getattr(row, f"points_{y}") for y in self.years]


# What the ranked ledger reads: a save or delete of any of these drops the cached rows (core.panel_cache).
LEDGER_MODELS = ("awards.AwardRecord", "awards.Award", "awards.AwardValue", "accounts.Enterprise", "projects.Project")
_NOT_IN_KEY = ("page", "page_size", "export", "format")


def cached_ledger_rows(request, build):
    """The ranked ledger rows ``build()`` returns for this user's scope and these filters and sort order, kept in
    the cache until an award record, award, award value, enterprise or project changes (or for
    ``DASHBOARD_CACHE_SECONDS``). The ledger is an aggregate over every award record (30–50 ms at province scale);
    its pages, the export and the API then slice one list, and a page loads its 50 enterprises by id."""
    query = request.GET.copy()
    for name in _NOT_IN_KEY:
        query.pop(name, None)
    return panel_cache.cached_rows(
        "awards.ledger", request, tuple(m.lower() for m in LEDGER_MODELS), build, query=query.urlencode()
    )
