"""Enterprise self-registration (issue 23): a public application, decided by the company's county; on approval the
applicant becomes the enterprise's administrator; duplicate credit codes are refused."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import Enterprise, EnterpriseRegistration, PasswordLink, SecurityEvent, User
from accounts.seed import make_credit_code
from tests.factories import CountyFactory, EnterpriseFactory, UserFactory

CODE = make_credit_code(5150)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def counties(db):
    return CountyFactory(name="阳城县"), CountyFactory(name="沁水县")


def licence(kind="pdf"):
    if kind == "pdf":
        return SimpleUploadedFile("执照.pdf", PDF, content_type="application/pdf")
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "JPEG")
    return SimpleUploadedFile("执照.jpg", buffer.getvalue(), content_type="image/jpeg")


def application(county, **overrides):
    data = {
        "credit_code": CODE,
        "name": "阳城县太岳建筑有限公司",
        "county": county.pk,
        "kinds": ["contractor"],
        "contact_name": "王经理",
        "contact_phone": "13800000000",
        "contact_email": "wang@taiyue.example.cn",
        "username": "",
        "licence": licence(),
        "website": "",
    }
    data.update(overrides)
    return data


def submit(client, county, **overrides):
    return client.post("/accounts/register/", application(county, **overrides))


def test_a_company_applies_and_gets_a_receipt_once(client, counties):
    response = submit(client, counties[0])
    assert response.status_code == 302 and response["Location"] == "/accounts/register/receipt/"
    receipt = client.get(response["Location"])
    assert receipt["Cache-Control"] == "no-store"
    registration = EnterpriseRegistration.objects.get()
    assert registration.number in receipt.content.decode()
    assert registration.status == "pending" and registration.county == counties[0]
    assert registration.licence.read().startswith(b"%PDF")
    # reloading the receipt neither shows the secret again nor files twice
    assert client.get("/accounts/register/receipt/").status_code == 302
    assert EnterpriseRegistration.objects.count() == 1
    assert SecurityEvent.objects.filter(kind="registration_submitted").count() == 1


def test_a_scanned_image_is_re_encoded_and_other_files_refused(client, counties):
    assert submit(client, counties[0], licence=licence("jpg")).status_code == 302
    stored = EnterpriseRegistration.objects.get()
    assert stored.licence_type == "image/jpeg"
    bad = SimpleUploadedFile("执照.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = submit(client, counties[1], credit_code=make_credit_code(5151), name="别家", licence=bad)
    assert response.status_code == 400 and EnterpriseRegistration.objects.count() == 1


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("registered", "该统一社会信用代码的单位已经登记"),
        ("pending", "该统一社会信用代码已有一份待审核的注册申请"),
        ("check_digit", "统一社会信用代码校验位错误"),
    ],
)
def test_duplicate_or_invalid_credit_codes_are_refused(client, counties, case, message):
    code = CODE
    if case == "registered":
        EnterpriseFactory(credit_code=CODE)
    elif case == "pending":
        assert submit(client, counties[0]).status_code == 302
    else:
        code = CODE[:17] + ("0" if CODE[17] != "0" else "1")
    response = submit(client, counties[1], credit_code=code, name="另一个名字")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert EnterpriseRegistration.objects.count() == (1 if case == "pending" else 0)


def test_the_honeypot_and_the_rate_limit(client, counties, settings):
    assert submit(client, counties[0], website="http://spam").status_code == 400
    assert not EnterpriseRegistration.objects.exists()
    settings.JINGPIN = {**settings.JINGPIN, "REGISTRATION_PER_IP_PER_HOUR": 2}
    from django.core.cache import cache

    cache.clear()
    for _ in range(2):
        submit(client, counties[0], credit_code="bad")
    assert submit(client, counties[0]).status_code == 429
    assert not EnterpriseRegistration.objects.exists()


def test_the_county_approves_and_the_applicant_becomes_the_enterprise_administrator(
    client, counties, mailoutbox, django_capture_on_commit_callbacks
):
    submit(client, counties[0], username="taiyue_admin")
    registration = EnterpriseRegistration.objects.get()
    other = UserFactory(username="qinshui", role="county_staff", region=counties[1])
    own = UserFactory(username="yangcheng", role="county_staff", region=counties[0])
    client.force_login(other)
    assert client.post(f"/accounts/registrations/{registration.pk}/approve/").status_code == 404  # not its county
    client.force_login(own)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/accounts/registrations/{registration.pk}/approve/")
    assert response.status_code == 302
    enterprise = Enterprise.objects.get(credit_code=CODE)
    assert enterprise.region == counties[0] and {k.code for k in enterprise.kinds.all()} == {"contractor"}
    admin = User.objects.get(username="taiyue_admin")
    assert (admin.role, admin.enterprise, admin.is_enterprise_admin) == ("unit_user", enterprise, True)
    assert not admin.has_usable_password() and PasswordLink.objects.filter(user=admin).count() == 1
    assert mailoutbox[-1].to == ["wang@taiyue.example.cn"] and "/accounts/set-password/" in mailoutbox[-1].body
    handover = client.get(response["Location"])
    assert "/accounts/set-password/" in handover.content.decode()
    registration.refresh_from_db()
    assert (registration.status, registration.decided_by, registration.admin_user) == ("approved", own, admin)
    # decided once
    assert client.post(f"/accounts/registrations/{registration.pk}/approve/").status_code == 302
    assert Enterprise.objects.filter(credit_code=CODE).count() == 1
    assert SecurityEvent.objects.filter(kind="registration_approved", actor=own).count() == 1


def test_the_county_refuses_with_a_reason_the_applicant_reads(
    client, counties, mailoutbox, django_capture_on_commit_callbacks
):
    response = submit(client, counties[0])
    receipt = client.get(response["Location"]).context
    number, secret = receipt["registration"].number, receipt["secret"]
    registration = EnterpriseRegistration.objects.get()
    own = UserFactory(username="yangcheng", role="county_staff", region=counties[0])
    client.force_login(own)
    empty = client.post(f"/accounts/registrations/{registration.pk}/refuse/", {"reason": " "})
    assert empty.status_code == 302
    registration.refresh_from_db()
    assert registration.status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/accounts/registrations/{registration.pk}/refuse/", {"reason": "营业执照扫描件不清晰"})
    registration.refresh_from_db()
    assert registration.status == "refused" and not Enterprise.objects.exists()
    assert "营业执照扫描件不清晰" in mailoutbox[-1].body
    client.logout()
    wrong = client.post("/accounts/register/status/", {"number": number, "secret": "guess"})
    assert wrong.status_code == 400 and "申请编号或查询码不正确" in wrong.content.decode()
    status = client.post("/accounts/register/status/", {"number": number, "secret": secret})
    assert status.status_code == 200
    assert "已驳回" in status.content.decode() and "营业执照扫描件不清晰" in status.content.decode()
    # a refused application does not block a new one with the same code
    assert submit(client, counties[0]).status_code == 302


def test_the_licence_is_shown_to_the_deciding_county_only(client, counties):
    submit(client, counties[0])
    registration = EnterpriseRegistration.objects.get()
    client.force_login(UserFactory(username="qinshui", role="county_staff", region=counties[1]))
    assert client.get(f"/accounts/registrations/{registration.pk}/licence/").status_code == 404
    client.force_login(UserFactory(username="yangcheng", role="county_staff", region=counties[0]))
    response = client.get(f"/accounts/registrations/{registration.pk}/licence/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_dashboard_counts_the_countys_pending_applications(client, counties):
    submit(client, counties[0])
    client.force_login(UserFactory(username="yangcheng", role="county_staff", region=counties[0]))
    own = client.get("/").content.decode()
    assert 'data-testid="pending-registrations">1<' in own
    client.force_login(UserFactory(username="qinshui", role="county_staff", region=counties[1]))
    assert 'data-testid="pending-registrations">0<' in client.get("/").content.decode()
