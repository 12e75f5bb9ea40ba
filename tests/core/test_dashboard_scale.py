"""The 驾驶舱 at many counties: at most 15 queries, top and bottom ten with a link beyond 20 counties, and the
monthly panels cached until their data changes."""

import io
import re

import pytest
from django.core.cache import cache

from accounts.models import User
from assessment.models import Submission
from bench.loader import Plan, load
from core import seeding
from core.panel_cache import top_and_bottom
from projects.choices import LIBRARY_STATUSES
from projects.models import Project
from tests.conftest import at

pytestmark = pytest.mark.django_db

PLAN = Plan.for_scale(0.0004, years=(2023,), counties=24)


@pytest.fixture
def province(clock, settings):
    clock.move_to(at(2024, 1, 20, 10))
    # A change shows at once when the request computes the panel (embedded mode). With a broker the worker
    # recomputes it and the page says 更新中 meanwhile: tests/core/test_dashboard_refresh.py.
    settings.DASHBOARD_SERVE_STALE = False
    seeding.run("seed_reference", io.StringIO())
    load(PLAN, log=lambda *args: None)
    cache.clear()
    admin = User.objects.filter(role=User.Role.CITY_ADMIN).first()
    assert admin is not None
    return admin


def _get(client, user, url="/"):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_city_dashboard_makes_at_most_15_queries_once_its_monthly_panels_are_cached(
    client, province, django_assert_max_num_queries
):
    client.force_login(province)
    client.get("/")  # the first request after a change computes and caches the monthly panels
    with django_assert_max_num_queries(15):
        assert client.get("/").status_code == 200
    staff = User.objects.filter(role=User.Role.COUNTY_STAFF).first()
    client.force_login(staff)
    client.get("/")
    with django_assert_max_num_queries(15):
        assert client.get("/").status_code == 200


def test_a_cached_dashboard_reads_the_monthly_panels_from_the_cache(client, province, settings):
    client.force_login(province)
    client.get("/")  # fills the cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get("/")
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "assessment_submission" not in sql and "awards_awardrecord" not in sql
    settings.DASHBOARD_CACHE_SECONDS = 0
    with CaptureQueriesContext(connection) as uncached:
        client.get("/")
    assert len(uncached.captured_queries) > len(ctx.captured_queries)


def test_beyond_20_counties_the_panels_show_top_and_bottom_ten_with_a_link(client, province):
    html = _get(client, province)
    assert "共 24 个县（市、区），以下仅列12月排名前十和后十名（中间 4 个未列出）" in html
    assert re.search(r'href="/assessment/ranking/\?year=2023&(amp;)?month=12">查看全部排名', html)
    assert "共 24 个县（市、区），以下仅列培育比例最高和最低的各十个（中间 4 个未列出）" in html
    full = _get(client, province, "/?cultivation_year=2023&cultivation_all=1")
    assert "cultivation-top-bottom" not in full


def test_a_published_change_shows_at_once(client, province):
    html = _get(client, province)
    sub = Submission.objects.filter(year=2023, month=12).select_related("county").order_by("score").first()
    assert sub.county.name in html
    renamed = "改名后的县"
    sub.county.name = renamed
    sub.county.save()  # a Region change drops the cached copies that show county names
    assert renamed in _get(client, province)


def _cultivation_cell(html: str, county: str) -> tuple[int, int]:
    """The panel's 入库/政府投资 cell of ``county``."""
    panel = html[html.index('data-testid="cultivation-panel"') :]
    found = re.search(rf"<td>{re.escape(county)}</td><td class=\"num\">(\d+) / (\d+)</td>", panel)
    assert found, f"{county} not in the cultivation panel"
    return int(found[1]), int(found[2])


def test_a_project_change_refreshes_the_cultivation_panel(client, province):
    url = "/?cultivation_year=2023&cultivation_all=1"
    project = Project.objects.filter(year=2023, government_invested=True).select_related("county").first()
    library, total = _cultivation_cell(_get(client, province, url), project.county.name)
    assert _cultivation_cell(_get(client, province, url), project.county.name) == (library, total)  # cached

    project.government_invested = False  # no longer counts: one government-invested project fewer
    project.save()

    in_library = project.jingpin_status in LIBRARY_STATUSES
    assert _cultivation_cell(_get(client, province, url), project.county.name) == (library - in_library, total - 1)


@pytest.mark.parametrize(
    ("count", "shown", "omitted"),
    [(0, 0, 0), (20, 20, 0), (21, 20, 1), (120, 20, 100)],
)
def test_top_and_bottom(count, shown, omitted):
    rows = list(range(count))
    kept, left_out = top_and_bottom(rows)
    assert (len(kept), left_out) == (shown, omitted)
    if omitted:
        assert kept == [*rows[:10], *rows[-10:]]
