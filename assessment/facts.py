"""Facts of the monthly form that records kept by another app decide, not the county's checkbox.

``COMPUTED_FACTS`` names them (the county's form and API leave them out); the app that keeps the records registers
a provider from its ``AppConfig.ready()`` (A1's "问题均按时整改到位、依法处罚": the inspections app). Assessment
calls the providers without importing their app, so the apps' imports keep running one way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

COMPUTED_FACTS = ("no_unrectified_findings",)


@dataclass(frozen=True)
class FactProvider:
    fact: str
    item_code: str  # the rubric item whose form section shows the detail
    compute: Callable[[int, int, int], object]  # (county_id, year, month) -> a result with ``.value`` (bool)
    template: str  # rendered with ``fact`` = the result


_providers: dict[str, FactProvider] = {}


def register(provider: FactProvider) -> None:
    _providers[provider.fact] = provider


def results(county_id: int, year: int, month: int) -> dict[str, object]:
    return {name: p.compute(county_id, year, month) for name, p in _providers.items()}


def values(county_id: int, year: int, month: int) -> dict[str, bool]:
    """The computed facts of a county month (a fact without a provider keeps the stored value)."""
    return {name: bool(result.value) for name, result in results(county_id, year, month).items()}


def details(county_id: int, year: int, month: int) -> list[dict]:
    """For the pages: each computed fact with its result and the template that shows it."""
    return [
        {"item_code": p.item_code, "template": p.template, "fact": p.compute(county_id, year, month)}
        for p in _providers.values()
    ]
