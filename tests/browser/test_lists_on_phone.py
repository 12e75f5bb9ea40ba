"""The list pages of the four roles and the public at 390×844 and 1440×900 on the demo data: no sideways scroll;
on a phone every list is a card per row (static/css/app.css "table-cards") with the status of the first row in
view and the key columns shown without 展开, the filter form hidden until 筛选 is pressed; on a desktop the table
stays a table and the filters stay open. The dashboard's 12-month grid shows the current month on a phone."""

import pytest
import time_machine
from django.core.cache import cache

from tests.browser.test_journeys import VIEWPORTS, sign_in
from tests.conftest import DEMO_NOW

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


LIST_PAGES = {
    "unit_taihang": ["/projects/mine/", "/projects/reports/", "/inspections/notices/", "/reports/notifications/todos/"],
    "gaoping": [
        "/projects/list/",
        "/projects/reports/review/",
        "/projects/participants/",
        "/projects/constraints/",
        "/assessment/",
        "/complaints/",
        "/inspections/notices/",
    ],
    "expert1": ["/evaluation/"],
    "city": [
        "/assessment/ranking/",
        "/assessment/annual/",
        "/assessment/audit/",
        "/evaluation/reviews/",
        "/evaluation/library/",
        "/awards/records/",
        "/awards/ledger/",
        "/awards/danhe/",
        "/awards/savings/",
        "/complaints/",
        "/inspections/",
        "/credit/enterprises/",
        "/credit/lists/watchlist/",
        "/credit/appeals/",
        "/disclosure/manage/",
        "/accounts/users/",
        "/accounts/enterprises/",
        "/accounts/security-log/",
        "/reports/",
    ],
}
PUBLIC_PAGES = ["/disclosure/", "/inspections/public/", "/disclosure/credit/redlist/", "/disclosure/credit/blacklist/"]
# Key columns a clerk needs on a phone without pressing 展开 (issue 26): (page, table, the column labels).
KEY_COLUMNS = {
    ("gaoping", "/complaints/"): ("ledger-table", ["状态", "时限"]),
    ("unit_taihang", "/projects/reports/"): ("report-table", ["状态", "项目编号"]),
    ("city", "/assessment/ranking/"): ("ranking-table", ["报送情况", "说明"]),
}


def no_sideways_scroll(page, width):
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url}: the page is {scroll}px wide on a {width}px screen"


def within_screen(page, locator, width):
    assert locator.is_visible(), f"{page.url}: {locator} hidden"
    box = locator.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{page.url}: {box} off a {width}px screen"


def check_lists(page, viewport, key_columns=None):
    width = VIEWPORTS[viewport][0]
    no_sideways_scroll(page, width)
    tables = page.locator("table.table-cards")
    assert tables.count() == page.locator("table.table-cards-ready").count()  # every list was labelled
    first_rows = page.locator("table.table-cards > tbody > tr:not(.card-note):first-child")
    for i in range(first_rows.count()):
        row = first_rows.nth(i)
        if not row.is_visible():
            continue  # a list in a closed tab or panel
        status = row.locator("> .card-status")
        if viewport == "phone":
            box = row.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{page.url}: card {box}"
            if status.count():
                within_screen(page, status.first, width)
                assert (
                    status.first.bounding_box()["y"] <= row.locator("> :not(.card-blank)").first.bounding_box()["y"] + 1
                )
        else:
            assert page.evaluate("el => getComputedStyle(el).display", row.element_handle()) == "table-row"
    if key_columns:
        testid, labels = key_columns
        rows = page.get_by_test_id(testid).locator("> tbody > tr")
        for label in labels:
            cells = rows.locator(f'> [data-label="{label}"]')
            assert cells.count(), f"{page.url}: no {label} column"
            assert "card-more" not in cells.first.get_attribute("class")  # shown without 展开
            cell = rows.locator(f'> [data-label="{label}"]:not(.card-blank)').first  # an empty field is left out
            within_screen(page, cell, width)
            if label == "项目编号":  # a code on one line, not broken over four
                assert cell.bounding_box()["height"] < 40, cell.bounding_box()
    form = page.get_by_test_id("filter-form")
    if form.count():
        if viewport == "phone":
            assert not form.is_visible(), f"{page.url}: the filters fill the first screen"
            page.get_by_test_id("filter-toggle").click()
            form.wait_for(state="visible")
            no_sideways_scroll(page, width)
        else:
            assert form.is_visible() and not page.get_by_test_id("filter-toggle").is_visible()


def test_lists_are_cards_on_a_phone_and_tables_on_a_desktop(browser, demo, output_dir):
    for viewport in VIEWPORTS:
        for username, urls in LIST_PAGES.items():
            page = sign_in(browser, demo, username, viewport)
            for url in urls:
                page.goto(demo + url)
                page.wait_for_load_state("networkidle")
                page.screenshot(
                    path=str(output_dir / f"list-{username}{url.replace('/', '-')}{viewport}.png"), full_page=True
                )
                check_lists(page, viewport, KEY_COLUMNS.get((username, url)))
            page.context.close()
        context = browser.new_context(
            locale="zh-CN", viewport={"width": VIEWPORTS[viewport][0], "height": VIEWPORTS[viewport][1]}
        )
        page = context.new_page()
        for url in PUBLIC_PAGES:
            page.goto(demo + url)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(output_dir / f"list-public{url.replace('/', '-')}{viewport}.png"), full_page=True)
            check_lists(page, viewport)
        context.close()


def test_a_phone_opens_a_card_behind_expand_and_removes_a_filter_by_its_chip(browser, demo, output_dir):
    page = sign_in(browser, demo, "city", "phone")
    page.goto(demo + "/complaints/?channel=online")
    page.wait_for_load_state("networkidle")
    chip = page.get_by_test_id("filter-chip").first
    assert chip.inner_text().startswith("来源渠道：网上")
    assert page.get_by_test_id("filter-toggle").inner_text() == "筛选条件（1）"
    row = page.get_by_test_id("ledger-table").locator("> tbody > tr").first
    handler = row.locator('> [data-label="承办人"]')
    assert not handler.is_visible()
    row.get_by_role("button", name="展开").click()
    assert handler.is_visible() and row.get_by_role("button", name="收起").is_visible()
    page.screenshot(path=str(output_dir / "list-complaints-card-open-phone.png"), full_page=True)
    chip.click()
    page.wait_for_load_state("networkidle")
    assert "channel=" not in page.url and page.get_by_test_id("filter-chip").count() == 0


def test_the_dashboard_grid_shows_the_current_month_on_a_phone(browser, demo, output_dir):
    """Month M is due on the 20th of M: on 12 March February is sent and March open; on 12 November the grid must
    scroll to November (and October) on a 390 px screen, with the county column still in view."""
    width = VIEWPORTS["phone"][0]
    for when, current_month, before_month in ((DEMO_NOW, "3月", "2月"), (DEMO_NOW.replace(month=11), "11月", "10月")):
        with time_machine.travel(when, tick=True):
            cache.clear()  # the dashboard's panels are cached
            for username in ("city", "gaoping"):
                page = sign_in(browser, demo, username, "phone")
                grid = page.get_by_test_id("status-grid")
                current = grid.locator("thead th[data-current]")
                assert current.inner_text() == current_month
                grid.scroll_into_view_if_needed()
                before = grid.get_by_role("columnheader", name=before_month, exact=True)
                county = grid.locator("thead th").first  # the county column stays
                for cell in (current, before, county):
                    within_screen(page, cell, width)
                assert before.bounding_box()["x"] >= county.bounding_box()["x"] + county.bounding_box()["width"] - 1
                grid.locator("xpath=..").screenshot(path=str(output_dir / f"grid-{username}-{current_month}-phone.png"))
                no_sideways_scroll(page, width)
                page.context.close()
