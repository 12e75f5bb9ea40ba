"""信用修复 through the API: the enterprise objects with reasons and documents (multipart); the county the entry
belongs to decides (withdraw / keep) with reasons. The services' Chinese refusals are 400s, a role that may not act
is 403, an appeal out of scope 404; a refused request changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from credit.models import AppealDocument, CreditAppeal, CreditEntry, CreditStanding
from tests.conftest import api_client_for
from tests.credit.factories import make_entry

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def entry(folks):
    return make_entry(
        folks.enterprise, "penalty", dt.date(2026, 3, 1), county=folks.county, document_no="高建罚〔2026〕3号"
    )


def submit(user, entry, reasons="罚款已缴清，问题已整改，附整改报告。", files=()):
    data = {"entry": entry.pk, "reasons": reasons}
    if files:
        data["documents"] = list(files)
    return api_client_for(user).post("/api/v1/credit-appeals/", data, format="multipart")


def pdf(name="整改报告.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_the_enterprises_user_appeals_with_documents(folks, entry):
    response = submit(folks.member, entry, files=[pdf(), pdf("缴款凭证.pdf")])
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["entry"] == entry.pk and body["enterprise"] == folks.enterprise.pk
    assert (body["status"], body["status_display"]) == ("pending", "待处理")
    assert body["entry_document_no"] == "高建罚〔2026〕3号"
    assert [d["original_name"] for d in body["documents"]] == ["整改报告.pdf", "缴款凭证.pdf"]
    assert body["may_decide"] is False
    assert AppealDocument.objects.filter(appeal_id=body["id"]).count() == 2
    detail = api_client_for(folks.staff).get(f"/api/v1/credit-appeals/{body['id']}/").json()
    assert detail["may_decide"] is True


def test_an_appeal_as_json_without_documents(folks, entry):
    response = api_client_for(folks.member).post(
        "/api/v1/credit-appeals/", {"entry": entry.pk, "reasons": "已整改。"}, format="json"
    )
    assert response.status_code == 201, response.content


def test_the_services_refusals_are_400s_in_chinese_and_nothing_is_stored(folks, entry):
    response = submit(folks.member, entry, reasons="   ")
    assert response.status_code == 400
    assert response.json() == {"reasons": ["请填写申诉理由。"]}
    good = make_entry(folks.enterprise, "award", dt.date(2026, 1, 1), catalogue_points=6)
    assert submit(folks.member, good).json() == {"entry": ["良好行为记录无需申诉。"]}
    too_many = submit(folks.member, entry, files=[pdf(f"{i}.pdf") for i in range(6)])
    assert too_many.status_code == 400 and too_many.json() == {"documents": ["证明材料最多5个。"]}
    assert not CreditAppeal.objects.exists()
    assert submit(folks.member, entry).status_code == 201
    again = submit(folks.member, entry)
    assert again.status_code == 400 and again.json() == {"entry": ["该记录已有待处理的申诉，请等待处理结果。"]}
    assert CreditAppeal.objects.count() == 1


def test_a_bad_file_is_refused_with_its_name(folks, entry):
    fake = SimpleUploadedFile("报告.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = submit(folks.member, entry, files=[fake])
    assert response.status_code == 400
    assert response.json()["documents"][0].startswith("报告.pdf：")
    assert not CreditAppeal.objects.exists()


def test_only_the_enterprises_own_users_appeal(folks, entry):
    # the county's staff see the entry, but may not appeal for the enterprise: 403
    response = submit(folks.staff, entry)
    assert response.status_code == 403
    assert response.json()["detail"] == "只有该单位的用户可以对本单位的信用记录提出申诉。"
    # another enterprise's user does not see the entry at all
    response = submit(folks.outsider, entry)
    assert response.status_code == 400
    assert response.json() == {"entry": [f"信用记录“{entry.pk}”不存在。"]}
    assert submit(folks.expert, entry).status_code == 403
    assert not CreditAppeal.objects.exists()


def decide(user, appeal, withdraw, reason="经核查，处罚决定已撤销。"):
    return api_client_for(user).post(
        f"/api/v1/credit-appeals/{appeal['id']}/decide/", {"withdraw": withdraw, "reason": reason}, format="json"
    )


def test_the_county_withdraws_the_entry_and_the_score_comes_back(folks, entry, today):
    assert CreditStanding.objects.get(enterprise=folks.enterprise).score == Decimal("95")
    appeal = submit(folks.member, entry).json()
    response = decide(folks.staff, appeal, True)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["status_display"]) == ("withdrawn", "撤销该记录")
    assert body["decision_reason"] == "经核查，处罚决定已撤销。"
    assert body["decided_by_name"] and body["may_decide"] is False
    entry.refresh_from_db()
    assert (entry.withdrawn_on, entry.withdrawn_reason) == (today, "经核查，处罚决定已撤销。")
    row = api_client_for(folks.member).get(f"/api/v1/credit-entries/{entry.pk}/").json()
    assert (row["state"], row["state_display"], row["withdrawn_on"]) == ("withdrawn", "申诉撤销", "2026-06-15")
    assert CreditStanding.objects.get(enterprise=folks.enterprise).score == Decimal("100")


def test_the_county_keeps_the_entry(folks, entry):
    appeal = submit(folks.member, entry).json()
    response = decide(folks.city, appeal, False, "处罚决定合法有效，维持。")
    assert response.status_code == 200
    assert response.json()["status"] == "kept"
    entry.refresh_from_db()
    assert entry.withdrawn_on is None


def test_a_colleague_county_the_enterprise_and_a_second_decision_are_refused(folks, entry):
    appeal = submit(folks.member, entry).json()
    # a colleague county does not even see the appeal (appeals belong to the entry's county)
    assert decide(folks.colleague, appeal, True).status_code == 404
    # the enterprise sees its appeal, but may not decide it
    response = decide(folks.member, appeal, True)
    assert response.status_code == 403
    assert response.json()["detail"] == "只有该记录所属县（市、区）住建部门或市局可以处理此申诉。"
    assert decide(folks.expert, appeal, True).status_code == 403
    missing_reason = decide(folks.staff, appeal, True, reason="")
    assert missing_reason.status_code == 400 and missing_reason.json() == {"reason": ["请填写处理理由。"]}
    assert CreditAppeal.objects.get(pk=appeal["id"]).status == "pending"
    assert decide(folks.staff, appeal, False).status_code == 200
    second = decide(folks.staff, appeal, True)
    assert second.status_code == 400 and second.json() == {"decision": ["该申诉已处理（维持该记录）。"]}
    assert CreditEntry.objects.get(pk=entry.pk).withdrawn_on is None


def test_the_county_that_recorded_the_entry_decides_not_the_enterprises_home_county(folks, today):
    """The appeal goes to the entry's county: 阳城县 decides the entry it recorded for a 高平市 company."""
    entry = make_entry(folks.enterprise, "penalty", dt.date(2026, 3, 1), county=folks.other_county)
    appeal = submit(folks.member, entry).json()
    assert decide(folks.staff, appeal, True).status_code == 404  # not 高平市's appeal
    assert decide(folks.colleague, appeal, True).status_code == 200  # 阳城县's own
