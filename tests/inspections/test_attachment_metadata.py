"""Inspection photos (a finding's, an answer's) are stored without EXIF, GPS, XMP or text, on the web and through
the API; a decompression bomb is refused with a Chinese 400 and nothing is kept (issue 22, point 5)."""

from __future__ import annotations

import pytest

from inspections.models import Attachment, Finding, RectificationNotice
from tests.conftest import api_client_for
from tests.images import assert_clean_image, jpeg_with_exif, media_files, png_bomb, png_with_text, upload

FINDING = {
    "description": "二层楼板钢筋保护层厚度不足",
    "severity": "serious",
    "responsible_role": "contractor",
    "deadline": "2024-03-20",
}


def _finding(client, inspection, files):
    return client.post(f"/inspections/inspections/{inspection.pk}/findings/", {**FINDING, "files": files})


def _assert_clean(attachment, kind, size):
    with attachment.file.open("rb") as handle:
        assert_clean_image(handle, kind=kind, size=size)
    assert attachment.size == attachment.file.size


def test_a_findings_photos_lose_their_metadata_on_the_web(client, inspection, county_user):
    client.force_login(county_user)
    files = [upload("现场.jpg", jpeg_with_exif(size=(80, 40))), upload("标注.png", png_with_text((30, 20)))]
    assert _finding(client, inspection, files).status_code == 302
    jpeg = Attachment.objects.get(content_type="image/jpeg")
    png = Attachment.objects.get(content_type="image/png")
    _assert_clean(jpeg, "jpg", (40, 80))
    _assert_clean(png, "png", (30, 20))
    assert jpeg.original_name == "现场.jpg"


def test_a_bomb_among_a_findings_photos_is_refused_and_nothing_is_kept(client, inspection, county_user, settings):
    client.force_login(county_user)
    files = [upload("现场.jpg", jpeg_with_exif()), upload("巨图.png", png_bomb())]
    response = _finding(client, inspection, files)
    assert response.status_code == 400
    assert "巨图.png：图片尺寸过大（30000×30000 像素" in response.content.decode()
    assert not Finding.objects.exists() and not Attachment.objects.exists()
    assert media_files(settings) == []


@pytest.fixture
def notice(client, inspection, county_user):
    client.force_login(county_user)
    _finding(client, inspection, [])
    return RectificationNotice.objects.get()


def test_an_answers_photos_lose_their_metadata_on_the_web_and_through_the_api(client, notice, unit_user):
    client.force_login(unit_user)
    files = [upload("整改后.jpg", jpeg_with_exif(size=(80, 40)))]
    response = client.post(f"/inspections/notices/{notice.pk}/answer/", {"answer": "已返工", "files": files})
    assert response.status_code == 302
    _assert_clean(Attachment.objects.get(), "jpg", (40, 80))

    api = api_client_for(unit_user)
    files = [upload("复查.png", png_with_text((30, 20)))]
    answer = api.post(
        f"/api/v1/rectification-notices/{notice.pk}/answer/", {"answer": "再次整改", "files": files}, format="multipart"
    )
    assert answer.status_code == 200, answer.content
    _assert_clean(Attachment.objects.get(content_type="image/png"), "png", (30, 20))


def test_a_bomb_answer_is_refused_on_the_web_and_through_the_api(client, notice, unit_user, settings):
    client.force_login(unit_user)
    before = media_files(settings)
    response = client.post(
        f"/inspections/notices/{notice.pk}/answer/", {"answer": "已返工", "files": [upload("a.png", png_bomb())]}
    )
    assert response.status_code == 400 and "图片尺寸过大（30000×30000 像素" in response.content.decode()
    api = api_client_for(unit_user)
    answer = api.post(
        f"/api/v1/rectification-notices/{notice.pk}/answer/",
        {"answer": "已整改", "files": [upload("a.png", png_bomb())]},
        format="multipart",
    )
    assert answer.status_code == 400 and "图片尺寸过大（30000×30000 像素" in answer.content.decode()
    assert not Attachment.objects.exists() and media_files(settings) == before
    notice.refresh_from_db()
    assert notice.status == "issued"
