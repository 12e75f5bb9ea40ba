"""A complainant's photos are stored (and shown to staff) without the place they were taken or who took them; a
decompression bomb is refused with a Chinese message and nothing is kept (issue 22, point 5)."""

import pytest
from django.urls import reverse

from complaints.models import Complaint, ComplaintPhoto
from disclosure.models import ProjectDisclosure
from tests.disclosure.factories import disclosed_project
from tests.images import assert_clean_image, jpeg_with_exif, media_files, png_bomb, png_with_text, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(county, county_user):
    return ProjectDisclosure.objects.get(project=disclosed_project(county, county_user))


def _form(published, photos):
    return {
        "project": published.public_id,
        "category": "quality",
        "description": "外墙保温层大面积空鼓，部分已脱落。",
        "photos": photos,
    }


def test_photos_filed_through_the_public_form_lose_gps_owner_and_text(client, published, city_admin):
    photos = [upload("IMG_0001.jpg", jpeg_with_exif(size=(80, 40))), upload("截图.png", png_with_text((30, 20)))]
    response = client.post(reverse("complaints:public-new"), _form(published, photos), follow=True)
    assert response.status_code == 200
    jpeg, png = ComplaintPhoto.objects.order_by("content_type")  # image/jpeg, image/png
    with jpeg.file.open("rb") as handle:
        assert_clean_image(handle, kind="jpg", size=(40, 80))
    with png.file.open("rb") as handle:
        assert_clean_image(handle, kind="png", size=(30, 20))
    assert jpeg.size == jpeg.file.size and jpeg.file.name.endswith(".jpg")

    client.force_login(city_admin)  # what staff are served is the cleaned file
    served = client.get(reverse("complaints:photo", args=[jpeg.pk]))
    assert served.status_code == 200
    body = b"".join(served.streaming_content)
    assert b"Zhang San" not in body and body[:3] == b"\xff\xd8\xff"


def test_a_png_bomb_is_refused_with_a_chinese_400_and_nothing_is_kept(client, published, settings):
    response = client.post(reverse("complaints:public-new"), _form(published, [upload("现场.png", png_bomb())]))
    assert response.status_code == 400
    assert "图片尺寸过大（30000×30000 像素" in response.content.decode()
    assert not Complaint.objects.exists() and not ComplaintPhoto.objects.exists()
    assert media_files(settings) == []


def test_a_corrupt_photo_is_refused_with_a_chinese_400(client, published, settings):
    response = client.post(
        reverse("complaints:public-new"), _form(published, [upload("现场.jpg", jpeg_with_exif()[:300])])
    )
    assert response.status_code == 400 and "图片文件已损坏或不完整" in response.content.decode()
    assert not Complaint.objects.exists() and media_files(settings) == []


def test_the_original_bytes_are_kept_nowhere_not_even_in_an_upload_temp_file(client, published, settings, tmp_path):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # every upload goes through a temporary file
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    (tmp_path / "uploads").mkdir()
    original = jpeg_with_exif(size=(80, 40))
    response = client.post(
        reverse("complaints:public-new"), _form(published, [upload("IMG.jpg", original)]), follow=True
    )
    assert response.status_code == 200 and ComplaintPhoto.objects.count() == 1
    assert list((tmp_path / "uploads").iterdir()) == []
    stored = [(settings.MEDIA_ROOT / name).read_bytes() for name in media_files(settings)]
    assert len(stored) == 1 and stored[0] != original and b"Zhang San" not in stored[0]
