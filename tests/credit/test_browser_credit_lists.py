"""In a real browser: the public 黑名单 and 红榜 at desktop and phone width (screenshots in test-output/), then the
bureau's side — the dashboard panel, the 重点监管名单, the points ledger and the enterprise record with its grade
on a tender date."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from accounts.models import EnterpriseKind
from tests.conftest import login
from tests.credit.list_factories import cast, entry, score_all
from tests.factories import CountyFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TZ = dt.timezone(dt.timedelta(hours=8))
WIDE, PHONE = {"width": 1440, "height": 900}, {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def enterprise_kinds(db):
    """Transactional tests flush the tables, and with them the kinds the accounts migration created."""
    EnterpriseKind.ensure_all()


@pytest.fixture
def today():
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, tzinfo=TZ), tick=True):
        yield dt.date(2026, 6, 15)


def _shots(page, output_dir, name):
    for label, size in (("1440", WIDE), ("390", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(output_dir / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(WIDE)


def test_the_public_lists_and_the_bureaus_credit_pages(page, today, output_dir):
    county = CountyFactory(name="高平市")
    members = cast(county=county)
    for day in (3, 8):
        entry(members["d"], "complaint", dt.date(2026, 6, day), county=county, document_no=f"高建投〔2026〕{day}号")
    score_all([members["d"]], today)

    page.set_viewport_size(WIDE)
    page.goto(f"{page.base_url}/disclosure/credit/blacklist/")
    names = page.get_by_test_id("listed-name").all_inner_texts()
    assert set(names) == {members[k].name for k in ("d", "b_major", "a_major")}
    assert "晋市建约〔2026〕5号" in page.content()
    assert "法定代表人" not in page.content()
    _shots(page, output_dir, "blacklist")

    page.get_by_role("link", name="信用红榜").click()
    page.wait_for_load_state("networkidle")
    assert set(page.get_by_test_id("listed-name").all_inner_texts()) == {
        members["a"].name,
        members["expired_major"].name,
    }
    _shots(page, output_dir, "redlist")
    page.get_by_label("单位名称或统一社会信用代码").fill("旧账")
    page.get_by_role("button", name="查询").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("listed-name").all_inner_texts() == [members["expired_major"].name]

    UserFactory(role="city_admin", username="city")
    login(page, "city")
    panel = page.get_by_test_id("panel-credit")
    assert panel.get_by_test_id("credit-new-bad").inner_text() == "2"
    panel.screenshot(path=str(output_dir / "panel.png"))
    panel.get_by_role("link", name="重点监管名单").click()
    page.wait_for_load_state("networkidle")
    rows = page.get_by_test_id("watchlist").locator("tbody tr")
    assert rows.count() == 2
    _shots(page, output_dir, "watchlist")

    page.goto(f"{page.base_url}/awards/enterprises/{members['d'].pk}/")
    page.get_by_label("信用等级（截至招标日期）").fill("2026-06-05")
    page.get_by_role("button", name="查询", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert "截至 2026年6月5日" in page.get_by_test_id("tender-standing").inner_text()
    page.get_by_test_id("credit-reference").screenshot(path=str(output_dir / "enterprise-record-credit.png"))
