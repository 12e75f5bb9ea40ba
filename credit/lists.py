"""The reads behind the credit lists: the public 红榜 and 黑名单, the internal 重点监管名单, and the entries that
explain each enterprise's place on them. Web pages, the API, the exports and the dashboard panel all use these,
so a list means the same everywhere.

Who is on which list is the rule's (``credit.scoring.on_redlist`` / ``on_blacklist`` / ``under_watch``), read on
the current standing (``CreditStanding``, brought to today by the daily job) through the queryset's ``redlist()``,
``blacklist()`` and ``watchlist()``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.query import ModelIterable
from django.utils import timezone

from accounts.models import Enterprise
from credit.choices import Polarity
from credit.models import CreditEntry, CreditStanding

REDLIST, BLACKLIST = "redlist", "blacklist"
# Which entries explain a place on a public list: the good ones on the 红榜, the bad ones on the 黑名单.
LIST_POLARITY = {REDLIST: Polarity.GOOD, BLACKLIST: Polarity.BAD}


def search(queryset, value: str, prefix: str = "enterprise__"):
    """Name or 统一社会信用代码 (a part of either)."""
    value = (value or "").strip()
    if not value:
        return queryset
    return queryset.filter(Q(**{f"{prefix}name__icontains": value}) | Q(**{f"{prefix}credit_code__icontains": value}))


def public_list(kind: str):
    """The standings on a public list, the most telling first (红榜: highest score; 黑名单: lowest)."""
    standings = CreditStanding.objects.select_related("enterprise")
    if kind == REDLIST:
        return standings.redlist().order_by("-score", "enterprise__name", "enterprise_id")
    if kind == BLACKLIST:
        return standings.blacklist().order_by("score", "enterprise__name", "enterprise_id")
    raise ValueError(kind)


def entries_in_force(enterprise_ids: Iterable[int], polarity: str, day: dt.date | None = None) -> dict[int, list]:
    """The entries of ``polarity`` in force on ``day`` (today) of these enterprises, newest first: one query."""
    day = day or timezone.localdate()
    found: dict[int, list] = defaultdict(list)
    rows = (
        CreditEntry.objects.filter(enterprise_id__in=list(enterprise_ids), polarity=polarity)
        .in_force_on(day)
        .order_by("enterprise_id", "-occurred_on", "-pk")
    )
    for entry in rows:
        found[entry.enterprise_id].append(entry)
    return found


# --- 重点监管名单 (internal) ----------------------------------------------------------------------------------
def _bad_in_force(day: dt.date):
    return CreditEntry.objects.filter(enterprise_id=OuterRef("enterprise_id")).bad().in_force_on(day)


def watchlist(user, day: dt.date | None = None):
    """Grades C and D the user may read, each with its count of bad entries in force (``bad_in_force``) and the
    latest of them (``latest_bad_on`` for sorting; ``latest_bad_behaviour``, ``latest_bad_title``,
    ``latest_bad_document_no`` from that entry): two queries, whatever the number of rows — the standings with
    three correlated subqueries, then the page's latest entries by primary key (``WatchlistQuerySet``)."""
    day = day or timezone.localdate()
    latest = _bad_in_force(day).order_by("-occurred_on", "-pk")
    count = (
        _bad_in_force(day).order_by().values("enterprise_id").annotate(n=Count("pk")).values("n")[:1]
    )  # one group: the enterprise's
    return (
        WatchlistQuerySet(CreditStanding, using=CreditStanding.objects.db)
        .visible_to(user)
        .watchlist()
        .select_related("enterprise", "enterprise__region")
        .annotate(
            bad_in_force=Coalesce(Subquery(count, output_field=IntegerField()), Value(0)),
            latest_bad_on=Subquery(latest.values("occurred_on")[:1]),
            latest_bad_id=Subquery(latest.values("pk")[:1]),
        )
        .order_by("score", "enterprise__name", "enterprise_id")
    )


class WatchlistQuerySet(type(CreditStanding.objects.all())):
    """Standings that, once read, carry their latest bad entry's behaviour, title and 文号 (one query by the
    ``latest_bad_id`` annotation for the rows read: a page, or an export)."""

    def _fetch_all(self):
        first_read = self._result_cache is None
        super()._fetch_all()
        if not first_read or not self._result_cache or self._iterable_class is not ModelIterable:
            return
        ids = {row.latest_bad_id for row in self._result_cache if getattr(row, "latest_bad_id", None)}
        entries = CreditEntry.objects.in_bulk(ids, field_name="pk") if ids else {}
        for row in self._result_cache:
            entry = entries.get(getattr(row, "latest_bad_id", None))
            row.latest_bad_behaviour = entry.behaviour if entry else ""
            row.latest_bad_title = entry.title if entry else ""
            row.latest_bad_document_no = entry.document_no if entry else ""


def in_county(queryset, county):
    """Standings of the enterprises active in ``county`` (registered there or taking part in one of its
    projects: ``Enterprise.objects.active_in_county``)."""
    return queryset.filter(enterprise__in=Enterprise.objects.active_in_county(county).values("pk"))
