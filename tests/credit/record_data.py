"""Entries for the web tests of the 诚信档案, written straight into the record (an unregistered source, so no
source re-reads them) and scored by the service, on a pinned day."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import time_machine

from credit import scoring, services
from credit.choices import SEVERITY_OF_BEHAVIOUR, polarity_of
from credit.models import CreditEntry

TZ = dt.timezone(dt.timedelta(hours=8))
TODAY = dt.date(2026, 6, 15)
_ids = itertools.count(1)


def pinned_clock():
    """The clock at 10:00 on TODAY (each test module's ``today`` fixture)."""
    return time_machine.travel(dt.datetime.combine(TODAY, dt.time(10), TZ), tick=False)


def add_entry(
    enterprise,
    behaviour: str = "penalty",
    occurred_on: dt.date = dt.date(2026, 3, 10),
    *,
    county=None,
    title: str = "",
    document_no: str = "",
    catalogue_points: Decimal | None = None,
    rescore: bool = True,
) -> CreditEntry:
    rule_row = services.current_rule(occurred_on)
    rule = rule_row.to_rule()
    entry = CreditEntry.objects.create(
        enterprise=enterprise,
        behaviour=behaviour,
        polarity=polarity_of(behaviour),
        severity=SEVERITY_OF_BEHAVIOUR.get(behaviour, ""),
        title=title or f"{scoring.BEHAVIOUR_LABELS[behaviour]}（测试）",
        document_no=document_no,
        occurred_on=occurred_on,
        valid_until=scoring.valid_until(occurred_on, rule.months(behaviour)),
        catalogue_points=catalogue_points,
        points=rule.points(behaviour, catalogue_points),
        rule=rule_row,
        county=county,
        source_type="manual",
        source_id=next(_ids),
        source_url="/projects/",
    )
    if rescore:
        services.rescore([enterprise.pk])
    return entry
