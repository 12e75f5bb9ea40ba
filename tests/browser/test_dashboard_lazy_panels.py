"""The city's 驾驶舱 opened with an empty cache (a scope's very first view, issue 30): the page shows placeholder
cards at once, each loads its panel (htmx), the charts of the swapped-in panels start, and Chromium reports no
Content-Security-Policy violation; opened again, every panel is in the page itself."""

import pytest
from django.core.cache import cache

from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_first_view_fills_its_placeholders_and_starts_the_charts(page, demo, settings):
    settings.DASHBOARD_CACHE_SECONDS = 600
    settings.DASHBOARD_LAZY_PANELS = True
    page.base_url = demo
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    fragments = []
    page.on("request", lambda request: fragments.append(request.url) if "/dashboard/panels/" in request.url else None)
    login(page, "city", "Jingpin@2026")
    cache.clear()  # nothing computed for the city's scope yet

    page.goto(f"{demo}/")
    page.locator("#assessment-ranking-chart canvas").first.wait_for()
    page.locator("#cultivation-chart canvas").first.wait_for()
    page.wait_for_load_state("networkidle")
    assert page.locator('[data-testid="panel-placeholder"]').count() == 0
    assert page.get_by_test_id("project-count").is_visible()
    assert any("/dashboard/panels/assessment-city/" in url for url in fragments)
    assert violations == []

    fragments.clear()
    page.reload()
    page.wait_for_load_state("networkidle")
    assert fragments == [] and page.locator('[data-testid="panel-placeholder"]').count() == 0
    page.locator("#assessment-ranking-chart canvas").first.wait_for()  # started at load, from the page itself
