"""A county user logs in with the Chinese form, sees the dashboard and logs out."""

import pytest

from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_county_user_logs_in_sees_dashboard_and_logs_out(page, county_user, output_dir):
    page.goto(f"{page.base_url}/")
    assert "/login/" in page.url
    page.get_by_label("用户名").fill("owner")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    assert page.get_by_text("用户名或密码不正确").is_visible()

    login(page, "owner")
    assert page.get_by_role("heading", name="驾驶舱").is_visible()
    assert "县局工作人员" in page.get_by_test_id("current-user").inner_text()
    assert page.get_by_test_id("county-count").is_visible()
    page.screenshot(path=str(output_dir / "dashboard.png"), full_page=True)

    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url("**/login/")
    assert page.get_by_role("button", name="登录").is_visible()
    page.goto(f"{page.base_url}/")
    assert "/login/" in page.url
