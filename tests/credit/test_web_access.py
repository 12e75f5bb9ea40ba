"""Who opens which page of the 诚信档案: the bureau every enterprise's record, a unit user its own only (another
enterprise's is not found), experts nothing, the anonymous the login page."""

from __future__ import annotations

import pytest

from credit.models import CreditAppeal
from tests.credit.factories import add_entry
from tests.factories import EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(today, county, county_user, colleague, city_admin):
    own = EnterpriseFactory(name="晋城市安泰建筑工程有限公司")
    other = EnterpriseFactory(name="阳城县宏达建设有限公司")
    member = UserFactory(role="unit_user", enterprise=own, username="member")
    expert = UserFactory(role="expert", username="expert")
    entry = add_entry(own, "penalty", county=county, document_no="高住建罚〔2026〕3号")
    appeal = CreditAppeal.objects.create(entry=entry, enterprise=own, reasons="已整改", submitted_by=member)
    return {
        "own": own,
        "other": other,
        "member": member,
        "expert": expert,
        "entry": entry,
        "appeal": appeal,
        "city": city_admin,
        "county": county_user,
        "colleague": colleague,
    }


def urls(w):
    return {
        "list": "/credit/enterprises/",
        "own": f"/credit/enterprises/{w['own'].pk}/",
        "other": f"/credit/enterprises/{w['other'].pk}/",
        "appeals": "/credit/appeals/",
        "appeal": f"/credit/appeals/{w['appeal'].pk}/",
        "appeal_new": f"/credit/entries/{w['entry'].pk}/appeal/",
        "rule": "/credit/rule/",
        "rule_v1": "/credit/rule/1/",
        "rule_edit": "/credit/rule/edit/",
    }


# user -> page -> status (200 page, 302 redirect, 403 refused, 404 not found)
MATRIX = {
    "city": {
        "list": 200, "own": 200, "other": 200, "appeals": 200, "appeal": 200, "appeal_new": 403,
        "rule": 200, "rule_v1": 200, "rule_edit": 200,
    },
    "county": {
        "list": 200, "own": 200, "other": 200, "appeals": 200, "appeal": 200, "appeal_new": 403,
        "rule": 200, "rule_v1": 200, "rule_edit": 403,
    },
    "colleague": {  # another county: reads every record, not the appeals on this county's entries
        "list": 200, "own": 200, "other": 200, "appeals": 200, "appeal": 404, "appeal_new": 403,
        "rule": 200, "rule_v1": 200, "rule_edit": 403,
    },
    "member": {
        "list": 403, "own": 200, "other": 404, "appeals": 200, "appeal": 200, "appeal_new": 200,
        "rule": 403, "rule_v1": 403, "rule_edit": 403,
    },
    "expert": {
        "list": 403, "own": 403, "other": 403, "appeals": 403, "appeal": 403, "appeal_new": 404,
        "rule": 403, "rule_v1": 403, "rule_edit": 403,
    },
}  # fmt: skip


@pytest.mark.parametrize("who", sorted(MATRIX))
def test_each_role_opens_exactly_its_pages(client, world, who):
    client.force_login(world[who])
    pages = urls(world)
    got = {name: client.get(url).status_code for name, url in pages.items()}
    assert got == MATRIX[who]


def test_an_outsider_unit_user_does_not_see_another_enterprises_record(client, world, outsider):
    client.force_login(outsider)
    assert client.get(f"/credit/enterprises/{world['own'].pk}/").status_code == 404
    assert client.get(f"/credit/appeals/{world['appeal'].pk}/").status_code == 404
    assert client.get(f"/credit/entries/{world['entry'].pk}/appeal/").status_code == 404


def test_the_anonymous_are_sent_to_the_login_page(client, world):
    for url in urls(world).values():
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url
    assert client.get("/credit/mine/")["Location"].startswith("/login/")


def test_mine_takes_a_unit_user_to_its_own_record(client, world):
    client.force_login(world["member"])
    response = client.get("/credit/mine/")
    assert response.status_code == 302 and response["Location"] == f"/credit/enterprises/{world['own'].pk}/"
    response = client.get("/credit/")
    assert response["Location"] == "/credit/mine/"


def test_the_navigation_names_the_record_by_role(client, world):
    client.force_login(world["member"])
    page = client.get(f"/credit/enterprises/{world['own'].pk}/").content.decode()
    assert "本单位诚信档案" in page and 'href="/credit/enterprises/"' not in page
    client.force_login(world["county"])
    page = client.get("/credit/enterprises/").content.decode()
    assert 'href="/credit/enterprises/">诚信档案</a>' in page and "本单位诚信档案" not in page
