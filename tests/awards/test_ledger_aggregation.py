"""The ledger sums in one join + GROUP BY: no multiplication by other joins, filters apply per record."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Enterprise
from awards import services
from awards.querysets import EnterpriseLedger
from tests.awards.factories import awardable_project, catalogue
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def grant(user, project, award, year):
    return services.grant_award(
        user=user, project=project, award=award, year=year, grant_date=dt.date(2023, 12, 1), document_no="文号"
    )


@pytest.fixture
def two_kind_contractor(db, county, other_county, city_admin):
    """Contractor and EPC at once; 鲁班奖 2023 in county (10), 汾水杯 2022 in county (7), 市优奖 2023 elsewhere (2)."""
    awards = catalogue()
    e = EnterpriseFactory(name="双资质建设集团", kinds=["contractor", "epc"])
    grant(city_admin, awardable_project(county, contractor=e), awards["鲁班奖"], 2023)
    grant(city_admin, awardable_project(county, contractor=e), awards["汾水杯"], 2022)
    grant(city_admin, awardable_project(other_county, contractor=e), awards["市优奖"], 2023)
    return e


def test_an_enterprise_of_two_contractor_kinds_is_listed_once_with_unmultiplied_sums(two_kind_contractor):
    rows = [r for r in EnterpriseLedger(2023, window=3).ranked() if r.pk == two_kind_contractor.pk]
    assert len(rows) == 1
    row = rows[0]
    assert (row.window_points, row.total_points, row.award_count, row.window_award_count) == (Decimal("19"), 19, 3, 3)
    assert (row.points_2021, row.points_2022, row.points_2023) == (0, 7, 12)


def test_county_and_level_filters_are_conditions_on_each_record(two_kind_contractor, county):
    row = EnterpriseLedger(2023, county=county).ranked().get(pk=two_kind_contractor.pk)
    assert (row.window_points, row.award_count, row.points_2023) == (17, 2, 10)
    row = EnterpriseLedger(2023, level="national", county=county).ranked().get(pk=two_kind_contractor.pk)
    assert (row.window_points, row.total_points, row.award_count, row.points_2022) == (10, 10, 1, 0)


def test_a_filtered_ledger_lists_only_enterprises_with_points_under_the_filter(two_kind_contractor, county):
    idle = EnterpriseFactory(name="无奖施工单位", kinds=["contractor"])
    assert EnterpriseLedger(2023).ranked().filter(pk=idle.pk).get().window_points == 0
    assert not EnterpriseLedger(2023, county=county).ranked().filter(pk=idle.pk).exists()


def test_the_ledger_is_one_statement_whatever_the_restriction(two_kind_contractor):
    with CaptureQueriesContext(connection) as ctx:
        rows = list(EnterpriseLedger(2023).ranked(restrict_to=Enterprise.objects.filter(pk=two_kind_contractor.pk)))
    assert [r.pk for r in rows] == [two_kind_contractor.pk]
    assert rows[0].rank == 1
    assert len(ctx.captured_queries) == 1
