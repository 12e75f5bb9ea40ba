"""Every list endpoint of the awards API makes a constant number of queries whatever the page size."""

import datetime as dt
from decimal import Decimal

import pytest

from awards import services
from awards.models import Award, AwardValue
from tests.api_mixins import ListQueryCountMixin
from tests.awards.factories import awardable_project, catalogue
from tests.factories import CountyFactory, UserFactory
from tests.projects_factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def admin():
    return UserFactory(role="city_admin", username="qc_admin")


class TestAwardCatalogue(ListQueryCountMixin):
    list_url = "/api/v1/award-catalogue/"

    def make_rows(self, n):
        catalogue()
        for i in range(n - 9):
            award = Award.objects.create(code=f"extra{i}", name=f"附加奖{i}", level="city", order=100 + i)
            AwardValue.objects.create(award=award, effective_from=dt.date(2022, 5, 12), points=1, bonus_wan=1)

    def reader(self):
        return admin()


class TestAwardValues(TestAwardCatalogue):
    list_url = "/api/v1/award-values/"


class TestAwardRecords(ListQueryCountMixin):
    list_url = "/api/v1/award-records/"

    def make_rows(self, n):
        awards = catalogue()
        county = CountyFactory()
        for i in range(n):
            services.grant_award(
                user=admin(),
                project=awardable_project(county),
                award=awards["市优奖"],
                year=2023,
                grant_date=dt.date(2023, 12, 1),
                document_no=f"文号{i}",
            )

    def reader(self):
        return admin()


class TestPointsLedger(TestAwardRecords):
    list_url = "/api/v1/points-ledger/"  # reference year defaults to the latest with records (2023); the cache of
    # its rows: test_ledger_cache.py


class TestDanheSelections(ListQueryCountMixin):
    list_url = "/api/v1/danhe-selections/"

    def make_rows(self, n):
        catalogue()
        for _ in range(n):
            county = CountyFactory()
            awardable_project(county, jingpin_status="certified")
            awardable_project(county, jingpin_status="demonstration")
            services.start_danhe_selection(user=admin(), county=county, year=2023)

    def reader(self):
        return admin()


class TestSavingsBonuses(ListQueryCountMixin):
    list_url = "/api/v1/savings-bonuses/"

    def make_rows(self, n):
        county = CountyFactory()
        for _ in range(n):
            project = awardable_project(county)
            ParticipantFactory(project=project, role="supervisor")
            services.confirm_savings_bonus(
                user=admin(),
                project=project,
                proposer_kind="supervisor",
                measure="m",
                amount_saved=Decimal("1000"),
                confirmed_on=dt.date(2023, 6, 1),
            )

    def reader(self):
        return admin()


class TestDesignBonuses(ListQueryCountMixin):
    list_url = "/api/v1/design-bonuses/"

    def make_rows(self, n):
        county = CountyFactory()
        for _ in range(n):
            project = awardable_project(county)
            ParticipantFactory(project=project, role="design")
            services.record_design_bonus(
                user=admin(),
                project=project,
                approved_estimate="100",
                drawing_budget="90",
                base_design_fee="10",
                confirmed_on=dt.date(2023, 6, 1),
            )

    def reader(self):
        return admin()
