"""Scope: the owner county sees its records, a colleague of another county and an outsider (unit user of an
unrelated enterprise) see none of them — 404 for single objects, on the web and in the API."""

import datetime as dt

import pytest

from awards import services
from tests.awards.factories import awardable_project, catalogue, contractor_of
from tests.conftest import api_client_for
from tests.factories import UserFactory
from tests.projects_factories import ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(county, county_user):
    awards = catalogue()
    project = awardable_project(county)
    ParticipantFactory(project=project, role="supervisor")
    record = services.grant_award(
        user=county_user,
        project=project,
        award=awards["鲁班奖"],
        year=2023,
        grant_date=dt.date(2023, 11, 30),
        document_no="x",
    )
    savings = services.confirm_savings_bonus(
        user=county_user,
        project=project,
        proposer_kind="supervisor",
        measure="m",
        amount_saved="100",
        confirmed_on=dt.date(2023, 6, 1),
    )
    return {"record": record, "savings": savings, "project": project}


ENDPOINTS = [("award-records", "record"), ("savings-bonuses", "savings")]


@pytest.mark.parametrize("endpoint, key", ENDPOINTS)
def test_the_owner_county_and_the_city_see_the_rows(data, county_user, city_admin, endpoint, key):
    for user in (county_user, city_admin):
        client = api_client_for(user)
        assert [r["id"] for r in client.get(f"/api/v1/{endpoint}/").json()["results"]] == [data[key].pk]
        assert client.get(f"/api/v1/{endpoint}/{data[key].pk}/").status_code == 200


@pytest.mark.parametrize("endpoint, key", ENDPOINTS)
def test_a_colleague_of_another_county_and_an_outsider_see_nothing(data, colleague, outsider, endpoint, key):
    for user in (colleague, outsider):
        client = api_client_for(user)
        assert client.get(f"/api/v1/{endpoint}/").json()["results"] == []
        assert client.get(f"/api/v1/{endpoint}/{data[key].pk}/").status_code == 404


def test_the_contractor_sees_its_own_award_records(data):
    unit = UserFactory(role="unit_user", enterprise=contractor_of(data["project"]), username="contractor_unit")
    client = api_client_for(unit)
    assert [r["id"] for r in client.get("/api/v1/award-records/").json()["results"]] == [data["record"].pk]


def test_web_record_pages_are_scoped(client, data, county_user, colleague, outsider):
    url = f"/awards/records/{data['record'].pk}/"
    client.force_login(county_user)
    assert client.get(url).status_code == 200
    assert "鲁班奖" in client.get("/awards/records/").content.decode()
    client.force_login(colleague)
    assert client.get(url).status_code == 404
    assert data["project"].name not in client.get("/awards/records/").content.decode()
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.get("/awards/records/new/").status_code == 403
    assert client.get("/awards/danhe/").status_code == 403


def test_the_enterprise_page_shows_a_colleague_only_its_own_countys_details(client, data, colleague):
    client.force_login(colleague)
    enterprise = contractor_of(data["project"])
    response = client.get(f"/awards/enterprises/{enterprise.pk}/?year=2023")
    assert response.status_code == 200
    assert list(response.context["records"]) == []
    assert response.context["ledger_row"].window_points == 10  # the points are the city-wide tender reference


def test_anonymous_requests_are_refused(api, client, data):
    for url in (
        "/api/v1/award-records/",
        "/api/v1/points-ledger/",
        "/api/v1/savings-bonuses/",
        "/api/v1/danhe-selections/",
    ):
        assert api.get(url).status_code in (401, 403)
    for url in ("/awards/records/", "/awards/ledger/", "/awards/danhe/"):
        assert client.get(url).status_code == 302
