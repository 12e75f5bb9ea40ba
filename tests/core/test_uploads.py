"""Every upload names its limits and refuses files with the same words: one helper (core/uploads.py) for the evidence,
inspection attachments, complaint photos and the Excel import, whose help texts follow the settings."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import check_upload, help_text, human_size, kinds_label
from tests.images import png_bytes


@pytest.mark.parametrize(
    ("size", "text"),
    [(100, "1 KB"), (300 * 1024, "300 KB"), (5 * 1024 * 1024, "5 MB"), (int(1.5 * 1024 * 1024), "1.5 MB")],
)
def test_sizes_are_written_one_way(size, text):
    assert human_size(size) == text


def test_the_size_message_says_both_sizes_in_the_same_units():
    error, _ = check_upload(SimpleUploadedFile("a.png", png_bytes()), 100)
    assert error == f"文件过大：{human_size(len(png_bytes()))}，上限 1 KB。"


def test_the_type_messages_name_the_accepted_types():
    assert check_upload(SimpleUploadedFile("a.gif", b"GIF89a"), 1024)[0] == f"只能上传 {kinds_label()} 文件。"
    assert kinds_label() == "PDF、JPG、PNG、XLSX、DOCX"


def test_evidence_and_inspection_forms_name_the_checked_types_and_limit(settings):
    from assessment.forms import EvidenceForm
    from inspections.forms import FILE_HELP

    expected = help_text(settings.UPLOAD_MAX_BYTES)
    assert expected == "PDF、JPG、PNG、XLSX、DOCX，单个不超过10 MB"
    assert EvidenceForm().fields["file"].help_text == expected and expected in FILE_HELP


@pytest.mark.django_db
def test_the_complaint_forms_photo_help_follows_the_settings(settings):
    from complaints.forms import PublicComplaintForm

    settings.JINGPIN = {**settings.JINGPIN, "COMPLAINT_MAX_PHOTOS": 2, "COMPLAINT_PHOTO_MAX_BYTES": 3 * 1024 * 1024}
    assert PublicComplaintForm().fields["photos"].help_text == "可选，最多2张，JPG 或 PNG，每张不超过3 MB。"
