"""Publication coverage (issue 25: "counties publish by hand"): per county, how many of the projects that should
be public (from 施工 on, ``querysets.PUBLICATION_STAGES``) are published. The city sees every county, a county
its own; the dashboard panel and the 公示管理 list show it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from accounts.models import Region
from core.decimals import half_up2
from disclosure.models import ProjectDisclosure


@dataclass(frozen=True)
class CountyCoverage:
    county_id: int
    county_name: str
    due: int  # projects from 施工 on
    published: int

    @property
    def unpublished(self) -> int:
        return self.due - self.published

    @property
    def percent(self) -> Decimal | None:
        return half_up2(Decimal(self.published) * 100 / self.due) if self.due else None


def counties_for(user):
    counties = Region.objects.filter(level=Region.Level.COUNTY).order_by("order", "code")
    if user.is_city_admin:
        return counties
    if user.is_county_staff and user.region_id:
        return counties.filter(pk=user.region_id)
    return counties.none()


def coverage_for(user) -> list[CountyCoverage]:
    """One row per county the user may see (a county with nothing due shows 0 / 0)."""
    counts = ProjectDisclosure.objects.visible_to(user).coverage_by_county()
    return [
        CountyCoverage(county.pk, county.name, *counts.get(county.pk, (0, 0)))
        for county in counties_for(user).only("pk", "name")
    ]


def total(rows: list[CountyCoverage]) -> CountyCoverage:
    return CountyCoverage(0, "合计", sum(r.due for r in rows), sum(r.published for r in rows))
