"""A phone complaint: county staff enter it with its channel and received date, accept, investigate and close it,
filter the ledger by channel, and print the 受理告知书 and 办结答复书."""

import datetime as dt

import pytest

from complaints.models import Complaint
from tests.conftest import at, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_phone_complaint_is_entered_with_its_channel_and_handled(page, county, county_user, clock, output_dir):
    clock.move_to(at(2030, 10, 9, 9))  # Wednesday; the call came on Monday
    login(page, "owner")
    page.goto(f"{page.base_url}/complaints/")
    page.get_by_test_id("enter-complaint").click()
    page.get_by_label("来源渠道").select_option(label="电话")
    page.get_by_label("收到日期").fill("2030-10-07")
    assert page.get_by_label("承办县（市、区）").input_value() == str(county.pk)
    page.get_by_label("问题所在地点").fill("凤台街12号在建住宅楼")
    page.get_by_label("问题类别").select_option(label="安全")
    page.get_by_label("问题描述").fill("来电反映：工地夜间塔吊作业，无人指挥。")
    page.get_by_label("联系电话").fill("13900002222")
    page.screenshot(path=str(output_dir / "enter-form.png"), full_page=True)
    page.get_by_test_id("enter-save").click()
    assert "查询码" in page.locator(".alert-success").inner_text()
    complaint = Complaint.objects.get()
    assert complaint.channel == "phone" and complaint.received_on == dt.date(2030, 10, 7)
    assert complaint.accept_due == dt.date(2030, 10, 10)  # 3 working days from the call, not from the entry
    assert page.get_by_test_id("channel").inner_text().startswith("电话")
    assert page.get_by_test_id("received-on").inner_text() == "2030-10-07"

    page.get_by_test_id("accept").click()
    assert page.get_by_test_id("pdf-accept").is_visible()
    page.get_by_test_id("investigate").click()
    page.get_by_label("核查情况").fill("现场核查属实。")
    page.get_by_label("核查结论").select_option(label="属实")  # an address: the responsible unit may stay empty
    page.get_by_label("答复意见（投诉人可见）").fill("经核查属实，已责令施工单位设置专职信号指挥。")
    page.get_by_test_id("close").click()
    page.get_by_test_id("confirm-ok").click()
    assert page.locator('[data-status="closed"]').first.is_visible()
    reply = page.request.get(page.base_url + page.get_by_test_id("pdf-reply").get_attribute("href"))
    assert reply.status == 200 and reply.headers["content-type"] == "application/pdf"
    page.screenshot(path=str(output_dir / "closed.png"), full_page=True)

    page.goto(f"{page.base_url}/complaints/?channel=phone")
    assert page.get_by_role("link", name=complaint.tracking_no).is_visible()
    assert page.get_by_test_id("channel").first.inner_text() == "电话"
    page.goto(f"{page.base_url}/complaints/?channel=letter")
    assert page.get_by_role("link", name=complaint.tracking_no).count() == 0
