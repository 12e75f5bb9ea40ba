"""Scope: a county user sees only its own county's users; others are 404 through the web and the API."""

import pytest

from tests.conftest import api_client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owners_colleague(county):
    return UserFactory(role="county_staff", region=county, username="same_county")


def test_county_user_lists_only_own_county_users_in_api(county_user, colleague, owners_colleague):
    data = api_client_for(county_user).get("/api/v1/users/").json()
    names = {u["username"] for u in data["results"]}
    assert names == {"owner", "same_county"}


def test_county_user_gets_404_for_another_countys_user_in_api(county_user, colleague):
    response = api_client_for(county_user).get(f"/api/v1/users/{colleague.pk}/")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。"}


def test_county_user_gets_404_for_another_countys_user_on_the_web(client, county_user, colleague, owners_colleague):
    client.force_login(county_user)
    assert client.get(f"/accounts/users/{colleague.pk}/").status_code == 404
    assert client.get(f"/accounts/users/{owners_colleague.pk}/").status_code == 200
    page = client.get("/accounts/users/").content.decode()
    assert "same_county" in page and "colleague" not in page


def test_city_admin_sees_every_user(city_admin, county_user, colleague):
    data = api_client_for(city_admin).get("/api/v1/users/").json()
    assert {"owner", "colleague", "city_admin"} <= {u["username"] for u in data["results"]}


def test_unit_user_sees_only_itself(outsider, county_user):
    data = api_client_for(outsider).get("/api/v1/users/").json()
    assert [u["username"] for u in data["results"]] == ["outsider"]
    assert api_client_for(outsider).get(f"/api/v1/users/{county_user.pk}/").status_code == 404


def test_unit_user_cannot_open_the_user_list_page(client, outsider):
    client.force_login(outsider)
    assert client.get("/accounts/users/").status_code == 403


@pytest.mark.parametrize("url", ["/api/v1/users/", "/api/v1/regions/", "/api/v1/enterprises/"])
def test_anonymous_api_calls_are_refused(api, url):
    assert api.get(url).status_code in (401, 403)


def test_anonymous_web_pages_redirect_to_login(client):
    response = client.get("/accounts/users/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_token_authentication_gives_exactly_the_users_rights(api, county_user, colleague):
    response = api.post("/api/v1/auth/token/", {"username": "owner", "password": "Test@12345"}, format="json")
    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert api.get(f"/api/v1/users/{county_user.pk}/").status_code == 200
    assert api.get(f"/api/v1/users/{colleague.pk}/").status_code == 404
