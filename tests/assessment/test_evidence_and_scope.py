"""Evidence files: type from the bytes, size limit, generated names, scoped download; a county never reads
another county's submission or file through the UI, the API or a file URL."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from assessment import services
from assessment.models import Evidence
from tests.assessment.factories import filled_submission, target
from tests.conftest import api_client_for
from tests.images import jpeg_bytes, png_bytes

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = png_bytes()  # real pictures: every uploaded image is decoded and re-encoded
JPG = jpeg_bytes()


def office(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml" if kind == "xlsx" else "word/document.xml", "<x/>")
    return buffer.getvalue()


@pytest.fixture
def sub(county, county_user):
    target(county)
    return filled_submission(county, county_user, evidence=False)


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("验收资料.pdf", PDF, "application/pdf"),
        ("现场照片.png", PNG, "image/png"),
        ("现场照片.JPEG", JPG, "image/jpeg"),
        ("台账.xlsx", office("xlsx"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("报告.docx", office("docx"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
)
def test_allowed_types_are_stored_under_generated_names(sub, county_user, name, content, mime):
    evidence = services.upload_evidence(sub, "A1", SimpleUploadedFile(name, content), user=county_user)
    assert evidence.content_type == mime and evidence.original_name == name
    stored = Path(evidence.file.name).name
    assert name.split(".")[0] not in evidence.file.name and len(stored.split(".")[0]) == 32
    assert sub.audit.filter(kind="file", new_value=name).exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("病毒.exe", b"MZ\x90\x00", "只能上传"),
        ("伪装.pdf", b"MZ\x90\x00not a pdf", "无法识别"),
        ("伪装.png", PDF, "不符"),
        ("压缩包.xlsx", office("docx"), "不符"),
        ("空.pdf", b"", "为空"),
    ],
)
def test_wrong_types_are_refused_from_the_bytes(sub, county_user, name, content, message):
    with pytest.raises(ValidationError) as exc:
        services.upload_evidence(sub, "A1", SimpleUploadedFile(name, content), user=county_user)
    assert message in exc.value.message_dict["file"][0]
    assert not Evidence.objects.exists()


def test_size_limit_comes_from_settings(sub, county_user, settings):
    settings.UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError) as exc:
        services.upload_evidence(sub, "A1", SimpleUploadedFile("大.pdf", PDF + b"0" * 200), user=county_user)
    assert "文件过大" in exc.value.message_dict["file"][0]


def test_uploading_evidence_clears_the_no_evidence_flag(sub, county_user):
    assert sub.item_scores.get(item__code="A1").evidence_missing
    services.upload_evidence(sub, "A1", SimpleUploadedFile("a.pdf", PDF), user=county_user)
    assert not sub.item_scores.get(item__code="A1").evidence_missing


def test_owner_downloads_through_the_scoped_view_colleague_gets_404_everywhere(
    sub, county_user, colleague, client, settings
):
    evidence = services.upload_evidence(sub, "A1", SimpleUploadedFile("a.pdf", PDF), user=county_user)
    client.force_login(county_user)
    response = client.get(f"/assessment/evidence/{evidence.pk}/download/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF

    client.force_login(colleague)
    assert client.get(f"/assessment/evidence/{evidence.pk}/download/").status_code == 404
    assert client.get(f"/assessment/submissions/{sub.pk}/").status_code == 404
    assert client.get(f"/assessment/submissions/{sub.pk}/edit/").status_code == 404
    assert client.post(f"/assessment/submissions/{sub.pk}/preview/", {}).status_code == 404
    # the storage path is not served: media files are reachable only through the scoped view
    assert client.get(f"{settings.MEDIA_URL}{evidence.file.name}").status_code == 404

    api = api_client_for(colleague)
    assert api.get(f"/api/v1/assessment/submissions/{sub.pk}/").status_code == 404
    assert api.get(f"/api/v1/assessment/evidence/{evidence.pk}/").status_code == 404
    assert api.get(f"/api/v1/assessment/evidence/{evidence.pk}/download/").status_code == 404
    assert api.get("/api/v1/assessment/submissions/").json()["count"] == 0
    assert api.get("/api/v1/assessment/evidence/").json()["count"] == 0
    assert api.get("/api/v1/assessment/audit/").json()["count"] == 0
    assert (
        api.patch(f"/api/v1/assessment/submissions/{sub.pk}/", {"prefab_area": "1"}, format="json").status_code == 404
    )
    payload = {"submission": sub.pk, "item": "A1", "file": SimpleUploadedFile("x.pdf", PDF)}
    assert api.post("/api/v1/assessment/evidence/", payload, format="multipart").status_code == 400
    assert Evidence.objects.count() == 1


def test_outsider_and_expert_see_nothing(sub, outsider):
    api = api_client_for(outsider)
    assert api.get("/api/v1/assessment/submissions/").status_code == 403
    assert api.get(f"/api/v1/assessment/submissions/{sub.pk}/").status_code == 403


def test_city_admin_reads_every_county(sub, city_admin):
    assert api_client_for(city_admin).get(f"/api/v1/assessment/submissions/{sub.pk}/").status_code == 200


def test_upload_through_the_web_with_htmx_returns_the_list(sub, county_user, client):
    client.force_login(county_user)
    response = client.post(
        f"/assessment/submissions/{sub.pk}/evidence/",
        {"item": "D1", "file": SimpleUploadedFile("装配式台账.pdf", PDF)},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "装配式台账.pdf" in response.content.decode()
    assert response["HX-Trigger"] == "evidenceChanged"
    bad = client.post(
        f"/assessment/submissions/{sub.pk}/evidence/",
        {"item": "D1", "file": SimpleUploadedFile("x.pdf", b"nope")},
        HTTP_HX_REQUEST="true",
    )
    assert "无法识别" in bad.content.decode()
