"""Credit entries made directly for the tests, valued by the rule in force (as ``services.sync_source`` would):
``make_entry`` is the one way to make them (the web tests' ``add_entry``, the lists' ``list_factories.entry`` and
the day-by-day ``recording.record`` set its defaults); and the people of every permission test: the city, the
county the entries belong to, a colleague county, the enterprise's own user, another enterprise's user, an
expert."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal

from credit import scoring, services
from credit.choices import SEVERITY_OF_BEHAVIOUR, polarity_of
from credit.models import CreditEntry
from tests.factories import CountyFactory, EnterpriseFactory, UserFactory

_source_ids = itertools.count(1)
TODAY = dt.date(2026, 6, 15)


def make_entry(
    enterprise,
    behaviour: str = "penalty",
    occurred_on: dt.date = dt.date(2026, 3, 1),
    *,
    county=None,
    document_no: str = "",
    title: str = "",
    catalogue_points: Decimal | None = None,
    source_type: str = "constraint",
    source_url: str = "/projects/1/#constraints",
    rule_on: dt.date | None = None,
    rescore: bool = True,
    **extra,
) -> CreditEntry:
    """An entry as a source would make it (``services._entry_values``), valued by the rule in force on ``rule_on``
    (today by default), then its enterprise rescored today unless ``rescore`` is false. It has no source record (a
    made-up ``source_id``): fine for reads; a rule applied later (``services.apply_rule``) re-reads the sources and
    drops such entries, so tests that adopt a rule for today use real source records. ``extra``: more fields
    (``withdrawn_on``, ``project``...)."""
    rule_row = services.current_rule(rule_on)
    rule = rule_row.to_rule()
    entry = CreditEntry.objects.create(
        enterprise=enterprise,
        behaviour=behaviour,
        polarity=polarity_of(behaviour),
        severity=SEVERITY_OF_BEHAVIOUR.get(behaviour, ""),
        title=title or f"{scoring.BEHAVIOUR_LABELS[behaviour]} · 测试项目",
        document_no=document_no,
        occurred_on=occurred_on,
        valid_until=scoring.valid_until(occurred_on, rule.months(behaviour)),
        catalogue_points=catalogue_points,
        points=rule.points(behaviour, catalogue_points),
        rule=rule_row,
        county=county,
        source_type=source_type,
        source_id=next(_source_ids),
        source_url=source_url,
        **extra,
    )
    if rescore:
        services.rescore([enterprise.pk])
    return entry


def add_entry(enterprise, behaviour: str = "penalty", occurred_on: dt.date = dt.date(2026, 3, 10), **fields):
    """An entry of the web tests of the 诚信档案: written straight into the record (an unregistered source, so no
    source re-reads it), valued by the rule in force on its day, linking to the projects' list, and scored."""
    fields = {
        "title": f"{scoring.BEHAVIOUR_LABELS[behaviour]}（测试）",
        "source_type": "manual",
        "source_url": "/projects/",
        "rule_on": occurred_on,
        **fields,
    }
    return make_entry(enterprise, behaviour, occurred_on, **fields)


@dataclass
class People:
    county: object
    other_county: object
    enterprise: object
    other_enterprise: object
    city: object
    staff: object  # the county the entries belong to
    colleague: object  # staff of another county
    member: object  # a unit user of the enterprise
    outsider: object  # a unit user of another enterprise
    expert: object


def people() -> People:
    county = CountyFactory(name="高平市")
    other_county = CountyFactory(name="阳城县")
    enterprise = EnterpriseFactory(name="晋城市第一建筑工程有限公司")
    other_enterprise = EnterpriseFactory(name="阳城县宏达建设有限公司")
    return People(
        county=county,
        other_county=other_county,
        enterprise=enterprise,
        other_enterprise=other_enterprise,
        city=UserFactory(username="credit_city", role="city_admin", region=None),
        staff=UserFactory(username="credit_staff", role="county_staff", region=county),
        colleague=UserFactory(username="credit_colleague", role="county_staff", region=other_county),
        member=UserFactory(username="credit_member", role="unit_user", enterprise=enterprise),
        outsider=UserFactory(username="credit_outsider", role="unit_user", enterprise=other_enterprise),
        expert=UserFactory(username="credit_expert", role="expert"),
    )
