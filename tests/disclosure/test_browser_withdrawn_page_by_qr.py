"""Browser: a printed QR never breaks (seed 001 二(一)1: "严格执行工程质量信息公示制度和工程竣工永久性标志牌制度").

The county prints the 永久性标志牌 of a completed project, then withdraws the page (a confirmation first, a reason
required); a citizen scanning the QR on the installed sign — the URL decoded from the downloaded PDF — on a phone,
without logging in, sees 已撤销公示 with the date and the reason, never a 404."""

from __future__ import annotations

import subprocess

import pytest
import zxingcpp
from PIL import Image

from disclosure.models import ProjectDisclosure
from tests.conftest import login
from tests.disclosure.factories import signable_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "工程地点登记有误，核实后重新公示"


def qr_urls(pdf: bytes, stem) -> list[str]:
    subprocess.run(["pdftoppm", "-png", "-r", "110", "-singlefile", "-", str(stem)], input=pdf, check=True)
    image = Image.open(f"{stem}.png")
    return [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


def test_a_withdrawn_page_opened_by_the_signs_qr_says_withdrawn_with_date_and_reason(
    browser, page, county, county_user, output_dir, clock
):
    project = signable_project(county, county_user)
    login(page, "owner")
    page.goto(f"{page.base_url}/disclosure/manage/")
    row = page.locator(f"tr[data-project='{project.code}']")
    with page.expect_download() as download:
        row.get_by_role("link", name="A4").click()
    pdf = open(download.value.path(), "rb").read()
    assert pdf.startswith(b"%PDF")
    [url] = qr_urls(pdf, output_dir / "sign")
    assert url.endswith(f"/disclosure/p/{ProjectDisclosure.objects.get(project=project).public_id}/")

    # without a reason: refused, the page stays published
    row.get_by_test_id("withdraw").click()
    page.get_by_test_id("confirm-ok").click()
    page.wait_for_load_state("networkidle")
    assert "撤销原因" in page.content()
    assert ProjectDisclosure.objects.get(project=project).published
    row = page.locator(f"tr[data-project='{project.code}']")
    row.get_by_label("撤销原因").fill(REASON)
    row.get_by_test_id("withdraw").click()
    page.get_by_test_id("confirm-ok").click()
    page.wait_for_load_state("networkidle")
    row = page.locator(f"tr[data-project='{project.code}']")
    assert row.get_by_test_id("withdrawn-badge").is_visible()
    page.screenshot(path=str(output_dir / "manage-withdrawn.png"), full_page=True)

    # the citizen's phone, no session: the QR's URL (the live server's host replaces the configured site's)
    phone = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 390, "height": 844})
    citizen = phone.new_page()
    path = "/" + url.split("://", 1)[1].split("/", 1)[1]
    response = citizen.goto(page.base_url + path)
    assert response.status == 200
    box = citizen.get_by_test_id("public-withdrawn")
    assert "已撤销公示" in box.inner_text()
    assert citizen.get_by_test_id("withdrawn-reason").inner_text() == REASON
    assert citizen.get_by_test_id("withdrawn-date").inner_text() == "2024-03-12"
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 390
    citizen.screenshot(path=str(output_dir / "qr-withdrawn-phone.png"), full_page=True)
    phone.close()
