"""Where the events that make credit entries plug in.

Each app that keeps such an event registers a ``Source`` from its ``AppConfig.ready()`` (awards: award records;
evaluation: 精品工程/示范 results; inspections: 整改通知单 and 行政处罚; complaints: substantiated complaints;
this app itself: constraint records, insurance and green pilots of ``projects``). A source says, for a batch of
its record ids, which entries they make (``Fact``); credit turns facts into entries (``services.sync_source``),
so an entry is never typed twice and always follows its record: the record changes, the entry changes; the record
is deleted or no longer makes the behaviour, the entry goes.

How a write reaches its entry (``watch``, ``notify``, ``suspended``, ``batched``) is ``credit.follow``: it calls the
services, which read this registry, so the registry itself imports neither.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Fact:
    """One entry a source record makes (for one enterprise and one behaviour)."""

    enterprise_id: int
    behaviour: str
    occurred_on: dt.date | None  # None: the day the entry is first recorded (a flag without a date of its own)
    title: str
    document_no: str = ""
    project_id: int | None = None
    county_id: int | None = None
    catalogue_points: Decimal | None = None
    source_url: str = ""


@dataclass(frozen=True)
class Source:
    key: str  # stored as CreditEntry.source_type
    label: str  # 来源 as shown: "奖励记录", "整改通知单" …
    facts: Callable  # (ids: list[int], rule: scoring.Rule) -> dict[int, list[Fact]] (an id left out makes none)
    all_ids: Callable[[], Iterable[int]]  # every record that may make entries (reconcile)
    daily: bool = False  # its facts depend on the date (a policy lapses): re-read by the daily job


_sources: dict[str, Source] = {}


def register(source: Source) -> None:
    _sources[source.key] = source


def sources() -> dict[str, Source]:
    return dict(_sources)


def get(key: str) -> Source:
    return _sources[key]


def label(key: str) -> str:
    source = _sources.get(key)
    return source.label if source else key
