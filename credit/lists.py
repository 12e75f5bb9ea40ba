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
    """Grades C and D the user may read, each with its count of bad entries in force and the latest of them
    (``bad_in_force``, ``latest_bad_behaviour``, ``latest_bad_on``, ``latest_bad_title``,
    ``latest_bad_document_no``): one query, whatever the number of rows."""
    day = day or timezone.localdate()
    latest = _bad_in_force(day).order_by("-occurred_on", "-pk")
    count = (
        _bad_in_force(day).order_by().values("enterprise_id").annotate(n=Count("pk")).values("n")[:1]
    )  # one group: the enterprise's
    return (
        CreditStanding.objects.visible_to(user)
        .watchlist()
        .select_related("enterprise", "enterprise__region")
        .annotate(
            bad_in_force=Coalesce(Subquery(count, output_field=IntegerField()), Value(0)),
            latest_bad_behaviour=Subquery(latest.values("behaviour")[:1]),
            latest_bad_on=Subquery(latest.values("occurred_on")[:1]),
            latest_bad_title=Subquery(latest.values("title")[:1]),
            latest_bad_document_no=Subquery(latest.values("document_no")[:1]),
        )
        .order_by("score", "enterprise__name", "enterprise_id")
    )


def in_county(queryset, county):
    """Standings of the enterprises active in ``county`` (registered there or taking part in one of its
    projects: ``Enterprise.objects.active_in_county``)."""
    return queryset.filter(enterprise__in=Enterprise.objects.active_in_county(county).values("pk"))
