"""The city admin starts a new year on the 年度设定 page, corrects a target after a Chinese error, and the
ranking of that year no longer says "尚未设定" (headless Chromium).

Browser tests run on the wall clock (the live server and Chromium must agree on cookie expiry), so this test
names its years explicitly and never depends on today's date."""

import io

import pytest

from accounts.models import Region
from accounts.seed import seed_reference as seed_regions
from assessment.models import AnnualTarget, Rubric
from assessment.seed import seed_reference
from tests.conftest import login
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_city_admin_starts_a_year_and_edits_its_targets(page, output_dir):
    seed_regions(io.StringIO())
    seed_reference(io.StringIO())
    UserFactory(role="city_admin", username="cityadmin")
    login(page, "cityadmin")

    page.goto(f"{page.base_url}/assessment/ranking/?year=2031")
    notice = page.get_by_test_id("year-not-set-up")
    assert "2031年尚未设定考评赋分表" in notice.inner_text()
    page.screenshot(path=str(output_dir / "ranking-not-set-up.png"), full_page=True)
    notice.get_by_role("link", name="前往年度设定").click()

    page.get_by_label("复制自").select_option("2023")
    page.get_by_role("button", name="开始2031年度").click()
    assert "已设定2031年度" in page.locator(".alert-success").inner_text()
    assert page.get_by_test_id("rubric-check").get_by_text("✓ 100分").is_visible()

    yangcheng = Region.objects.get(name="阳城县")
    field = page.locator(f'input[name="t-{yangcheng.pk}-green_ratio"]')
    field.fill("120")
    page.get_by_role("button", name="保存目标任务").click()
    assert (
        "未保存，请改正以下问题：阳城县：绿色建筑比例（%）应为0至100之间的数字"
        in page.locator(".alert-danger").inner_text()
    )
    page.screenshot(path=str(output_dir / "year-setup-error.png"), full_page=True)
    assert AnnualTarget.objects.get(county=yangcheng, year=2031).green_ratio == 80

    page.locator(f'input[name="t-{yangcheng.pk}-green_ratio"]').fill("85")
    page.get_by_role("button", name="保存目标任务").click()
    assert "2031年目标任务已保存（1个县（市、区）有变动）" in page.locator(".alert-success").inner_text()
    page.screenshot(path=str(output_dir / "year-setup.png"), full_page=True)
    assert AnnualTarget.objects.get(county=yangcheng, year=2031).green_ratio == 85
    assert Rubric.objects.get(year=2031).based_on.year == 2023

    page.goto(f"{page.base_url}/assessment/ranking/?year=2031")
    assert page.get_by_test_id("year-not-set-up").count() == 0


def test_the_county_sees_before_submitting_that_its_month_is_overdue(page, output_dir):
    from assessment import services

    seed_regions(io.StringIO())
    seed_reference(io.StringIO())
    county = Region.objects.get(name="高平市")
    user = UserFactory(role="county_staff", region=county, username="gaoping")
    sub = services.get_or_create_submission(county, 2023, 6, user=user)  # its deadline (2023-06-20) is long past
    login(page, "gaoping")
    page.goto(f"{page.base_url}/assessment/submissions/{sub.pk}/edit/")
    alert = page.get_by_test_id("overdue")
    assert "逾期报送当月得分为0分" in alert.inner_text() and "2023年6月20日 23:59" in alert.inner_text()
    page.screenshot(path=str(output_dir / "overdue-form.png"))
