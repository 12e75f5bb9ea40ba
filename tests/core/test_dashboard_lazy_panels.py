"""The 驾驶舱's very first view for a scope (issue 30): nothing computed yet for the role/county/enterprise (a new
user's county, a deploy with an empty cache, an evicted panel). With ``DASHBOARD_LAZY_PANELS`` the page costs only
cache reads: each panel without a value is a placeholder card that loads it from ``/dashboard/panels/<key>/``,
which computes that one panel with the user's scope, exactly as the page would have embedded it."""

import io
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from bench.loader import Plan, load
from core import panel_cache, seeding
from tests.conftest import at

pytestmark = pytest.mark.django_db

PLAN = Plan.for_scale(0.0004, years=(2023,), counties=24)
PLACEHOLDER = re.compile(r'data-testid="panel-placeholder" data-panel="([^"]+)"')


@pytest.fixture
def province(clock, settings):
    clock.move_to(at(2024, 1, 20, 10))
    settings.DASHBOARD_CACHE_SECONDS = 600
    settings.DASHBOARD_LAZY_PANELS = True
    seeding.run("seed_reference", io.StringIO())
    load(PLAN, log=lambda *args: None)
    panel_cache._awaiting_commit.clear()  # the test's transaction never commits: the load's flush never runs
    admin = User.objects.filter(role=User.Role.CITY_ADMIN).first()
    staff = User.objects.filter(role=User.Role.COUNTY_STAFF, region__isnull=False).order_by("pk")
    county_a = staff.first()
    county_b = staff.exclude(region_id=county_a.region_id).first()
    for user in (admin, county_a, county_b):
        user.client = Client()
        user.client.force_login(user)  # before anything is cached: a sign-in saves the user (a panel reads it)
    cache.clear()
    return admin, county_a, county_b


def _get(user, url="/"):
    with CaptureQueriesContext(connection) as queries:
        response = user.client.get(url)
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    return response, len(queries.captured_queries), sql


def _fragments(user, keys) -> dict[str, str]:
    found = {}
    for key in keys:
        response, _count, _sql = _get(user, f"/dashboard/panels/{key}/")
        assert response.status_code == 200
        found[key] = response.content.decode().strip()
    return found


def test_a_scopes_first_view_costs_cache_reads_and_shows_placeholders(province):
    admin, _a, _b = province
    response, count, sql = _get(admin)
    html = response.content.decode()
    assert response.status_code == 200 and count <= 15
    assert "assessment_submission" not in sql and "projects_project" not in sql  # no panel computed here
    keys = PLACEHOLDER.findall(html)
    assert {"assessment-city", "projects-summary", "cultivation-ratio", "credit", "organisation"} <= set(keys)
    assert 'hx-get="/dashboard/panels/assessment-city/"' in html and 'hx-trigger="load"' in html
    assert 'role="status"' in html and "加载中" in html and "月度考评" in html  # the card's title while it loads
    assert "panels=all" in html  # the way for a browser without JavaScript


def test_each_fragment_is_the_panel_the_page_would_have_embedded(province, settings):
    admin, _a, _b = province
    keys = PLACEHOLDER.findall(_get(admin)[0].content.decode())
    fragments = _fragments(admin, keys)

    html = _get(admin)[0].content.decode()  # after the fragments ran: every panel inline, from the cache
    assert not PLACEHOLDER.findall(html)
    for key, fragment in fragments.items():
        assert fragment in html, key

    settings.DASHBOARD_LAZY_PANELS = False  # the page computing them all itself (as before)
    cache.clear()
    embedded = _get(admin)[0].content.decode()
    for key, fragment in fragments.items():
        assert fragment in embedded, key


def test_after_the_fragments_the_page_renders_every_panel_from_the_cache(province):
    admin, _a, _b = province
    _fragments(admin, PLACEHOLDER.findall(_get(admin)[0].content.decode()))
    response, count, sql = _get(admin)
    assert count <= 15 and "assessment_submission" not in sql
    assert 'data-testid="assessment-panel"' in response.content.decode()


def test_a_fragment_computes_its_one_panel(province):
    admin, _a, _b = province
    _response, _count, sql = _get(admin, "/dashboard/panels/organisation/")
    assert "accounts_region" in sql and "assessment_submission" not in sql


def test_a_panel_of_another_role_or_an_unknown_one_is_404(province):
    admin, county_a, _b = province
    assert _get(county_a, "/dashboard/panels/assessment-city/")[0].status_code == 404
    assert _get(admin, "/dashboard/panels/assessment-county/")[0].status_code == 404
    assert _get(admin, "/dashboard/panels/no-such-panel/")[0].status_code == 404


def test_an_anonymous_fragment_request_is_sent_to_sign_in(province):
    response = Client().get("/dashboard/panels/assessment-city/")
    assert response.status_code == 302 and "/login" in response["Location"]
    # the page's placeholder (htmx) after the session expired: the whole page goes to sign in, back to the 驾驶舱
    response = Client().get("/dashboard/panels/assessment-city/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"].startswith("/login")
    assert "next=/" in response["HX-Redirect"] and "panels" not in response["HX-Redirect"]


def test_a_fragment_is_scoped_to_the_users_county(province):
    _admin, county_a, county_b = province
    a = _fragments(county_a, ["assessment-county"])["assessment-county"]
    name_a, name_b = county_a.region.name, county_b.region.name
    assert name_a in a and name_b not in a
    # county B's first view: its own panel is still to compute, not county A's value
    html_b = _get(county_b)[0].content.decode()
    assert "assessment-county" in PLACEHOLDER.findall(html_b)
    b = _fragments(county_b, ["assessment-county"])["assessment-county"]
    assert name_b in b and name_a not in b
    html_a = _get(county_a)[0].content.decode()
    assert a in html_a and name_b not in html_a


def test_an_evicted_panel_alone_is_a_placeholder(province):
    admin, _a, _b = province
    _fragments(admin, PLACEHOLDER.findall(_get(admin)[0].content.decode()))
    key = panel_cache._panel_key("accounts.dashboard.organisation_panel", panel_cache.scope_key(admin), "")
    assert cache.get(key) is not None
    cache.delete(key)
    response, _count, sql = _get(admin)
    assert PLACEHOLDER.findall(response.content.decode()) == ["organisation"]
    assert "accounts_enterprise" not in sql


def test_without_javascript_panels_all_computes_them_in_the_page(province):
    admin, _a, _b = province
    response, _count, sql = _get(admin, "/?panels=all")
    assert not PLACEHOLDER.findall(response.content.decode()) and "assessment_submission" in sql
    # the values it computed are the page's own (``panels`` is not part of a panel's query string)
    assert not PLACEHOLDER.findall(_get(admin)[0].content.decode())


def test_the_page_query_string_reaches_the_fragment(province):
    admin, _a, _b = province
    html = _get(admin, "/?cultivation_year=2023")[0].content.decode()
    assert 'hx-get="/dashboard/panels/cultivation-ratio/?cultivation_year=2023"' in html
