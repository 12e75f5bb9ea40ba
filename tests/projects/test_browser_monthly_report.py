"""A unit user fills and submits a monthly report in the browser; the county user accepts it from the queue."""

import pytest

from accounts.models import EnterpriseKind
from projects.models import MonthlyReport
from tests.conftest import login
from tests.projects.factories import ParticipantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def enterprise_kinds(db):
    """Transactional tests flush the tables, and with them the kinds the accounts migration created."""
    for code, name in EnterpriseKind.Code.choices:
        EnterpriseKind.objects.get_or_create(code=code, defaults={"name": name})


def test_unit_user_submits_a_monthly_report_and_the_county_accepts_it(page, project, reporter, county_user, output_dir):
    ParticipantFactory(project=project, role="supervisor", insurance_policy_no="", insurance_valid_until=None)

    login(page, "reporter")
    page.goto(f"{page.base_url}/projects/mine/")
    assert page.get_by_role("heading", name="我的项目").is_visible()
    assert page.get_by_text("⚠ 1项").is_visible()  # the supervisor's missing insurance
    page.screenshot(path=str(output_dir / "1-my-projects.png"), full_page=True)

    page.get_by_test_id(f"fill-report-{project.code}").click()
    page.wait_for_load_state("networkidle")
    form = page.get_by_test_id("report-form")
    form.get_by_label("年度").fill("2023")
    form.get_by_label("月份").fill("6")
    form.get_by_label("新开工建筑面积（m²）").fill("12000")
    form.get_by_label("其中装配式建筑面积（m²）").fill("20000")
    form.get_by_label("其中装配式建筑面积（m²）").blur()
    error = page.locator("#err-prefab_area")
    error.get_by_text("装配式建筑面积不能大于新开工建筑面积。").wait_for()  # inline, before submitting
    page.screenshot(path=str(output_dir / "2-inline-error.png"), full_page=True)

    form.get_by_label("其中装配式建筑面积（m²）").fill("3120.5")
    for name in (
        "green_area_basic",
        "green_area_one_star",
        "green_area_two_star",
        "green_area_three_star",
        "renewable_area",
        "retrofit_residential_area",
        "retrofit_public_area",
    ):
        form.locator(f"#id_{name}").fill("0")  # issue 26: area fields start blank and must be filled (0 if none)
    form.get_by_label("绿色建材应用比例（%）").fill("38")
    form.get_by_label("应用BIM").check()
    page.get_by_role("button", name="保存并提交").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("月报已提交，等待县局审核。").is_visible()
    assert "已提交" in page.get_by_test_id("report-status").inner_text()
    page.screenshot(path=str(output_dir / "3-submitted.png"), full_page=True)

    page.context.clear_cookies()
    login(page, "owner")
    page.goto(f"{page.base_url}/projects/reports/review/")
    row = page.locator(f"tr[data-report='{project.code}-2023-6']")
    assert row.is_visible()
    page.screenshot(path=str(output_dir / "4-review-queue.png"), full_page=True)
    row.get_by_role("button", name="接收").click()
    page.get_by_test_id("confirm-ok").click()  # the confirmation modal: an accepted report is locked
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("已接收月报").is_visible()
    assert page.get_by_text("没有待审核的月报。").is_visible()

    report = MonthlyReport.objects.get(project=project, year=2023, month=6)
    assert report.status == "accepted" and report.reviewed_by == county_user and report.created_by == reporter
    assert str(report.prefab_area) == "3120.50" and report.bim_applied

    page.goto(f"{page.base_url}/projects/reports/{report.pk}/")
    assert "已接收" in page.get_by_test_id("report-status").inner_text()
    page.screenshot(path=str(output_dir / "5-accepted.png"), full_page=True)
    page.goto(f"{page.base_url}/projects/{project.pk}/")
    assert page.get_by_test_id("insurance-warnings").is_visible()
    page.screenshot(path=str(output_dir / "6-project-detail.png"), full_page=True)
