"""Browser: an enterprise user appeals a 行政处罚 on its 诚信档案 with a document; the county withdraws it after the
confirmation; the enterprise sees the entry withdrawn and its score back. Screenshots of the record page at desk
and phone widths (nothing runs off the side)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from credit.models import CreditAppeal, CreditStanding
from tests.conftest import SHANGHAI as TZ
from tests.conftest import login
from tests.credit.factories import add_entry
from tests.factories import EnterpriseFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"1440": {"width": 1440, "height": 900}, "390": {"width": 390, "height": 844}}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def record(county, county_user):
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, tzinfo=TZ), tick=True):
        firm = EnterpriseFactory(name="晋城市安泰建筑工程有限公司")
        UserFactory(role="unit_user", enterprise=firm, username="member", name="李会计")
        add_entry(firm, "award", dt.date(2025, 9, 1), catalogue_points=8, document_no="晋市建〔2025〕40号",
                  title="2025年珏山杯 · 丹河新城安置房3号楼")  # fmt: skip
        add_entry(firm, "demonstration", dt.date(2025, 12, 20), title="市级示范项目 · 长平大道综合改造")
        add_entry(firm, "complaint", dt.date(2024, 11, 2), county=county, title="投诉举报查实：夜间违规施工扰民")
        penalty = add_entry(firm, "penalty", dt.date(2026, 3, 10), county=county, document_no="高住建罚〔2026〕3号",
                            title="行政处罚：未按规定进行隐蔽工程验收")  # fmt: skip
        add_entry(firm, "constraint_serious", dt.date(2026, 5, 4), county=county,
                  title="约束记录（较重）：不合格材料进场 · 凤鸣苑2号楼")  # fmt: skip
        yield firm, penalty


def shoot(page, output_dir, name):
    for label, size in SIZES.items():
        page.set_viewport_size(size)
        page.screenshot(path=str(output_dir / f"{name}-{label}.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= size["width"], f"{name}: {width}px wide at {label}"
    page.set_viewport_size(SIZES["1440"])


def test_an_enterprise_appeals_and_the_county_withdraws_the_entry(browser, live_server, record, output_dir):
    firm, penalty = record
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, tzinfo=TZ), tick=True):
        context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=SIZES["1440"])
        page = context.new_page()
        page.set_default_timeout(15000)
        page.base_url = live_server.url
        login(page, "member")
        page.get_by_role("button", name="诚信档案").or_(page.get_by_role("link", name="诚信档案")).first.click()
        page.get_by_role("link", name="本单位诚信档案").click()
        page.wait_for_load_state("networkidle")
        assert page.get_by_test_id("score").inner_text() == "101"  # 100 + 8 + 3 − 5 − 5; the complaint expired
        shoot(page, output_dir, "record-member")

        page.get_by_test_id(f"entry-{penalty.pk}").get_by_test_id("appeal").click()
        page.get_by_label("申诉理由").fill("该处罚决定已于2026年5月经行政复议撤销，附复议决定书。")
        page.get_by_label("证明材料").set_input_files(
            files=[{"name": "复议决定书.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        shoot(page, output_dir, "appeal-form")
        page.get_by_test_id("submit-appeal").click()
        page.wait_for_load_state("networkidle")
        assert "申诉已提交" in page.content()
        assert page.get_by_test_id(f"entry-{penalty.pk}").get_by_test_id("appeal-status").inner_text() == "待处理"
        context.close()

        context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=SIZES["1440"])
        page = context.new_page()
        page.set_default_timeout(15000)
        page.base_url = live_server.url
        login(page, "owner")
        page.get_by_role("button", name="诚信档案").or_(page.get_by_role("link", name="诚信档案")).first.click()
        page.get_by_role("link", name="信用修复申诉", exact=True).click()
        page.wait_for_load_state("networkidle")
        page.get_by_test_id("appeals").get_by_role("link").first.click()
        page.wait_for_load_state("networkidle")
        assert "复议决定书.pdf" in page.get_by_test_id("documents").inner_text()
        page.get_by_label("处理理由").fill("经核查，该行政处罚决定已被复议机关撤销，予以撤销该记录。")
        page.get_by_test_id("decide-withdraw").click()
        page.get_by_test_id("confirm-ok").click()  # the decision is final: the modal asks first
        page.wait_for_load_state("networkidle")
        assert "已处理申诉：撤销该记录" in page.content()
        shoot(page, output_dir, "appeal-decided")
        page.goto(f"{live_server.url}/credit/enterprises/{firm.pk}/")
        shoot(page, output_dir, "record-county")
        context.close()

        assert CreditAppeal.objects.get().status == "withdrawn"
        assert CreditStanding.objects.get(enterprise=firm).score == 106

        context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=SIZES["1440"])
        page = context.new_page()
        page.base_url = live_server.url
        login(page, "member")
        page.goto(f"{live_server.url}/credit/mine/")
        row = page.get_by_test_id(f"entry-{penalty.pk}")
        assert row.get_by_test_id("state").inner_text().startswith("申诉撤销")
        assert "撤销该记录" in row.get_by_test_id("appeal-status").inner_text()
        assert page.get_by_test_id("score").inner_text() == "106"  # grade A: on the 红榜
        context.close()


def test_the_staff_pages_fit_desk_and_phone(browser, live_server, record, city_admin, output_dir):
    firm, penalty = record
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, tzinfo=TZ), tick=True):
        context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=SIZES["1440"])
        page = context.new_page()
        page.set_default_timeout(15000)
        page.base_url = live_server.url
        login(page, "city_admin")
        for name, path in [
            ("enterprises", "/credit/enterprises/"),
            ("record-city", f"/credit/enterprises/{firm.pk}/?on=2026-03-15"),
            ("rule", "/credit/rule/"),
            ("rule-v1", "/credit/rule/1/"),
            ("rule-edit", "/credit/rule/edit/"),
        ]:
            page.goto(f"{live_server.url}{path}")
            shoot(page, output_dir, name)
        assert "2026年3月15日" in page.goto(f"{live_server.url}/credit/enterprises/{firm.pk}/?on=2026-03-15").text()
        page.goto(f"{live_server.url}/credit/rule/edit/")
        page.get_by_label("“行政处罚”的分值").fill("-8")
        page.get_by_label("修订说明").fill("局务会议决定提高行政处罚扣分。")
        page.get_by_test_id("adopt-rule").click()
        page.get_by_test_id("confirm-ok").click()
        page.wait_for_load_state("networkidle")
        assert "已发布信用评价规则第2版" in page.content()
        shoot(page, output_dir, "rule-v2")
        context.close()
