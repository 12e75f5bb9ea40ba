"""The printed 整改通知单 and 停工整改通知书: A4, numbered, the finding, deadline, legal basis, receipt lines, a QR code
to the notice; only for those who issue it (no other county's documents)."""

from __future__ import annotations

import datetime as dt
import io
import subprocess

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from inspections import services
from tests.disclosure.test_sign_pdf import _fonts

A4 = (595, 842)


def _render(client, user, notice):
    client.force_login(user)
    return client.get(reverse("inspections:notice-pdf", args=[notice.pk]))


def _qr(pdf: bytes, png_path) -> list[str]:
    stem = png_path.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", "-", str(stem)], input=pdf, check=True)
    return [r.text for r in zxingcpp.read_barcodes(Image.open(f"{stem}.png"))]


def _add(inspection, user, severity):
    return services.add_finding(
        inspection,
        user=user,
        description="二层楼板钢筋保护层厚度不足",
        severity=severity,
        responsible_role="contractor",
        deadline=dt.date(2024, 3, 20),
    ).notice


@pytest.mark.parametrize(
    "severity,title,basis_key",
    [("serious", "整改通知单", "NOTICE_LEGAL_BASIS"), ("major", "停工整改通知书", "STOP_WORK_LEGAL_BASIS")],
)
def test_the_printed_notice_carries_number_finding_deadline_basis_receipt_and_a_qr_to_the_notice(
    inspection, county_user, contractor, client, settings, output_dir, severity, title, basis_key
):
    settings.PUBLIC_BASE_URL = "https://jg.jcszjj.example.cn"
    settings.JINGPIN = {**settings.JINGPIN, basis_key: "依据《建设工程质量管理条例》第四十四条（测试配置）"}
    notice = _add(inspection, county_user, severity)
    response = _render(client, county_user, notice)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    (output_dir / f"{severity}.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == A4
    assert any("CJK" in f for f in _fonts(reader))
    text = reader.pages[0].extract_text().replace(" ", "").replace("\n", "")
    for expected in (
        title,
        f"编号：{notice.number}",
        "高平市住房和城乡建设局",  # the plan is the county's: the county bureau issues it
        "晋城建工集团",
        "二层楼板钢筋保护层厚度不足",
        "2024年3月20日",
        "依据《建设工程质量管理条例》第四十四条（测试配置）",
        "签收人：",
        "签收日期：",
        "检查人员（签名）",
    ):
        assert expected in text, expected
    assert ("立即停止" in text) is (severity == "major")
    url = f"https://jg.jcszjj.example.cn/inspections/notices/{notice.pk}/"
    assert _qr(pdf, output_dir / f"{severity}.png") == [url]


def test_only_those_who_issue_the_notice_print_it(inspection, county_user, colleague, outsider, contractor, client):
    from tests.factories import UserFactory

    notice = _add(inspection, county_user, "minor")
    unit = UserFactory(role="unit_user", enterprise=contractor, username="unit-reader")
    assert _render(client, colleague, notice).status_code == 404  # another county's notice does not exist for it
    assert _render(client, outsider, notice).status_code == 404
    assert _render(client, unit, notice).status_code == 403  # the unit reads it online; the bureau prints
    page = client.get(reverse("inspections:notice-detail", args=[notice.pk])).content.decode()
    assert "打印整改通知单" not in page
    client.force_login(county_user)
    page = client.get(reverse("inspections:notice-detail", args=[notice.pk])).content.decode()
    assert reverse("inspections:notice-pdf", args=[notice.pk]) in page
