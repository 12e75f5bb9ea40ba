"""The 驾驶舱 after its data changed (issue 30): the worker recomputes the panels people look at once the change
commits, so the first view after a publication is as cheap as any other; a request that finds an older copy while
a recompute is under way is served that copy marked 更新中 (it never computes it); with the cache down the page is
computed from the database as before."""

import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from assessment import services
from assessment.models import Status, Submission
from bench.loader import Plan, load
from core import panel_cache, seeding
from core.models import OutboxMessage
from tests.conftest import at
from tests.core.test_cache_outage import cache_down  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

PLAN = Plan.for_scale(0.0004, years=(2023,), counties=24)


@pytest.fixture
def province(clock, settings):
    clock.move_to(at(2024, 1, 20, 10))
    settings.DASHBOARD_CACHE_SECONDS = 600
    seeding.run("seed_reference", io.StringIO())
    load(PLAN, log=lambda *args: None)
    panel_cache._awaiting_commit.clear()  # the test's transaction never commits: the load's flush never runs
    admin = User.objects.filter(role=User.Role.CITY_ADMIN).first()
    staff = User.objects.filter(role=User.Role.COUNTY_STAFF, region__isnull=False).first()
    # One of the county's published months is back to 已审核 (a bulk update: no signal), to be published again.
    sub = Submission.objects.filter(county_id=staff.region_id, year=2023, status=Status.PUBLISHED).order_by("month")
    sub = sub.last()
    Submission.objects.filter(pk=sub.pk).update(status=Status.APPROVED, published_at=None)
    return admin, staff, sub


def _view(client, user):
    if getattr(client, "signed_in_as", None) != user.pk:  # a sign-in saves the user (the 单位与账号 panel reads it)
        client.force_login(user)
        client.signed_in_as = user.pk
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    return response.content.decode(), len(queries.captured_queries), sql


def test_after_a_publication_the_worker_has_refreshed_the_panels_before_the_first_view(
    client, province, django_capture_on_commit_callbacks, settings
):
    settings.DASHBOARD_SERVE_STALE = True  # a worker exists: a request never computes a panel whose data changed
    admin, staff, sub = province
    staff_client = Client()  # each in a browser of their own: a sign-in after the refresh would change what the
    _view(client, admin)  # 单位与账号 panel reads (last_login) and rightly mark the other's panel 更新中
    _view(staff_client, staff)  # both people have looked at their 驾驶舱: the worker keeps their panels warm

    with django_capture_on_commit_callbacks(execute=True):
        services.publish(Submission.objects.get(pk=sub.pk), user=admin)
    assert OutboxMessage.objects.filter(task=panel_cache.REFRESH_TASK).count() == 1  # one recompute, one message

    for browser, user in ((staff_client, staff), (client, admin)):
        html, count, sql = _view(browser, user)
        assert count <= 15
        assert "assessment_submission" not in sql  # nothing computed by the request: the worker did it
        assert "更新中" not in html
    # the county's own months (its panel shows published months only) show the month published again
    key = panel_cache._panel_key("assessment.dashboard.county_panel", panel_cache.scope_key(staff), "")
    grid = panel_cache.cache.get(key)["ctx"]["grid"][0]["cells"]
    assert next(c for c in grid if c["month"] == sub.month)["state"] != "missing"


def test_the_first_view_after_a_change_makes_at_most_15_queries(
    client, province, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    admin, staff, sub = province
    _view(client, admin)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(Submission.objects.get(pk=sub.pk), user=admin)
    client.force_login(admin)
    with django_assert_max_num_queries(15):
        assert client.get("/").status_code == 200


def test_while_a_recompute_is_pending_the_older_value_is_served_marked_refreshing(client, province, settings):
    settings.DASHBOARD_SERVE_STALE = True  # a worker exists (a broker is configured)
    admin, _staff, sub = province
    _view(client, admin)
    services.publish(Submission.objects.get(pk=sub.pk), user=admin)  # its commit (and the worker) not yet seen

    html, count, sql = _view(client, admin)
    assert "assessment_submission" not in sql and count <= 15  # the request did not compute the panel
    assert 'data-testid="panels-refreshing"' in html and "更新中" in html
    asked = OutboxMessage.objects.filter(task=panel_cache.REFRESH_ONE_TASK)
    assert asked.count() == 1  # one message for the page's older panels …
    assert "assessment.dashboard.city_panel" in asked.get().args[0]
    _view(client, admin)
    assert asked.count() == 1  # … not asked for again by the next request while it is pending

    for message in asked:
        panel_cache.refresh_one(*message.args)  # the worker
    html, _count, sql = _view(client, admin)
    assert "更新中" not in html and "assessment_submission" not in sql


def test_without_a_worker_an_older_value_is_recomputed_by_the_request(client, province, settings):
    settings.DASHBOARD_SERVE_STALE = False  # embedded mode: nobody else would recompute it
    admin, _staff, sub = province
    _view(client, admin)
    services.publish(Submission.objects.get(pk=sub.pk), user=admin)
    html, _count, sql = _view(client, admin)
    assert "assessment_submission" in sql and "更新中" not in html


def test_a_panel_older_than_the_cache_period_is_served_unmarked_and_renewed(client, province, settings, clock):
    settings.DASHBOARD_SERVE_STALE = True
    admin, _staff, _sub = province
    _view(client, admin)
    clock.shift(601)
    html, _count, sql = _view(client, admin)
    assert "更新中" not in html  # nothing changed: the older value is right, only renewed
    assert "assessment_submission" not in sql
    assert OutboxMessage.objects.filter(task=panel_cache.REFRESH_ONE_TASK).count() == 1
    assert panel_cache.refresh() >= 1  # the worker recomputes what is no longer fresh
    assert panel_cache.refresh() == 0  # … once


def test_with_the_cache_down_the_dashboard_is_computed_from_the_database(cache_down, client, province, settings):  # noqa: F811
    settings.DASHBOARD_SERVE_STALE = True
    admin, _staff, sub = province
    html, _count, sql = _view(client, admin)
    assert "assessment_submission" in sql and "更新中" not in html
    services.publish(Submission.objects.get(pk=sub.pk), user=admin)
    html, _count, sql = _view(client, admin)
    assert "assessment_submission" in sql and "更新中" not in html


def _cards(response) -> str:
    html = response.content.decode()
    return html[html.index('<div class="row g-3">') :]  # the head carries the request's own CSP nonce


def _panel_templates(response) -> set[str]:
    return {t.name for t in response.templates if t.name and "/panel" in t.name}


def test_a_kept_panel_card_is_written_once_per_value_and_anew_after_its_data_change(client, province):
    """The page of a city of many counties spent most of its time writing the same cards from the same kept values:
    a card of one kept value is written once and then served as it was; a change of its data is a new value, so
    the next view writes the card again with the new figures."""
    admin, staff, sub = province
    client.force_login(admin)
    first = client.get("/")
    assert "assessment/panel_city.html" in _panel_templates(first)
    second = client.get("/")
    assert _cards(second) == _cards(first)  # the very same cards
    written = _panel_templates(second)
    assert "assessment/panel_city.html" not in written  # kept value, kept card
    assert "notifications/panel_todos.html" in written  # not one kept value (the user's own to-dos): written each time
    services.publish(Submission.objects.get(pk=sub.pk), user=admin)
    third = client.get("/")
    assert "assessment/panel_city.html" in _panel_templates(third)  # its data changed: a new value, a new card
    assert _cards(third) != _cards(second)
