"""Enterprises in the app (issue 23): created and edited with the GB 32100 check, within the county's reach, and
duplicates merged with every record they carry."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts import services
from accounts.models import Enterprise, SecurityEvent, User
from accounts.seed import make_credit_code
from projects.models import Participant
from tests.conftest import api_client_for
from tests.factories import CountyFactory, EnterpriseFactory, UserFactory
from tests.projects_factories import ParticipantFactory, ProjectFactory


@pytest.fixture
def setting(db):
    own, other = CountyFactory(name="陵川县"), CountyFactory(name="沁水县")
    return {
        "own": own,
        "other": other,
        "city": UserFactory(username="city", role="city_admin"),
        "county": UserFactory(username="lingchuan", role="county_staff", region=own),
    }


def form(name, code, region, kinds=("contractor",)):
    return {"name": name, "credit_code": code, "region": region.pk, "kinds": list(kinds)}


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91140500MA0000011X", "统一社会信用代码校验位错误：第18位应为"),  # a wrong check character
        ("91140500MA000001", "统一社会信用代码应为18位，当前为16位。"),
        ("91140500MA00000IOX", "统一社会信用代码含有非法字符：I、O"),
    ],
)
def test_a_bad_credit_code_is_refused_in_chinese_on_the_web_and_api(client, setting, code, message):
    client.force_login(setting["city"])
    response = client.post("/accounts/enterprises/new/", form("陵川新建公司", code, setting["own"]))
    assert response.status_code == 200
    assert message in response.content.decode()
    api = api_client_for(setting["city"]).post(
        "/api/v1/enterprises/", {"name": "陵川新建公司", "credit_code": code, "kinds": ["builder"]}, format="json"
    )
    assert api.status_code == 400 and message in str(api.json())
    assert not Enterprise.objects.filter(name="陵川新建公司").exists()


def test_seed_like_codes_are_accepted_lower_case_normalised_and_audited(client, setting):
    code = make_credit_code(4242)
    client.force_login(setting["city"])
    response = client.post("/accounts/enterprises/new/", form("陵川新建公司", code.lower(), setting["own"]))
    assert response.status_code == 302
    enterprise = Enterprise.objects.get(name="陵川新建公司")
    assert enterprise.credit_code == code
    assert SecurityEvent.objects.filter(kind="enterprise_created", actor=setting["city"]).exists()
    duplicate = client.post("/accounts/enterprises/new/", form("另一家公司", code, setting["own"]))
    assert "该统一社会信用代码已登记。" in duplicate.content.decode()


def test_county_staff_create_and_edit_enterprises_of_their_county_only(client, setting):
    client.force_login(setting["county"])
    assert (
        client.post("/accounts/enterprises/new/", form("陵川甲公司", make_credit_code(1), setting["own"])).status_code
        == 302
    )
    refused = client.post("/accounts/enterprises/new/", form("沁水乙公司", make_credit_code(2), setting["other"]))
    assert refused.status_code == 200 and not Enterprise.objects.filter(name="沁水乙公司").exists()
    elsewhere = EnterpriseFactory(name="沁水丙公司", region=setting["other"])
    assert client.get(f"/accounts/enterprises/{elsewhere.pk}/edit/").status_code == 403
    with pytest.raises(PermissionDenied):
        services.save_enterprise(setting["county"], elsewhere, name="改名")
    api = api_client_for(setting["county"])
    response = api.patch(f"/api/v1/enterprises/{elsewhere.pk}/", {"name": "改名"}, format="json")
    assert response.status_code == 403
    elsewhere.refresh_from_db()
    assert elsewhere.name == "沁水丙公司"


# --- merging duplicates ------------------------------------------------------------------------------------------
def test_the_merge_finds_every_reference_to_an_enterprise():
    found = {(f.model._meta.label, f.name) for f in services.enterprise_references()}
    # a few named by hand; the merge itself finds them from the model registry
    assert {("accounts.User", "enterprise"), ("projects.Participant", "enterprise")} <= found
    assert any(label.startswith("awards.") for label, _ in found)
    assert ("accounts.Enterprise_kinds", "enterprise") in found  # the kinds join table


def test_merging_moves_every_related_row_of_the_demo_data(demo_data):
    """The demo enterprise with the most records is merged into a fresh one: every row of every model that
    points at it (whatever its app) points at the survivor afterwards, and the duplicate is gone."""
    city = User.objects.get(username="city")
    fields = services.enterprise_references()

    def counts(enterprise_id):
        return {
            (f.model._meta.label, f.name): f.model._default_manager.filter(**{f.attname: enterprise_id}).count()
            for f in fields
        }

    busiest = max(Enterprise.objects.all(), key=lambda e: sum(counts(e.pk).values()))
    before = counts(busiest.pk)
    assert sum(1 for n in before.values() if n) >= 4, before  # the demo gives it users, projects, awards …
    survivor = EnterpriseFactory(name="合并后保留的公司", kinds=["design"])
    kinds = {k.code for k in busiest.kinds.all()} | {"design"}
    moved = services.merge_enterprises(city, survivor, busiest)
    after = counts(survivor.pk)
    for key, n in before.items():
        if key == ("accounts.Enterprise_kinds", "enterprise"):
            continue
        assert after[key] == n, key
    assert {k.code for k in survivor.kinds.all()} == kinds
    assert not Enterprise.objects.filter(pk=busiest.pk).exists()
    assert sum(moved.values()) >= sum(n for k, n in before.items() if k[0] != "accounts.Enterprise_kinds")
    event = SecurityEvent.objects.get(kind="enterprise_merged")
    assert busiest.credit_code in event.detail and event.actor == city


def test_a_merge_that_would_duplicate_a_record_stops_with_nothing_moved(setting):
    project = ProjectFactory(county=setting["own"])
    one, two = EnterpriseFactory(name="甲"), EnterpriseFactory(name="甲（重复）")
    ParticipantFactory(project=project, enterprise=one, role="contractor")
    ParticipantFactory(project=project, enterprise=two, role="contractor")
    clerk = UserFactory(username="clerk", role="unit_user", enterprise=two)
    with pytest.raises(ValidationError) as caught:
        services.merge_enterprises(setting["city"], one, two)
    assert "参建单位" in caught.value.messages[0] and "无法自动合并" in caught.value.messages[0]
    clerk.refresh_from_db()
    assert clerk.enterprise == two and Enterprise.objects.filter(pk=two.pk).exists()
    assert Participant.objects.filter(enterprise=two).count() == 1


def test_only_the_city_merges(client, setting):
    one, two = EnterpriseFactory(region=setting["own"]), EnterpriseFactory(region=setting["own"])
    with pytest.raises(PermissionDenied):
        services.merge_enterprises(setting["county"], one, two)
    client.force_login(setting["county"])
    assert client.get("/accounts/enterprises/merge/").status_code == 403
    client.force_login(setting["city"])
    response = client.post("/accounts/enterprises/merge/", {"survivor": one.pk, "duplicate": two.pk, "confirm": "on"})
    assert response.status_code == 302
    assert not Enterprise.objects.filter(pk=two.pk).exists()
