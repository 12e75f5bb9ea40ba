"""Browser, on the demo data: the city's dashboard panel, 陵川县's A1 fact and its override, the plan and notice
lists, the audit page, and the county's monthly form (A1 computed, no checkbox) — at desktop and phone sizes."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from accounts.models import Region
from accounts.seed import DEMO_PASSWORD
from inspections.models import InspectionPlan
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def both_sizes(page, output_dir, name):
    page.set_viewport_size({"width": 1440, "height": 900})
    page.screenshot(path=str(output_dir / f"{name}.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(output_dir / f"{name}-mobile.png"), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})


def test_demo_pages(page, demo_clock, output_dir):
    call_command("seed_demo", stdout=io.StringIO())
    lingchuan = Region.objects.get(name="陵川县")
    login(page, "city", DEMO_PASSWORD)
    panel = page.get_by_test_id("panel-inspections")
    assert "陵川县" in panel.inner_text() and panel.get_by_test_id("overdue-count").inner_text() != "0"
    both_sizes(page, output_dir, "dashboard")

    page.goto(f"{page.base_url}/inspections/a1/{lingchuan.pk}/2024/2/")
    assert "：否" in page.get_by_test_id("a1-value").inner_text()
    assert "逾期未整改" in page.get_by_test_id("a1-rows").inner_text()
    both_sizes(page, output_dir, "a1-lingchuan")
    page.get_by_label("市局认定").select_option("1")
    page.get_by_label("认定理由").fill("经核查已整改，逾期系不可抗力")
    page.get_by_role("button", name="保存认定").click()
    page.wait_for_load_state("networkidle")
    assert "市局认定：是" in page.get_by_test_id("a1-value").inner_text()

    page.goto(f"{page.base_url}/inspections/")
    assert page.get_by_test_id("plans").inner_text().count("季度") == 5
    both_sizes(page, output_dir, "plans")
    plan = InspectionPlan.objects.filter(name__contains="季度").order_by("period_start").first()
    page.goto(f"{page.base_url}/inspections/plans/{plan.pk}/audit/")
    assert "一致" in page.get_by_test_id("audit-verdict").inner_text()
    both_sizes(page, output_dir, "audit")
    page.goto(f"{page.base_url}/inspections/notices/?overdue=true")
    assert "逾期未整改" in page.get_by_test_id("notices").inner_text()
    both_sizes(page, output_dir, "notices-overdue")
    page.goto(f"{page.base_url}/inspections/public/")
    assert plan.commitment in page.get_by_test_id("public-plans").inner_text()
    assert "已作废" in page.get_by_test_id("public-plans").inner_text()
    both_sizes(page, output_dir, "public")
    page.goto(f"{page.base_url}/inspections/public/plans/{plan.pk}/")
    assert "一致" in page.get_by_test_id("public-audit-verdict").inner_text()
    both_sizes(page, output_dir, "public-plan-audit")
    page.get_by_role("button", name="退出登录").click()

    login(page, "lingchuan", DEMO_PASSWORD)
    page.goto(f"{page.base_url}/assessment/")
    page.goto(f"{page.base_url}/inspections/notices/")
    both_sizes(page, output_dir, "county-notices")
