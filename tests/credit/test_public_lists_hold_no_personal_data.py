"""The public 红榜 and 黑名单 carry no personal data (issue 24: "with reason, source 文号 and period, no personal
data"): only the whitelisted fields reach the page, whoever looks at it."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from credit.models import CreditAppeal
from credit.public import (
    PUBLIC_ENTERPRISE_FIELDS,
    PUBLIC_ENTRY_FIELDS,
    PublicEntry,
    PublicListedEnterprise,
)
from tests.credit.list_factories import cast, entry, score_all
from tests.factories import EnterpriseFactory, UserFactory
from tests.projects_factories import ParticipantFactory

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))

PRIVATE = {
    "法定代表人": "法人赵某某",
    "联系电话": "13800001111",
    "座机": "0356-2229999",
    "地址": "晋城市城区秘密路88号",
    "单位用户姓名": "单位用户钱某",
    "单位用户账号": "qian_unit_account",
    "申诉理由": "申诉理由内部说明",
    "项目负责人": "项目经理孙某",
    "记录摘要（来源自拟文字）": "摘要中写了施工员李某某",
    "录入人": "录入人周某",
}


@pytest.fixture
def listed(db):
    """One enterprise on each list, rich in private data."""
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, tzinfo=TZ), tick=False):
        bad = EnterpriseFactory(
            name="黑名单隐私测试建设有限公司",
            legal_representative=PRIVATE["法定代表人"],
            contact_phone=f"{PRIVATE['联系电话']} / {PRIVATE['座机']}",
            address=PRIVATE["地址"],
        )
        good = EnterpriseFactory(
            name="红榜隐私测试建设有限公司",
            legal_representative=PRIVATE["法定代表人"] + "乙",
            contact_phone="13900002222",
            address=PRIVATE["地址"] + "乙",
        )
        unit_user = UserFactory(
            role="unit_user", enterprise=bad, username=PRIVATE["单位用户账号"], name=PRIVATE["单位用户姓名"]
        )
        clerk = UserFactory(role="county_staff", username="clerk_zhou", name=PRIVATE["录入人"])
        ParticipantFactory(enterprise=bad, key_person=PRIVATE["项目负责人"])
        major = entry(
            bad,
            "constraint_major",
            dt.date(2026, 5, 1),
            document_no="晋市建约〔2026〕8号",
            title=PRIVATE["记录摘要（来源自拟文字）"],
        )
        entry(
            good,
            "award",
            dt.date(2026, 1, 1),
            document_no="建质〔2026〕1号",
            catalogue_points=10,
            title=PRIVATE["记录摘要（来源自拟文字）"],
        )
        CreditAppeal.objects.create(
            entry=major, enterprise=bad, reasons=PRIVATE["申诉理由"], submitted_by=unit_user, decided_by=clerk
        )
        score_all([bad, good], dt.date(2026, 6, 15))
        cast()
    return bad, good


@pytest.mark.parametrize("viewer", ["anonymous", "county_staff", "city_admin"])
@pytest.mark.parametrize("name", ["redlist", "blacklist"])
def test_the_public_lists_show_no_personal_data_whoever_looks(client, listed, viewer, name):
    if viewer != "anonymous":
        client.force_login(UserFactory(role=viewer, username=f"viewer_{viewer}", name="看的人"))
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, tzinfo=TZ), tick=False):
        html = client.get(reverse(f"credit_public:{name}")).content.decode()
    bad, good = listed
    assert (bad.name in html) == (name == "blacklist") and (good.name in html) == (name == "redlist")
    leaked = {what for what, text in PRIVATE.items() if text in html}
    assert not leaked, leaked
    assert "13900002222" not in html


def test_the_whitelist_dataclasses_hold_no_personal_field():
    names = {f.name for f in dataclasses.fields(PublicListedEnterprise)} | {
        f.name for f in dataclasses.fields(PublicEntry)
    }
    assert names == {
        "name",
        "credit_code",
        "grade",
        "grade_label",
        "score",
        "reasons",
        "entries",
        "behaviour",
        "document_no",
        "occurred_on",
        "valid_until",
    }
    private = {
        "legal_representative",
        "contact_phone",
        "address",
        "title",
        "key_person",
        "user",
        "username",
        "submitted_by",
        "decided_by",
        "project",
        "source_url",
    }
    copied = {f.rsplit(".", 1)[-1] for f in (*PUBLIC_ENTERPRISE_FIELDS, *PUBLIC_ENTRY_FIELDS)}
    assert not private & names and not private & copied
    assert not {"enterprise.legal_representative", "enterprise.contact_phone", "enterprise.address"} & set(
        PUBLIC_ENTERPRISE_FIELDS
    )
