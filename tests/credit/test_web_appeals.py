"""信用修复 through the web: the enterprise appeals one of its bad entries in force with reasons and documents; the
entry's county withdraws or keeps it with reasons; the decision is on the entry row and the appeal page, for the
enterprise too. Every POST redirects; bad input changes nothing; a colleague county can neither see nor decide."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from credit.models import AppealDocument, CreditAppeal, CreditEntry, CreditStanding
from notifications.models import Notification, Todo
from tests.credit.factories import add_entry
from tests.factories import EnterpriseFactory, UserFactory
from tests.images import png_bytes

pytestmark = pytest.mark.django_db


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def firm(today):
    return EnterpriseFactory(name="晋城市安泰建筑工程有限公司")


@pytest.fixture
def member(firm):
    return UserFactory(role="unit_user", enterprise=firm, username="member")


@pytest.fixture
def penalty(firm, county):
    return add_entry(firm, "penalty", dt.date(2026, 3, 10), county=county, document_no="高住建罚〔2026〕3号")


def appeal_url(entry):
    return f"/credit/entries/{entry.pk}/appeal/"


def submit(client, entry, reasons="处罚决定已被行政复议撤销。", files=()):
    return client.post(appeal_url(entry), {"reasons": reasons, "documents": list(files)})


def test_the_enterprise_appeals_with_reasons_and_documents(client, member, penalty, county_user):
    client.force_login(member)
    response = submit(
        client,
        penalty,
        files=[
            SimpleUploadedFile("复议决定书.pdf", PDF, content_type="application/pdf"),
            SimpleUploadedFile("现场.png", png_bytes(), content_type="image/png"),
        ],
    )
    assert response.status_code == 302 and response["Location"] == f"/credit/enterprises/{penalty.enterprise_id}/"
    appeal = CreditAppeal.objects.get()
    assert (appeal.entry, appeal.status, appeal.submitted_by) == (penalty, "pending", member)
    assert sorted(appeal.documents.values_list("original_name", flat=True)) == ["复议决定书.pdf", "现场.png"]
    page = client.get(response["Location"]).content.decode()
    assert "申诉已提交" in page and "待处理" in page
    assert 'data-testid="appeal"' not in page  # no second appeal while one is pending
    # the county that decides it has a to-do
    assert Todo.objects.open().filter(user=county_user, kind="credit_appeal").count() == 1


@pytest.mark.parametrize(
    "reasons, files, message",
    [
        ("   ", [], "请填写申诉理由。"),
        ("理由" * 1001, [], "申诉理由不能超过2000字。"),
        ("理由", [SimpleUploadedFile("x.exe", b"MZ\x90\x00", content_type="application/octet-stream")], "x.exe"),
        ("理由", [SimpleUploadedFile(f"{i}.pdf", PDF) for i in range(6)], "证明材料最多5个。"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_changes_nothing(client, member, penalty, reasons, files, message):
    client.force_login(member)
    response = submit(client, penalty, reasons=reasons, files=files)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CreditAppeal.objects.exists() and not AppealDocument.objects.exists()


def test_a_good_entry_an_expired_one_or_a_pending_appeal_cannot_be_appealed(client, member, firm, penalty):
    client.force_login(member)
    award = add_entry(firm, "jingpin", dt.date(2026, 1, 5))
    old = add_entry(firm, "complaint", dt.date(2024, 1, 5))
    assert "良好行为记录无需申诉。" in submit(client, award).content.decode()
    assert "该记录已过有效期，不再计分。" in submit(client, old).content.decode()
    assert submit(client, penalty).status_code == 302
    response = submit(client, penalty, reasons="再次申诉")
    assert response.status_code == 400 and "该记录已有待处理的申诉" in response.content.decode()
    assert CreditAppeal.objects.count() == 1


def test_another_enterprises_entry_is_not_found(client, penalty, outsider):
    client.force_login(outsider)
    assert submit(client, penalty).status_code == 404
    assert not CreditAppeal.objects.exists()


@pytest.fixture
def appeal(client, member, penalty):
    client.force_login(member)
    submit(client, penalty, files=[SimpleUploadedFile("复议决定书.pdf", PDF)])
    client.logout()
    return CreditAppeal.objects.get()


def decide(client, appeal, decision, reason="经核查，处罚决定已被撤销。"):
    return client.post(f"/credit/appeals/{appeal.pk}/", {"decision": decision, "reason": reason})


def test_the_county_withdraws_the_entry_and_the_score_recovers(client, appeal, county_user, member, today):
    assert CreditStanding.objects.get(enterprise=appeal.enterprise).score == 95
    client.force_login(county_user)
    page = client.get("/credit/appeals/").content.decode()
    assert "晋城市安泰建筑工程有限公司" in page and "待处理" in page
    response = decide(client, appeal, "withdraw")
    assert response.status_code == 302 and response["Location"] == f"/credit/appeals/{appeal.pk}/"
    appeal.refresh_from_db()
    assert (appeal.status, appeal.decided_by, appeal.decision_reason) == (
        "withdrawn",
        county_user,
        "经核查，处罚决定已被撤销。",
    )
    entry = CreditEntry.objects.get(pk=appeal.entry_id)
    assert entry.withdrawn_on == today and entry.state(today) == "withdrawn"
    assert CreditStanding.objects.get(enterprise=appeal.enterprise).score == 100
    assert not Todo.objects.open().filter(kind="credit_appeal").exists()
    # the enterprise reads the decision and its reasons, on the appeal and on the entry's row
    assert Notification.objects.filter(recipient=member, title__contains="撤销该记录").exists()
    client.force_login(member)
    page = client.get(f"/credit/appeals/{appeal.pk}/").content.decode()
    assert "撤销该记录" in page and "经核查，处罚决定已被撤销。" in page
    assert 'data-testid="decision-form"' not in page
    record = client.get(f"/credit/enterprises/{appeal.enterprise_id}/")
    row = next(e for e in record.context["entries"] if e.pk == entry.pk)
    assert row.state_label == "申诉撤销" and row.appeal.status == "withdrawn"
    assert "理由：经核查，处罚决定已被撤销。" in record.content.decode()


def test_the_county_keeps_the_entry(client, appeal, county_user):
    client.force_login(county_user)
    assert decide(client, appeal, "keep", "处罚决定合法有效。").status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == "kept"
    assert CreditEntry.objects.get(pk=appeal.entry_id).withdrawn_on is None
    assert CreditStanding.objects.get(enterprise=appeal.enterprise).score == 95


@pytest.mark.parametrize(
    "data, message",
    [
        ({"decision": "withdraw", "reason": "  "}, "请填写处理理由。"),
        ({"decision": "maybe", "reason": "理由"}, "请选择处理决定。"),
        ({"reason": "理由"}, "请选择处理决定。"),
        ({"decision": "keep", "reason": "长" * 501}, "处理理由不能超过500字。"),
    ],
)
def test_a_bad_decision_is_refused_and_changes_nothing(client, appeal, county_user, data, message):
    client.force_login(county_user)
    response = client.post(f"/credit/appeals/{appeal.pk}/", data)
    assert response.status_code == 400 and message in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == "pending" and appeal.decided_by is None
    assert CreditEntry.objects.get(pk=appeal.entry_id).withdrawn_on is None


def test_a_colleague_county_can_neither_see_nor_decide(client, appeal, colleague):
    client.force_login(colleague)
    assert client.get(f"/credit/appeals/{appeal.pk}/").status_code == 404
    assert decide(client, appeal, "withdraw").status_code == 404
    assert appeal.enterprise.name not in client.get("/credit/appeals/").content.decode()
    appeal.refresh_from_db()
    assert appeal.status == "pending"


def test_the_enterprise_cannot_decide_its_own_appeal(client, appeal, member):
    client.force_login(member)
    page = client.get(f"/credit/appeals/{appeal.pk}/").content.decode()
    assert 'data-testid="decision-form"' not in page and "待高平市住房和城乡建设局处理" in page
    response = decide(client, appeal, "withdraw")
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == "pending"


def test_the_city_decides_any_appeal_and_a_decision_is_final(client, appeal, city_admin, county_user):
    client.force_login(city_admin)
    assert decide(client, appeal, "keep").status_code == 302
    client.force_login(county_user)
    decide(client, appeal, "withdraw")
    appeal.refresh_from_db()
    assert appeal.status == "kept"


def test_documents_are_served_only_within_the_appeals_scope(client, appeal, member, county_user, colleague, outsider):
    document = appeal.documents.get()
    url = f"/credit/appeals/documents/{document.pk}/"
    for user in (member, county_user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    for user in (colleague, outsider):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_pending_appeals_come_first(client, firm, member, county, county_user):
    entries = [add_entry(firm, "complaint", dt.date(2026, 4, d), county=county) for d in (1, 2, 3)]
    client.force_login(member)
    for entry in entries:
        submit(client, entry)
    first = CreditAppeal.objects.get(entry=entries[0])
    last = CreditAppeal.objects.get(entry=entries[2])
    client.force_login(county_user)
    decide(client, last, "keep")
    listed = list(client.get("/credit/appeals/").context["object_list"])
    assert [a.status for a in listed] == ["pending", "pending", "kept"]
    assert listed[-1] == last and first in listed[:2]
    assert [a.pk for a in client.get("/credit/appeals/?status=kept").context["object_list"]] == [last.pk]
