"""The anonymous endpoints: per-IP and per-number rate limits (429 in Chinese), photo limits, honeypot."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaints.models import Complaint, ComplaintPhoto
from disclosure.models import ProjectDisclosure
from tests.complaints.factories import photo
from tests.disclosure.factories import disclosed_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def form(county, county_user):
    project = disclosed_project(county, county_user)
    public_id = ProjectDisclosure.objects.get(project=project).public_id
    return {"project": public_id, "category": "quality", "description": "楼板浇筑后出现多条贯穿裂缝。"}


def test_submissions_per_ip_are_limited(client, form, settings):
    settings.JINGPIN = {**settings.JINGPIN, "COMPLAINT_SUBMIT_PER_IP_PER_HOUR": 2}
    for i in range(2):  # two different complaints (the same one again would only show its receipt)
        data = {**form, "description": f"{form['description']}（第{i + 1}处）"}
        assert client.post(reverse("complaints:public-new"), data).status_code == 302  # → the receipt
    response = client.post(reverse("complaints:public-new"), {**form, "description": "第三处：" + form["description"]})
    assert response.status_code == 429
    assert "提交过于频繁" in response.content.decode()
    assert response["Retry-After"] == "3600"
    assert Complaint.objects.count() == 2
    # another address is not affected
    assert client.post(reverse("complaints:public-new"), form, REMOTE_ADDR="10.0.0.9").status_code == 302


def test_status_checks_per_ip_are_limited(client, settings):
    settings.JINGPIN = {**settings.JINGPIN, "COMPLAINT_STATUS_PER_IP_PER_HOUR": 3}
    for i in range(3):
        data = {"tracking_no": f"TS2024010100000{i}", "secret": "x"}
        assert client.post(reverse("complaints:public-status"), data).status_code == 400
    response = client.post(reverse("complaints:public-status"), {"tracking_no": "TS20240101000009", "secret": "x"})
    assert response.status_code == 429 and "查询过于频繁" in response.content.decode()


def test_a_stranger_guessing_a_number_locks_out_only_themselves_not_the_complainant(client, form, settings):
    settings.JINGPIN = {**settings.JINGPIN, "COMPLAINT_STATUS_FAILURES_PER_NUMBER_PER_HOUR": 5}
    receipt = client.post(reverse("complaints:public-new"), form, REMOTE_ADDR="10.2.0.1", follow=True)
    number, secret = receipt.context["complaint"].tracking_no, receipt.context["secret"]
    url = reverse("complaints:public-status")
    stranger = [
        client.post(url, {"tracking_no": number, "secret": f"guess{i}"}, REMOTE_ADDR="10.1.0.1").status_code
        for i in range(7)
    ]
    assert stranger == [400] * 5 + [429] * 2
    limited = client.post(url, {"tracking_no": number, "secret": secret}, REMOTE_ADDR="10.1.0.1")
    assert limited.status_code == 429 and "查询码输错次数过多" in limited.content.decode()
    # The complainant, from their own address, still reads the progress.
    mine = client.post(url, {"tracking_no": number, "secret": secret}, REMOTE_ADDR="10.2.0.1")
    assert mine.status_code == 200 and 'data-testid="status-result"' in mine.content.decode()


def test_guessing_across_numbers_from_one_address_is_still_limited(client, settings):
    settings.JINGPIN = {**settings.JINGPIN, "COMPLAINT_STATUS_PER_IP_PER_HOUR": 8}
    url = reverse("complaints:public-status")
    codes = [
        client.post(url, {"tracking_no": f"TS2024010100{i:04d}", "secret": "x"}, REMOTE_ADDR="10.1.0.1").status_code
        for i in range(10)
    ]
    assert codes == [400] * 8 + [429] * 2
    assert (
        client.post(url, {"tracking_no": "TS20240101009999", "secret": "x"}, REMOTE_ADDR="10.1.0.2").status_code == 400
    )


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("a.pdf", b"%PDF-1.4 fake", content_type="application/pdf"), "只能上传 JPG 或 PNG"),
        (SimpleUploadedFile("a.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg"), "只能上传 JPG 或 PNG"),
        (SimpleUploadedFile("a.png", photo().read(), content_type="image/png"), "不符"),
    ],
)
def test_only_real_jpg_or_png_photos(client, form, upload, message):
    response = client.post(reverse("complaints:public-new"), {**form, "photos": [upload]})
    assert response.status_code == 400 and message in response.content.decode()
    assert not Complaint.objects.exists() and not ComplaintPhoto.objects.exists()


def test_photo_size_and_count_limits(client, form, settings):
    settings.JINGPIN = {**settings.JINGPIN, "COMPLAINT_PHOTO_MAX_BYTES": 2000}
    big = photo(size=(800, 600))
    response = client.post(reverse("complaints:public-new"), {**form, "photos": [big]})
    assert response.status_code == 400 and "文件过大" in response.content.decode()
    settings.JINGPIN = {**settings.JINGPIN, "COMPLAINT_PHOTO_MAX_BYTES": 5 * 1024 * 1024}
    response = client.post(reverse("complaints:public-new"), {**form, "photos": [photo() for _ in range(4)]})
    assert response.status_code == 400 and "最多上传3张照片" in response.content.decode()
    assert not Complaint.objects.exists()


def test_the_honeypot_stops_bots(client, form):
    response = client.post(reverse("complaints:public-new"), {**form, "website": "http://spam.example"})
    assert response.status_code == 400 and "提交失败" in response.content.decode()
    assert not Complaint.objects.exists()
