"""Evidence photos are stored without EXIF, GPS, XMP or text, on the web and through the API; a decompression bomb
is refused with a Chinese message and nothing is kept; other evidence files are stored as uploaded (issue 22,
point 5)."""

import pytest

from assessment.models import Evidence
from tests.assessment.factories import filled_submission, target
from tests.conftest import api_client_for
from tests.images import assert_clean_image, jpeg_with_exif, media_files, png_bomb, png_with_text, upload

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def sub(county, county_user):
    target(county)
    return filled_submission(county, county_user, evidence=False)


def _web(client, sub, name, content):
    return client.post(
        f"/assessment/submissions/{sub.pk}/evidence/",
        {"item": "A1", "file": upload(name, content)},
        HTTP_HX_REQUEST="true",
    )


def _api(user, sub, name, content):
    payload = {"submission": sub.pk, "item": "A1", "file": upload(name, content)}
    return api_client_for(user).post("/api/v1/assessment/evidence/", payload, format="multipart")


def test_an_evidence_photo_loses_its_metadata_on_the_web(client, sub, county_user):
    client.force_login(county_user)
    assert _web(client, sub, "现场照片.jpg", jpeg_with_exif(size=(80, 40))).status_code == 200
    evidence = Evidence.objects.get()
    with evidence.file.open("rb") as handle:
        assert_clean_image(handle, kind="jpg", size=(40, 80))
    assert evidence.size == evidence.file.size and evidence.original_name == "现场照片.jpg"

    download = client.get(f"/assessment/evidence/{evidence.pk}/download/")
    assert b"Zhang San" not in b"".join(download.streaming_content)


def test_an_evidence_png_loses_its_text_through_the_api(sub, county_user):
    response = _api(county_user, sub, "截图.png", png_with_text((30, 20)))
    assert response.status_code == 201, response.content
    evidence = Evidence.objects.get()
    with evidence.file.open("rb") as handle:
        assert_clean_image(handle, kind="png", size=(30, 20))
    assert response.json()["size"] == evidence.file.size


def test_a_bomb_is_refused_on_the_web_and_through_the_api_and_nothing_is_kept(client, sub, county_user, settings):
    client.force_login(county_user)
    web = _web(client, sub, "巨图.png", png_bomb())
    assert web.status_code == 422 and "图片尺寸过大（30000×30000 像素" in web.content.decode()
    api = _api(county_user, sub, "巨图.png", png_bomb())
    assert api.status_code == 400 and "图片尺寸过大（30000×30000 像素" in api.json()["file"][0]
    assert not Evidence.objects.exists() and media_files(settings) == []


def test_other_evidence_is_stored_byte_for_byte(sub, county_user):
    assert _api(county_user, sub, "验收资料.pdf", PDF).status_code == 201
    with Evidence.objects.get().file.open("rb") as handle:
        assert handle.read() == PDF
