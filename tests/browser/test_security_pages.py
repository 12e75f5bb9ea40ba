"""The security pages in the browser: the lockout message, a token shown once and revoked, changing one's
password, the city admin's security log."""

import re

import pytest

from accounts.models import ApiToken
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lockout_message_tokens_and_password_change(page, county_user, city_admin, output_dir, settings):
    settings.LOGIN_FAILURE_LIMIT = 3  # the full 31-attempt rule is tested with the test client (pinned time)
    page.goto(f"{page.base_url}/login/")
    for _ in range(4):
        page.get_by_label("用户名").fill("owner")
        page.get_by_label("密码").fill("wrong-password")
        page.get_by_role("button", name="登录").click()
    error = page.get_by_test_id("login-error").inner_text()
    assert re.fullmatch(r"登录失败次数过多，账户已临时锁定，请1[45]分钟后再试或联系管理员。", error), error
    page.screenshot(path=str(output_dir / "lockout.png"), full_page=True)

    login(page, "city_admin")
    page.goto(f"{page.base_url}/accounts/security-log/")
    assert page.get_by_test_id("security-log").get_by_text("锁定期间拒绝登录").first.is_visible()
    page.screenshot(path=str(output_dir / "security-log.png"), full_page=True)

    page.get_by_test_id("account-menu").click()  # the account's pages are behind the user's name
    page.get_by_test_id("tokens-link").click()
    page.get_by_label("令牌名称").fill("月报上传脚本")
    page.get_by_role("button", name="创建令牌").click()
    key = page.get_by_test_id("new-token-key").inner_text()
    assert re.fullmatch(r"[0-9a-f]{40}", key)
    page.screenshot(path=str(output_dir / "token-created.png"), full_page=True)
    page.reload()
    assert page.get_by_test_id("new-token").count() == 0  # shown once
    page.get_by_role("button", name="撤销").click()
    page.get_by_test_id("confirm-ok").click()
    assert page.get_by_text("已撤销令牌：月报上传脚本").is_visible()
    assert not ApiToken.objects.exists()

    page.get_by_test_id("account-menu").click()
    page.get_by_test_id("password-link").click()
    page.locator("#id_old_password").fill("Test@12345")
    page.locator("#id_new_password1").fill("short")
    page.locator("#id_new_password2").fill("short")
    page.get_by_role("button", name="修改密码").click()
    # in the error summary and beside the field (issue 26's error pattern): both shown
    assert page.get_by_text("密码太短，至少需要 8 个字符。").first.is_visible()
    assert page.locator("#err-new_password2").get_by_text("密码太短，至少需要 8 个字符。").is_visible()
    page.screenshot(path=str(output_dir / "password-change-error.png"), full_page=True)
    page.locator("#id_old_password").fill("Test@12345")
    page.locator("#id_new_password1").fill("Jincheng#2027")
    page.locator("#id_new_password2").fill("Jincheng#2027")
    page.get_by_role("button", name="修改密码").click()
    assert page.get_by_text("密码已修改。").is_visible()
