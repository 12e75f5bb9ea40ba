"""The 永久性标志牌: a one-page A3/A4 PDF with embedded CJK font whose QR code decodes to the public page."""

import io
import subprocess

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from disclosure.models import ProjectDisclosure
from tests.disclosure.factories import disclosed_project, signable_project

pytestmark = pytest.mark.django_db

POINTS = {"A4": (595, 842), "A3": (842, 1191)}


def _decode_qr(pdf: bytes, png_path) -> list[str]:
    stem = png_path.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", "110", "-singlefile", "-", str(stem)], input=pdf, check=True)
    image = Image.open(f"{stem}.png")
    return [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


def _fonts(reader) -> set[str]:
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            assert any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts.add(str(font["/BaseFont"]))
    return fonts


@pytest.mark.parametrize("size", ["A4", "A3"])
def test_sign_pdf_qr_decodes_to_the_public_url(client, county, county_user, size, output_dir, settings):
    settings.PUBLIC_BASE_URL = "https://jg.jcszjj.example.cn"
    project = signable_project(county, county_user)
    public_id = ProjectDisclosure.objects.get(project=project).public_id
    client.force_login(county_user)
    response = client.get(reverse("disclosure:sign-pdf", args=[project.pk]), {"size": size})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    (output_dir / f"sign-{size}.pdf").write_bytes(pdf)

    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == POINTS[size]
    assert any("Noto-Sans-CJK-SC" in f for f in _fonts(reader))
    text = reader.pages[0].extract_text().replace(" ", "")
    for expected in (
        "永久性标志牌",
        project.name,
        "高平市城投建设有限公司",
        "王建国",
        "李项目",
        "赵总监",
        "孙勘察",
        "周设计",
    ):
        assert expected in text, expected
    assert "PICC-SECRET-0001" not in text

    url = f"https://jg.jcszjj.example.cn/disclosure/p/{public_id}/"
    assert _decode_qr(pdf, output_dir / f"sign-{size}.png") == [url]


def test_without_a_base_url_the_qr_uses_the_request_host(client, county, county_user, output_dir):
    project = signable_project(county, county_user)
    public_id = ProjectDisclosure.objects.get(project=project).public_id
    client.force_login(county_user)
    pdf = client.get(reverse("disclosure:sign-pdf", args=[project.pk])).content
    assert _decode_qr(pdf, output_dir / "sign.png") == [f"http://testserver/disclosure/p/{public_id}/"]


def test_no_sign_for_an_unpublished_project_or_another_county(client, county, county_user, colleague):
    project = disclosed_project(county, county_user, publish=False)
    client.force_login(county_user)
    assert client.get(reverse("disclosure:sign-pdf", args=[project.pk])).status_code == 302
    published = signable_project(county, county_user, name="另一项目")
    client.force_login(colleague)
    assert client.get(reverse("disclosure:sign-pdf", args=[published.pk])).status_code == 404
