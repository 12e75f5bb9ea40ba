"""Browser: a notice to a contractor without any login is answered on paper; the county records it (代录) with the
scan and the received date, closes it, prints the notice, and the county's A1 fact holds."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import User
from inspections import a1, services
from inspections.models import NoticeStatus
from tests.conftest import at, login
from tests.inspections.conftest import PNG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_paper_answer_recorded_by_the_county_closes_the_notice_on_time(
    page, inspection, contractor, county_user, output_dir, clock
):
    assert not User.objects.filter(enterprise=contractor).exists()
    notice = services.add_finding(
        inspection,
        user=county_user,
        description="临边洞口防护不到位",
        severity="serious",
        responsible_role="contractor",
        deadline=dt.date(2024, 3, 20),
    ).notice
    clock.move_to(at(2024, 3, 25, 9))  # the reply came by post on 18 March; the county enters it on the 25th
    scan = output_dir / "书面回复.png"
    scan.write_bytes(PNG)

    login(page, "owner")
    page.goto(f"{page.base_url}/inspections/notices/{notice.pk}/")
    page.get_by_label("代录方式").select_option(label="书面回复（代录）")
    page.get_by_label("回复收到日期").fill("2024-03-26")
    page.get_by_label("整改情况").fill("已设置定型化临边防护栏杆，书面回复见扫描件。")
    page.get_by_label("书面回复扫描件/复查记录").set_input_files(str(scan))
    page.get_by_test_id("paper-save").click()
    page.get_by_test_id("confirm-ok").click()
    assert "回复收到日期不能晚于今天。" in page.get_by_test_id("paper-form").inner_text()  # nothing written
    page.get_by_label("回复收到日期").fill("2024-03-18")
    page.get_by_label("书面回复扫描件/复查记录").set_input_files(str(scan))
    page.get_by_test_id("paper-save").click()
    page.get_by_test_id("confirm-ok").click()
    proxy = page.get_by_test_id("proxy-answer").inner_text()
    assert "代录" in proxy and "2024-03-18" in proxy and county_user.display_name in proxy
    page.screenshot(path=str(output_dir / "paper-answer.png"), full_page=True)

    assert page.get_by_label("整改完成日期").input_value() == "2024-03-18"  # the received date is proposed
    page.get_by_label("复查意见").fill("书面回复及照片经核属实")
    page.get_by_test_id("close-save").click()
    page.get_by_test_id("confirm-ok").click()
    assert page.get_by_test_id("notice-status").inner_text() == "已整改（代录）"
    pdf = page.request.get(page.base_url + page.get_by_test_id("notice-pdf").get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    page.screenshot(path=str(output_dir / "closed.png"), full_page=True)

    notice.refresh_from_db()
    assert notice.status == NoticeStatus.CLOSED and notice.answer_by_proxy
    fact = a1.a1_fact(inspection.project.county_id, 2024, 3)
    assert fact.computed is True and fact.rows == [(notice, a1.ON_TIME)]
