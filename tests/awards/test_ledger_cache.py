"""The points ledger's ranked rows are computed once per scope and filters, and recomputed as soon as an award
record (or award, award value, enterprise, project) changes: never a stale rank after a grant or a revocation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards import services
from awards.models import AwardRecord
from tests.awards.factories import awardable_project, catalogue, contractor_of
from tests.conftest import api_client_for
from tests.factories import CountyFactory, UserFactory

pytestmark = pytest.mark.django_db


def _grant(admin, awards, county, name="市优奖", year=2023):
    return services.grant_award(
        user=admin,
        project=awardable_project(county),
        award=awards[name],
        year=year,
        grant_date=dt.date(year, 12, 1),
        document_no=f"文号{AwardRecord.objects.count()}",
    )


def _ledger(client, query=""):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/api/v1/points-ledger/?year=2023{query}")
    assert response.status_code == 200
    return response.json(), len(ctx.captured_queries)


def test_pages_share_one_computation_and_a_grant_or_a_revocation_shows_at_once(settings):
    settings.DASHBOARD_CACHE_SECONDS, settings.LIST_CACHE = 600, True  # as with CACHE_URL (a shared cache)
    awards, county = catalogue(), CountyFactory()
    admin = UserFactory(role="city_admin", username="cache_admin")
    first = _grant(admin, awards, county)
    _grant(admin, awards, county)
    client = api_client_for(admin)

    body, computed = _ledger(client, "&page_size=1")
    assert body["count"] == 2
    page2, cached = _ledger(client, "&page_size=1&page=2")
    assert cached < computed, (cached, computed)  # the second page slices the cached rows
    assert page2["results"][0]["id"] != body["results"][0]["id"]

    big = _grant(admin, awards, county, name="鲁班奖")  # a national award: far more points
    body, _ = _ledger(client)
    assert body["count"] == 3
    assert body["results"][0]["id"] == contractor_of(big.project).pk and body["results"][0]["rank"] == 1

    winner = contractor_of(big.project).pk
    big.delete()  # the record is withdrawn: its points leave the ledger with it
    body, _ = _ledger(client)
    assert body["results"][0]["id"] != winner
    assert contractor_of(first.project).pk in [r["id"] for r in body["results"]]
