"""Browser: the county locks a plan (commitment published), draws it on the declared day after confirming, records an inspection with a finding, the unit answers with a photo, the
inspector finds the rectification insufficient and returns it ("整改不到位，退回", with a reason and a new deadline, after a
confirmation), the unit answers again, the inspector closes it, the city confirms and the public page (no login) shows it."""

from __future__ import annotations

import pytest

from inspections.models import Inspection, InspectionPlan, RectificationNotice
from tests.conftest import at, login
from tests.inspections.conftest import PNG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, output_dir, name):
    page.screenshot(path=str(output_dir / f"{name}.png"), full_page=True)


def logout(page):
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_load_state("networkidle")


def test_draw_record_answer_close_publish(
    page, projects, contractor, unit_user, roster, county_user, city_admin, output_dir, clock
):
    page.set_viewport_size({"width": 1440, "height": 900})
    login(page, "owner")
    page.goto(f"{page.base_url}/inspections/")
    page.get_by_test_id("plan-create").click()
    page.get_by_label("计划名称").fill("2024年一季度“双随机、一公开”检查")
    page.get_by_label("抽取项目数").fill("1")
    page.get_by_label("每组检查人员数").fill("2")
    shot(page, output_dir, "plan-form")
    page.get_by_role("button", name="保存计划").click()
    page.wait_for_load_state("networkidle")
    # commit: lock and publish the record, declaring tomorrow's index close as the public value
    page.get_by_label("公开随机值来源").fill("上证指数2024年3月13日收盘价")
    page.get_by_label("公开随机值公布日期").fill("2024-03-13")
    shot(page, output_dir, "plan-lock")
    page.get_by_test_id("lock").click()
    page.get_by_test_id("confirm-ok").click()
    page.wait_for_load_state("networkidle")
    plan = InspectionPlan.objects.get()
    assert plan.commitment in page.get_by_test_id("commitment").inner_text()
    assert "当日或之后输入" in page.get_by_test_id("value-wait").inner_text()
    shot(page, output_dir, "plan-locked")
    page.goto(f"{page.base_url}/inspections/public/")
    assert plan.commitment in page.get_by_test_id("public-plans").inner_text()

    # reveal: on the declared day the value is entered, confirmed, drawn
    clock.move_to(at(2024, 3, 13, 16))
    login(page, "owner")
    page.goto(f"{page.base_url}/inspections/plans/{plan.pk}/")
    page.get_by_label("公开随机值").fill("3089.26")
    page.get_by_test_id("draw").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("confirm-value").inner_text() == "3089.26"
    assert "上证指数2024年3月13日收盘价" in page.get_by_test_id("confirm-details").inner_text()
    shot(page, output_dir, "plan-draw-confirm")
    page.get_by_test_id("confirm-draw").click()
    page.wait_for_load_state("networkidle")
    assert "抽取完成" in page.content()
    shot(page, output_dir, "plan-drawn")
    page.get_by_test_id("audit-link").click()
    assert "结果与记录的抽取结果一致" in page.get_by_test_id("audit-verdict").inner_text()
    shot(page, output_dir, "plan-audit")
    page.goto(f"{page.base_url}/inspections/public/plans/{plan.pk}/")
    assert "结果与公布的抽取结果一致" in page.get_by_test_id("public-audit-verdict").inner_text()
    shot(page, output_dir, "plan-public-audit")

    inspection = Inspection.objects.get(plan=plan)
    page.goto(f"{page.base_url}/inspections/inspections/{inspection.pk}/")
    page.get_by_label("检查情况（将公开）").fill("抽查主体结构和临边防护。")
    page.get_by_test_id("record-save").click()
    page.wait_for_load_state("networkidle")
    assert "检查记录已保存" in page.content()
    page.get_by_label("问题描述").fill("二层楼板钢筋保护层厚度不足")
    page.get_by_label("严重程度").select_option("serious")
    page.get_by_label("责任主体").select_option("contractor")
    page.get_by_label("取证照片/文件").set_input_files([{"name": "现场.png", "mimeType": "image/png", "buffer": PNG}])
    page.get_by_test_id("finding-save").click()
    page.get_by_test_id("confirm-ok").click()
    page.wait_for_load_state("networkidle")
    assert "下达整改通知单" in page.content()
    shot(page, output_dir, "inspection-with-finding")
    notice = RectificationNotice.objects.get()
    logout(page)

    login(page, "unit")
    page.goto(f"{page.base_url}/inspections/notices/")
    page.get_by_role("link", name=notice.number).click()
    page.get_by_label("整改情况").fill("已返工并复测保护层厚度，符合要求。")
    page.get_by_label("整改佐证（照片/文件）").set_input_files(
        [{"name": "整改后.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.get_by_test_id("answer-save").click()
    page.get_by_test_id("confirm-ok").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("notice-status").inner_text() == "已回复"
    assert "整改后.png" in page.get_by_test_id("attachments").inner_text()
    shot(page, output_dir, "notice-answered")
    logout(page)

    # 退回重新整改: the inspector is not satisfied; the confirmation comes first, then the notice goes back to the unit
    member = inspection.team.order_by("pk").first().user
    login(page, member.username)
    page.goto(f"{page.base_url}/inspections/notices/{notice.pk}/")
    page.get_by_label("退回理由").fill("复测报告缺少第三方检测单位盖章，三层未复测")
    page.get_by_label("新的整改期限").fill("2024-03-20")
    page.get_by_test_id("return-save").click()
    page.get_by_test_id("confirm-ok").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("notice-status").inner_text() == "退回重新整改（第2轮）"
    history = page.get_by_test_id("notice-history").inner_text()
    assert (
        "第1轮" in history and "整改不到位，退回：复测报告缺少第三方检测单位盖章" in history and "2024-03-20" in history
    )
    shot(page, output_dir, "notice-returned")
    logout(page)

    login(page, "unit")
    page.goto(f"{page.base_url}/inspections/notices/{notice.pk}/")
    page.get_by_label("整改情况").fill("已委托第三方检测并复测三层，报告盖章附后。")
    page.get_by_test_id("answer-save").click()
    page.get_by_test_id("confirm-ok").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("notice-status").inner_text() == "已回复"
    logout(page)

    login(page, member.username)
    page.goto(f"{page.base_url}/inspections/notices/{notice.pk}/")
    assert "第2轮" in page.get_by_test_id("notice-history").inner_text()
    page.get_by_label("复查意见").fill("复查合格")
    page.get_by_test_id("close-save").click()
    page.get_by_test_id("confirm-ok").click()  # 销号 is confirmed after the server has checked the form
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("notice-status").inner_text() == "已整改"
    logout(page)

    login(page, "city_admin")
    page.goto(f"{page.base_url}/inspections/inspections/{inspection.pk}/")
    page.get_by_test_id("confirm").click()
    page.get_by_test_id("confirm-ok").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("inspection-status").inner_text() == "已确认公开"
    logout(page)

    page.goto(f"{page.base_url}/inspections/public/")
    result = page.get_by_test_id("public-result").inner_text()
    assert inspection.project.name in result and "二层楼板钢筋保护层厚度不足" in result and "已整改" in result
    assert member.display_name not in page.content()
    shot(page, output_dir, "public")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, output_dir, "public-mobile")
