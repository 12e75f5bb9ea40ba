"""A complaint's printed 受理告知书 and 办结答复书: numbered from the tracking number, A4, receipt lines, a QR code to
the public progress page, no complainant name, only within the complaint's scope."""

from __future__ import annotations

import datetime as dt
import io
import subprocess

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from complaints import services
from tests.conftest import at
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    return reader.pages[0].extract_text().replace(" ", "").replace("\n", "")


def _phone_complaint(county, user):
    complaint, _ = services.enter_complaint(
        user=user,
        channel="phone",
        received_on=dt.date(2030, 10, 8),
        category="quality",
        description="住宅楼外墙瓷砖脱落。",
        county=county,
        address="凤台街12号",
        name="王秘密",
        phone="13900009999",
    )
    return complaint


def test_the_acceptance_notice_and_the_reply_are_numbered_printed_and_carry_a_qr_to_the_status_page(
    county, county_user, client, clock, settings, output_dir
):
    settings.PUBLIC_BASE_URL = "https://jg.jcszjj.example.cn"
    clock.move_to(at(2030, 10, 8, 9))
    complaint = _phone_complaint(county, county_user)
    client.force_login(county_user)
    url = reverse("complaints:pdf", args=[complaint.pk, "accept"])
    early = client.get(url)
    assert early.status_code == 302  # not accepted yet: back to the complaint with the reason
    services.accept(complaint, user=county_user)
    complaint.refresh_from_db()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    (output_dir / "accept.pdf").write_bytes(response.content)
    text = _text(response.content)
    for expected in (
        "受理告知书",
        f"编号：SL-{complaint.tracking_no}",
        "高平市住房和城乡建设局",
        "电话",
        "2030年10月8日",
        complaint.close_due.strftime("%Y年%-m月%-d日"),
        "签收人：",
        "签收日期：",
    ):
        assert expected in text, expected
    assert "王秘密" not in text and "13900009999" not in text
    stem = output_dir / "accept"
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", "-", str(stem)], input=response.content, check=True)
    decoded = [r.text for r in zxingcpp.read_barcodes(Image.open(f"{stem}.png"))]
    assert decoded == ["https://jg.jcszjj.example.cn/complaints/status/"]

    services.start_investigation(complaint, user=county_user)
    unit = EnterpriseFactory(name="凤台物业服务有限公司")
    services.close(
        complaint,
        user=county_user,
        findings="属实。",
        reply="经核查属实，已责令物业单位限期修复。",
        substantiated="yes",
        responsible_enterprise=unit,
    )
    reply = client.get(reverse("complaints:pdf", args=[complaint.pk, "reply"]))
    text = _text(reply.content)
    assert f"编号：DF-{complaint.tracking_no}" in text and "已责令物业单位限期修复" in text and "办结答复书" in text
    assert unit.name not in text  # the responsible unit is the bureau's finding, not part of the reply


def test_another_county_cannot_print_the_documents(county, county_user, colleague, client, clock):
    clock.move_to(at(2030, 10, 8, 9))
    complaint = _phone_complaint(county, county_user)
    services.accept(complaint, user=county_user)
    client.force_login(colleague)
    assert client.get(reverse("complaints:pdf", args=[complaint.pk, "accept"])).status_code == 404
    client.force_login(county_user)
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert reverse("complaints:pdf", args=[complaint.pk, "accept"]) in page
