"""Uploaded images are re-encoded without metadata, upright, and refused from the header when they declare too many
pixels (issue 22, point 5): the rule in core/images.py and core/uploads.py, and the command for stored images."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image, ImageCms, ImageFile

from core import images
from core.uploads import prepare_upload
from tests.images import (
    ARTIST,
    assert_clean_image,
    jpeg_bytes,
    jpeg_with_exif,
    png_bomb,
    png_bytes,
    png_with_text,
)

MAX = 10 * 1024 * 1024


def test_a_phone_photo_loses_gps_owner_xmp_and_comment_and_is_stored_upright():
    original = jpeg_with_exif(size=(80, 40), orientation=6)
    with Image.open(io.BytesIO(original)) as image:  # the sample does carry what must go
        assert image.getexif().get_ifd(0x8825) and image.getexif()[0x013B] == ARTIST
    cleaned = images.sanitize_image(SimpleUploadedFile("现场.jpg", original), "jpg")
    assert_clean_image(cleaned, kind="jpg", size=(40, 80))  # turned as the orientation said, then dropped
    with Image.open(cleaned) as image:
        top, bottom = image.getpixel((20, 5)), image.getpixel((20, 75))
    # orientation 6 turns the picture 90° clockwise: its blue left half becomes the top half
    assert top[2] > 150 > top[0] and bottom[0] > 150 > bottom[2]


def test_a_png_loses_its_text_chunks_xmp_and_exif_and_keeps_its_pixels_and_alpha():
    original = png_with_text(size=(30, 20))
    with Image.open(io.BytesIO(original)) as image:
        assert image.text and "xmp" in image.info and image.getexif()
    cleaned = images.sanitize_image(SimpleUploadedFile("图.png", original), "png")
    assert_clean_image(cleaned, kind="png", size=(30, 20))
    with Image.open(cleaned) as image:
        assert image.mode == "RGBA" and image.getpixel((3, 3)) == (10, 200, 10, 128)


def test_a_palette_png_keeps_its_transparent_colour():
    buffer = io.BytesIO()
    image = Image.new("P", (8, 8), 1)
    image.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    image.save(buffer, "PNG", transparency=1)
    cleaned = images.sanitize_image(SimpleUploadedFile("p.png", buffer.getvalue()), "png")
    with Image.open(cleaned) as result:
        assert result.info.get("transparency") == 1


@pytest.mark.parametrize("mode", ["RGB", "RGBA"])
def test_an_embedded_colour_profile_is_applied_then_dropped(mode):
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    Image.new(mode, (10, 10), (120, 60, 30, 255)[: len(mode)]).save(buffer, "PNG", icc_profile=profile)
    cleaned = images.sanitize_image(SimpleUploadedFile("p.png", buffer.getvalue()), "png")
    with Image.open(cleaned) as result:
        assert "icc_profile" not in result.info and result.mode == mode
        assert all(abs(a - b) <= 2 for a, b in zip(result.getpixel((5, 5)), (120, 60, 30, 255), strict=False))


def test_a_broken_exif_block_is_a_corrupt_image_not_a_server_error(monkeypatch):
    def broken(image, **kwargs):
        raise KeyError("a malformed IFD")

    monkeypatch.setattr(images.ImageOps, "exif_transpose", broken)
    with pytest.raises(images.ImageRejected) as exc:
        images.sanitize_image(SimpleUploadedFile("a.jpg", jpeg_with_exif()), "jpg")
    assert exc.value.message == images.CORRUPT_MESSAGE


def test_the_30000_square_png_bomb_is_refused_from_its_header_without_decoding(monkeypatch):
    bomb = png_bomb()
    assert len(bomb) < 120 * 1024  # the 109 KB file

    def no_decoding(self, *args, **kwargs):
        raise AssertionError("the pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    with pytest.raises(images.ImageRejected) as exc:
        images.sanitize_image(SimpleUploadedFile("bomb.png", bomb), "png")
    assert exc.value.message.startswith("图片尺寸过大（30000×30000 像素")
    assert "请压缩后重新上传" in exc.value.message


def test_the_pixel_limit_is_a_setting(settings):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 64 * 48 - 1
    error, checked = prepare_upload(SimpleUploadedFile("a.png", png_bytes(size=(64, 48))), MAX)
    assert checked is None and error.startswith("图片尺寸过大（64×48 像素")
    settings.UPLOAD_MAX_IMAGE_PIXELS = 64 * 48
    error, checked = prepare_upload(SimpleUploadedFile("a.png", png_bytes(size=(64, 48))), MAX)
    assert error is None and checked.size > 0


def test_pillow_guards_at_the_same_limit_once_the_app_has_started(settings):
    assert Image.MAX_IMAGE_PIXELS == settings.UPLOAD_MAX_IMAGE_PIXELS == 40_000_000


def test_pillows_own_bomb_guard_is_turned_into_the_same_refusal(monkeypatch, settings):
    """Should the header reader let an image through, Pillow's own check (warning as error) still refuses it."""
    monkeypatch.setattr(images, "check_pixels", lambda fileobj, kind: (0, 0))
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(images.ImageRejected) as exc:
        images.sanitize_image(SimpleUploadedFile("a.png", png_bytes(size=(64, 48))), "png")
    assert exc.value.message.startswith("图片尺寸过大")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("断.png", png_bytes()[:40]),  # cut inside the pixel data
        ("断.jpg", jpeg_bytes()[:200]),
        ("头.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),  # the magic number and nothing of a picture
        ("头.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 32),
    ],
)
def test_a_corrupt_image_is_refused_with_a_chinese_message(name, content):
    error, checked = prepare_upload(SimpleUploadedFile(name, content), MAX)
    assert checked is None and error == images.CORRUPT_MESSAGE


def test_other_files_are_stored_as_uploaded():
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    uploaded = SimpleUploadedFile("验收资料.pdf", pdf)
    error, checked = prepare_upload(uploaded, MAX)
    assert error is None and checked.content is uploaded and checked.size == len(pdf)
    assert checked.original_name == "验收资料.pdf" and checked.content_type == "application/pdf"


def test_an_accepted_image_is_stored_from_the_new_bytes_only():
    original = jpeg_with_exif()
    error, checked = prepare_upload(SimpleUploadedFile("现场.JPEG", original), MAX)
    assert error is None and checked.kind == "jpg" and checked.content.name == "upload.jpg"
    checked.content.seek(0)
    data = checked.content.read()
    assert data != original and checked.size == len(data) and b"Zhang San" not in data


# --- images stored before this change -----------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_command_strips_stored_images_in_place_once_and_reports_counts(county, county_user, capsys):
    from django.core.files.base import ContentFile

    from assessment.models import Evidence
    from tests.assessment.factories import filled_submission, target

    target(county)
    sub = filled_submission(county, county_user)
    item = sub.rubric.items.get(code="A1")

    def stored(name, content, content_type):
        return Evidence.objects.create(
            submission=sub,
            item=item,
            file=ContentFile(content, name=name),
            original_name=name,
            content_type=content_type,
            size=len(content),
        )

    photo = stored("a.jpg", jpeg_with_exif(size=(80, 40)), "image/jpeg")
    text = stored("b.png", png_with_text(), "image/png")
    plain = stored("c.png", png_bytes(), "image/png")
    pdf = stored("d.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    bomb = stored("e.png", png_bomb(), "image/png")
    gone = stored("f.jpg", jpeg_bytes(), "image/jpeg")
    gone.file.storage.delete(gone.file.name)
    before = {e.pk: (e.file.name, e.file.storage.open(e.file.name).read()) for e in (plain, pdf, bomb)}

    call_command("strip_image_metadata")
    out = capsys.readouterr()
    assert "印证材料：共 5 张，已去除元数据 2 张，本无元数据 1 张，文件缺失 1 张，无法处理 1 张" in out.out
    assert f"#{bomb.pk}" in out.err and f"#{gone.pk}" in out.err
    photo.refresh_from_db()
    text.refresh_from_db()
    with photo.file.open("rb") as handle:
        assert_clean_image(handle, kind="jpg", size=(40, 80))
        assert photo.size == photo.file.size
    with text.file.open("rb") as handle:
        assert_clean_image(handle, kind="png", size=(30, 20))
    for record in (plain, pdf, bomb):  # untouched
        record.refresh_from_db()
        assert (record.file.name, record.file.storage.open(record.file.name).read()) == before[record.pk]

    cleaned = {e.pk: e.file.storage.open(e.file.name).read() for e in (photo, text)}
    call_command("strip_image_metadata")  # again: nothing left to do, nothing re-encoded twice
    assert "已去除元数据 0 张，本无元数据 3 张" in capsys.readouterr().out
    assert {e.pk: e.file.storage.open(e.file.name).read() for e in (photo, text)} == cleaned


@pytest.mark.django_db
def test_the_command_in_dry_run_changes_nothing(county, county_user, capsys):
    from complaints.models import ComplaintPhoto
    from tests.complaints.factories import file_complaint

    complaint, _ = file_complaint(county)
    photo = ComplaintPhoto.objects.create(
        complaint=complaint,
        file=SimpleUploadedFile("a.jpg", jpeg_with_exif()),
        content_type="image/jpeg",
        size=1,
    )
    original = photo.file.storage.open(photo.file.name).read()
    call_command("strip_image_metadata", "--dry-run")
    assert "投诉照片：共 1 张，已去除元数据 1 张" in capsys.readouterr().out
    assert photo.file.storage.open(photo.file.name).read() == original
