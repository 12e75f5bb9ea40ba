"""Every credit list makes the same number of queries whatever its page size (CONVENTIONS: constant per page)."""

from __future__ import annotations

import datetime as dt

import pytest

from credit import services
from tests.api_mixins import ListQueryCountMixin
from tests.conftest import api_client_for
from tests.credit.factories import make_entry, people
from tests.factories import EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pinned(today):
    """Every test here at 2026-06-15."""


def _entries(n: int, county=None, behaviours=("penalty", "complaint", "award")):
    made = []
    for i in range(n):
        enterprise = EnterpriseFactory()
        made.append(make_entry(enterprise, behaviours[i % len(behaviours)], dt.date(2026, 1, 1 + i), county=county))
    return made


@pytest.mark.parametrize("user", ["city", "staff", "member"])
def test_the_entry_list_costs_the_same_at_3_and_at_12_rows(today, django_assert_num_queries, settings, user):
    settings.DASHBOARD_CACHE_SECONDS = 0
    folks = people()
    _entries(12, folks.county)
    for i in range(12):
        make_entry(folks.enterprise, "penalty", dt.date(2026, 2, 1 + i), county=folks.county, rescore=False)
    api = api_client_for(getattr(folks, user))
    # 2 queries: the count and the page (enterprise, rule and county joined)
    with django_assert_num_queries(2):
        small = api.get("/api/v1/credit-entries/?page_size=3&state=in_force")
    with django_assert_num_queries(2):
        large = api.get("/api/v1/credit-entries/?page_size=12&state=in_force")
    assert len(small.json()["results"]) == 3 and len(large.json()["results"]) == 12


class TestStandingList(ListQueryCountMixin):
    list_url = "/api/v1/credit-standings/"

    def make_rows(self, n):
        _entries(n)

    def reader(self):
        return UserFactory(role="city_admin", username="counting_city")


class TestAppealList(ListQueryCountMixin):
    list_url = "/api/v1/credit-appeals/"

    def make_rows(self, n):
        county = people().county
        for entry in _entries(n, county, behaviours=("penalty", "complaint")):
            member = UserFactory(role="unit_user", enterprise=entry.enterprise)
            services.submit_appeal(entry, user=member, reasons="已整改到位。")

    def reader(self):
        return UserFactory(role="city_admin", username="counting_city")


class TestRuleList(ListQueryCountMixin):
    list_url = "/api/v1/credit-rules/"

    def make_rows(self, n):
        city = UserFactory(role="city_admin", username="rule_maker")
        data = services.current_rule().data
        for i in range(n):
            changed = {**data, "base": str(100 + i + 1)}
            services.adopt_rule(changed, user=city, note=f"第{i + 2}版", effective_from=dt.date(2099, 1, 1 + i))

    def reader(self):
        return UserFactory(role="county_staff", username="counting_staff")
