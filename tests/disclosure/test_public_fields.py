"""The public page shows exactly the whitelisted fields, whoever looks at it (a table of fields × roles)."""

import pytest
from django.urls import reverse

from disclosure.models import ProjectDisclosure
from disclosure.public import PUBLIC_PARTICIPANT_FIELDS, PUBLIC_PROJECT_FIELDS
from tests.disclosure.factories import disclosed_project
from tests.factories import EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db

# (what, the text on the page, public?)
FIELDS = [
    ("项目名称", "滨河花园3号楼", True),
    ("所属县", "高平市", True),
    ("工程地点", "晋城市高平市滨河路18号", True),
    ("工程类别", "房屋建筑工程", True),
    ("当前阶段", "施工", True),
    ("精品工程状态", "未纳入", True),
    ("建设规模", "12,000", True),
    ("建设单位", "高平市城投建设有限公司", True),
    ("施工单位", "山西建投第三建筑工程有限公司", True),
    ("建设单位项目负责人", "王建国", True),
    ("项目经理", "李项目", True),
    ("总监理工程师", "赵总监", True),
    ("保单号", "PICC-SECRET-0001", False),
    ("监理保单号", "JL-SECRET-7", False),
    ("保险公司", "中国人民财产保险秘密分公司", False),
    ("单位联系电话", "13800001111", False),
    ("单位电话（座机）", "0356-2229999", False),
    ("法定代表人", "法人甲", False),
    ("项目概况（内部备注）", "甲方资金紧张", False),
    ("总投资", "98765", False),
    ("约束记录", "约束记录内部情况", False),
    ("项目内部页面链接", "/projects/{pk}/", False),
]
VIEWERS = ["anonymous", "unit_user", "county_staff", "other_county_staff", "city_admin"]


@pytest.fixture
def viewers(county, county_user, colleague, city_admin):
    return {
        "anonymous": None,
        "unit_user": UserFactory(role="unit_user", enterprise=EnterpriseFactory(), username="unit"),
        "county_staff": county_user,
        "other_county_staff": colleague,
        "city_admin": city_admin,
    }


@pytest.mark.parametrize("viewer", VIEWERS)
def test_public_page_shows_exactly_the_public_fields(client, county, county_user, viewers, viewer):
    project = disclosed_project(county, county_user)
    if viewers[viewer] is not None:
        client.force_login(viewers[viewer])
    disclosure = ProjectDisclosure.objects.get(project=project)
    html = client.get(reverse("disclosure:public-project", args=[disclosure.public_id])).content.decode()
    shown = {what: text.format(pk=project.pk) in html for what, text, _ in FIELDS}
    expected = {what: public for what, _, public in FIELDS}
    assert shown == expected


def test_the_whitelist_names_no_private_field():
    private = {"insurance_policy_no", "insurer", "insurance_valid_until", "description", "total_investment"}
    assert not private & set(PUBLIC_PROJECT_FIELDS)
    assert not private & set(PUBLIC_PARTICIPANT_FIELDS)
    assert not {"enterprise.contact_phone", "enterprise.legal_representative"} & set(PUBLIC_PARTICIPANT_FIELDS)


def test_public_url_uses_a_random_id_not_the_database_id(county, county_user):
    project = disclosed_project(county, county_user)
    disclosure = ProjectDisclosure.objects.get(project=project)
    assert len(disclosure.public_id) >= 16
    assert str(project.pk) != disclosure.public_id
    assert reverse("disclosure:public-project", args=[disclosure.public_id]).endswith(f"/p/{disclosure.public_id}/")


def test_inspection_results_are_empty_without_a_registered_source(monkeypatch, county, county_user):
    from disclosure import public

    monkeypatch.setattr(public, "_inspection_sources", [])
    assert public.published_inspection_results(disclosed_project(county, county_user)) == []


def test_the_inspections_app_registers_its_published_read():
    from disclosure import public
    from inspections.public import published_rows

    assert published_rows in public._inspection_sources


def test_inspection_results_come_from_the_registered_source(monkeypatch, client, county, county_user):
    import datetime as dt

    from disclosure import public

    asked = []

    def source(project_codes):
        asked.append(list(project_codes))
        return [
            {
                "project__code": project_codes[0],
                "inspected_on": dt.date(2024, 5, 20),
                "plan__name": "2024年第二季度双随机检查",
                "summary": "未发现问题",
            }
        ]

    monkeypatch.setattr(public, "_inspection_sources", [source])
    project = disclosed_project(county, county_user)
    disclosure = ProjectDisclosure.objects.get(project=project)
    html = client.get(reverse("disclosure:public-project", args=[disclosure.public_id])).content.decode()
    assert "2024-05-20 2024年第二季度双随机检查：未发现问题" in html
    assert asked == [[project.code]]
