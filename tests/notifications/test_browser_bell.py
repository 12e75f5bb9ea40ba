"""The bell in a real browser: the unread count in the header, the notices page, and 全部标为已读."""

import pytest

from notifications.services import notify
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width,height", [(1440, 900), (390, 844)])
def test_the_bell_counts_opens_and_clears(page, county_user, colleague, output_dir, width, height):
    notify([county_user], "event:a", "高平市2023年6月考评退回", "请根据审核意见修改后重新报送。", "/assessment/")
    notify([county_user], "event:b", "高平市2023年6月考评审核通过")
    notify([colleague], "event:c", "阳城县的通知")
    page.set_viewport_size({"width": width, "height": height})
    login(page, county_user.username)
    assert page.get_by_test_id("unread-count").inner_text() == "2"
    page.goto(f"{page.base_url}/reports/notifications/")
    body = page.locator("main, body").first.inner_text()
    assert "高平市2023年6月考评退回" in body and "审核通过" in body and "阳城县的通知" not in body
    page.screenshot(path=str(output_dir / f"bell-{width}.png"), full_page=True)
    page.get_by_role("button", name="全部标为已读").click()
    page.wait_for_load_state("networkidle")
    assert "已将 2 条通知标为已读" in page.content()
    assert page.get_by_test_id("unread-count").count() == 0
