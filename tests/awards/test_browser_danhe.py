"""Browser: a county runs its 丹河杯 selection from the candidates to the award records."""

import pytest

from awards.models import AwardRecord
from projects.models import Project
from tests.awards.factories import awardable_project, catalogue
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_county_scores_candidates_confirms_and_sees_the_danhe_records(page, county, county_user, output_dir):
    catalogue()
    awardable_project(county, jingpin_status="certified", name="丹河新城安置房", code="GP-2023-001")
    awardable_project(county, jingpin_status="demonstration", name="长平大道改造", code="GP-2023-002")
    awardable_project(county, jingpin_status="certified", name="市民文化中心", code="GP-2023-003")
    awardable_project(county, jingpin_status="cultivating", name="培育中的项目", code="GP-2023-004")

    login(page, "owner")
    page.screenshot(path=str(output_dir / "dashboard.png"), full_page=True)
    page.get_by_role("button", name="奖励与积分").or_(page.get_by_role("link", name="奖励与积分")).first.click()
    page.get_by_role("link", name="丹河杯", exact=True).click()
    page.get_by_role("link", name="发起年度评选").click()
    page.get_by_label("年度").fill("2023")
    page.get_by_role("button", name="发起评选").click()
    page.wait_for_load_state("networkidle")
    assert "共 3 个候选项目" in page.content()
    rows = page.get_by_test_id("candidates")
    assert "培育中的项目" not in rows.inner_text()

    # a tie across the cut-off is refused with a clear message
    page.get_by_label("丹河新城安置房的得分").fill("92")
    page.get_by_label("长平大道改造的得分").fill("92")
    page.get_by_label("市民文化中心的得分").fill("95.5")
    page.get_by_label("获奖数量").fill("2")
    page.get_by_role("button", name="保存评分").click()
    page.get_by_label("表彰日期").fill("2023-12-26")
    page.get_by_label("表彰文号").fill("高住建〔2023〕90号")
    page.get_by_role("button", name="确认评选结果并生成奖励记录").click()
    page.get_by_test_id("confirm-ok").click()  # the confirmation modal: the result is locked afterwards
    page.wait_for_load_state("networkidle")
    assert "第2名与第3名得分相同" in page.content()
    page.screenshot(path=str(output_dir / "danhe-tie.png"), full_page=True)
    assert not AwardRecord.objects.exists()

    page.get_by_label("长平大道改造的得分").fill("90")
    page.get_by_role("button", name="保存评分").click()
    page.wait_for_load_state("networkidle")
    assert "已保存评分和获奖数量" in page.content()
    page.screenshot(path=str(output_dir / "danhe-scored.png"), full_page=True)
    page.get_by_label("表彰日期").fill("2023-12-26")
    page.get_by_label("表彰文号").fill("高住建〔2023〕90号")
    page.get_by_role("button", name="确认评选结果并生成奖励记录").click()
    page.get_by_test_id("confirm-ok").click()  # the confirmation modal: the result is locked afterwards
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(output_dir / "danhe-after-confirm.png"), full_page=True)

    assert "生成 2 条丹河杯奖励记录" in page.content()
    assert page.get_by_test_id("selection-status").inner_text() == "已确认"
    records = page.get_by_test_id("danhe-records").inner_text()
    assert "市民文化中心" in records and "丹河新城安置房" in records and "长平大道改造" not in records
    page.screenshot(path=str(output_dir / "danhe-confirmed.png"), full_page=True)
    # locked: no inputs left
    assert page.get_by_role("button", name="保存评分").count() == 0

    page.get_by_role("tab", name="奖励记录").or_(page.get_by_role("link", name="奖励记录", exact=True)).first.click()
    page.wait_for_load_state("networkidle")
    table = page.get_by_test_id("award-records").inner_text()
    assert table.count("丹河杯") == 2
    page.screenshot(path=str(output_dir / "award-records.png"), full_page=True)
    assert set(Project.objects.filter(priority_recommended=True).values_list("name", flat=True)) == {
        "市民文化中心",
        "丹河新城安置房",
    }
