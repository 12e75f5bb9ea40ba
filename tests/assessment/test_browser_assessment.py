"""A county fills and submits June with an evidence file; the city reviews, adjusts, approves and
publishes, and the ranking shows 74.53 (headless Chromium)."""

import datetime as dt

import pytest
from django.utils import timezone

from assessment import services
from assessment.models import Submission
from tests.assessment.factories import attach_evidence, target
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
FIGURES = {
    "new_building_area": "30.00",
    "renewable_area": "12.34",
    "retrofit_residential_area": "3.5",
    "retrofit_public_area": "1",
    "green_area_accepted": "21.50",
    "green_area_star_rated": "8.00",
    "prefab_area": "7.80",
    "green_label_two_star": "1",
    "green_material_pilots": "1",
}
FACTS = [
    "energy_standard_full",
    "residential_in_reserve",
    "public_in_reserve",
    "green_standard_all",
    "star_design_filed",
    "bim_met",
    "rd_ledger_submitted",
]


def test_county_submits_city_adjusts_and_publishes_and_the_ranking_shows_it(
    page, county, county_user, city_admin, output_dir
):
    target(county)
    # June 2023's deadline has long passed: the city allows a late filing for this test run (a dated exception).
    services.grant_exception(
        county, 2023, 6, user=city_admin, new_deadline=timezone.now() + dt.timedelta(days=1), reason="系统上线补报"
    )

    login(page, "owner")
    page.goto(f"{page.base_url}/assessment/")
    page.fill("#start_year", "2023")
    page.select_option("#start_month", "6")
    page.get_by_role("button", name="填报本月考评").click()
    page.wait_for_selector("#submission-form")
    for name, value in FIGURES.items():
        page.fill(f"#id_{name}", value)
    for name in FACTS:
        page.check(f"#id_{name}")
    page.fill("#id_report_tasks", "截至6月各项任务按序时推进。")
    page.fill("#id_report_progress", "召开建筑节能推进会。")
    page.fill("#id_report_problems", "装配式比例偏低，加强方案审查。")
    # 无印证材料的不计分 (seed 002 附件1 四): every item but A1 has its 印证材料 (uploaded earlier); A1's 4 points wait
    sub = Submission.objects.get(county=county, year=2023, month=6)
    attach_evidence(sub, county_user, [c for c in sub.rubric.items.values_list("code", flat=True) if c != "A1"])
    page.fill("#id_self_score", "73.53")
    page.wait_for_function("() => document.querySelector('[data-testid=items-total]').textContent.trim() === '69.53'")
    assert "封顶20" in page.get_by_test_id("score-D1").locator("xpath=..").inner_text()
    assert "无印证材料的不计分" in page.get_by_test_id("score-A1").locator("xpath=..").inner_text()

    # the upload beside item A1 (its box warns 无印证材料的不计分 until then)
    box = page.get_by_test_id("item-evidence-A1")
    assert "无印证材料的不计分" in box.inner_text()
    box.locator("input[type=file]").set_input_files(
        files=[{"name": "A1节能验收资料.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    box.get_by_role("button", name="上传").click()
    page.wait_for_selector("[data-testid=item-evidence-A1] >> text=A1节能验收资料.pdf")
    page.wait_for_function("() => document.querySelector('[data-testid=items-total]').textContent.trim() === '73.53'")
    page.screenshot(path=str(output_dir / "1-county-form.png"), full_page=True)

    # 保存并检查 → the check page → 报送市局 (confirmed)
    page.get_by_test_id("check-month").click()
    page.wait_for_selector("[data-testid=check-passed]")
    assert page.get_by_test_id("check-items-total").inner_text().strip() == "73.53"
    page.get_by_test_id("submit-month").click()
    page.get_by_test_id("confirm-modal").wait_for(state="visible")
    page.get_by_test_id("confirm-ok").click()
    page.wait_for_selector("[data-testid=month-score]")
    assert "已报送" in page.content()
    assert page.get_by_test_id("month-score").inner_text().strip() == "73.53"
    page.screenshot(path=str(output_dir / "2-county-submitted.png"), full_page=True)
    page.get_by_role("button", name="退出登录").click()

    login(page, "city_admin")
    page.goto(f"{page.base_url}/assessment/review/")
    page.get_by_role("link", name="查看").first.click()
    page.wait_for_selector("[data-testid=adjust-form]")
    form = page.get_by_test_id("adjust-form")
    form.locator("input[name=points]").fill("1")
    form.locator("input[name=reason]").fill("创新性工作：率先出台改造奖补细则")
    form.get_by_role("button", name="录入加减分").click()
    page.wait_for_selector("text=已录入行政绩效加减分")
    assert page.get_by_test_id("month-score").inner_text().strip() == "74.53"
    page.get_by_role("button", name="审核通过").click()
    modal = page.get_by_test_id("confirm-modal")
    modal.wait_for(state="visible")
    assert "确定审核通过" in modal.inner_text()
    page.wait_for_timeout(400)  # let the fade-in finish before the screenshot
    page.screenshot(path=str(output_dir / "3a-confirm-approve.png"))
    modal.get_by_role("button", name="取消").click()  # cancelling changes nothing
    modal.wait_for(state="hidden")
    assert services.Submission.objects.get(county=county, year=2023, month=6).status == "submitted"
    page.get_by_role("button", name="审核通过").click()
    modal.get_by_test_id("confirm-ok").click()
    page.wait_for_selector("text=已审核通过")
    page.get_by_role("button", name="发布").click()
    modal.wait_for(state="visible")
    assert "确定发布" in modal.inner_text()
    modal.get_by_test_id("confirm-ok").click()
    page.wait_for_selector("text=已发布。")
    page.screenshot(path=str(output_dir / "3-city-published.png"), full_page=True)

    page.goto(f"{page.base_url}/assessment/ranking/?year=2023&month=6")
    row = page.locator("[data-testid=ranking-table] tr[data-county='高平市']")
    assert "74.53" in row.inner_text() and row.locator("td").first.inner_text().strip() == "1"
    page.wait_for_selector("#ranking-chart canvas")
    page.screenshot(path=str(output_dir / "4-ranking.png"), full_page=True)

    page.goto(f"{page.base_url}/")
    page.wait_for_selector("[data-testid=status-grid]")
    page.screenshot(path=str(output_dir / "5-dashboard.png"), full_page=True)
