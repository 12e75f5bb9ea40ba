"""The award catalogue: nine awards from 2022-05-12, dated changes by the city admin only."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from awards import services
from awards.models import Award, AwardValue
from awards.seed import seed_reference
from tests.awards.factories import NullOut, awardable_project, catalogue
from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db

SPEC_TABLE = [
    ("国家级", "鲁班奖", 10, 50),
    ("国家级", "国优奖", 8, 50),
    ("国家级", "国优单项奖", 5, 50),
    ("省级", "汾水杯", 7, 20),
    ("省级", "省优奖", 5, 20),
    ("省级", "省优单项奖", 3, 20),
    ("市级", "珏山杯", 3, 10),
    ("市级", "市优奖", 2, 10),
    ("县级", "丹河杯", 2, 10),
]


def test_the_seed_holds_the_nine_awards_of_the_spec_effective_2022_05_12():
    catalogue()
    seed_reference(NullOut())  # idempotent
    rows = [
        (
            a.get_level_display(),
            a.name,
            a.value_on(dt.date(2022, 5, 12)).points,
            a.value_on(dt.date(2022, 5, 12)).bonus_wan,
        )
        for a in Award.objects.all()
    ]
    assert rows == [(lvl, name, Decimal(p), Decimal(b)) for lvl, name, p, b in SPEC_TABLE]
    assert AwardValue.objects.count() == 9
    assert Award.objects.get(name="鲁班奖").value_on(dt.date(2022, 5, 11)) is None


def test_only_the_city_admin_changes_the_catalogue(county_user):
    awards = catalogue()
    with pytest.raises(PermissionDenied):
        services.change_award_value(
            user=county_user, award=awards["鲁班奖"], effective_from=dt.date(2024, 1, 1), points=12, bonus_wan=50
        )
    response = api_client_for(county_user).post(
        f"/api/v1/award-catalogue/{awards['鲁班奖'].pk}/change-values/",
        {"effective_from": "2024-01-01", "points": "12", "bonus_wan": "50"},
        format="json",
    )
    assert response.status_code == 403
    assert AwardValue.objects.filter(award=awards["鲁班奖"]).count() == 1


def test_a_change_must_be_dated_after_the_current_value_and_after_existing_grants(city_admin, county, county_user):
    awards = catalogue()
    luban = awards["鲁班奖"]
    with pytest.raises(ValidationError, match="生效日期必须晚于现行标准的生效日期（2022-05-12）"):
        services.change_award_value(
            user=city_admin, award=luban, effective_from=dt.date(2022, 5, 12), points=12, bonus_wan=50
        )
    services.grant_award(
        user=county_user,
        project=awardable_project(county),
        award=luban,
        year=2023,
        grant_date=dt.date(2023, 11, 30),
        document_no="x",
    )
    with pytest.raises(ValidationError, match="已有表彰日期为2023-11-30的鲁班奖记录"):
        services.change_award_value(
            user=city_admin, award=luban, effective_from=dt.date(2023, 6, 1), points=12, bonus_wan=50
        )
    with pytest.raises(ValidationError, match="积分不能为负数"):
        services.change_award_value(
            user=city_admin, award=luban, effective_from=dt.date(2024, 1, 1), points=-1, bonus_wan=50
        )
    assert AwardValue.objects.filter(award=luban).count() == 1


def test_the_api_changes_values_and_lists_the_history(city_admin):
    awards = catalogue()
    client = api_client_for(city_admin)
    url = f"/api/v1/award-catalogue/{awards['鲁班奖'].pk}/change-values/"
    response = client.post(
        url,
        {"effective_from": "2024-01-01", "points": "12", "bonus_wan": "50", "basis": "市住建〔2023〕1号"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    detail = client.get(f"/api/v1/award-catalogue/{awards['鲁班奖'].pk}/").json()
    assert [(v["effective_from"], v["points"]) for v in detail["values"]] == [
        ("2024-01-01", "12.00"),
        ("2022-05-12", "10.00"),
    ]
    history = client.get("/api/v1/award-values/", {"award": awards["鲁班奖"].pk}).json()
    assert history["count"] == 2


def test_the_catalogue_page_shows_current_values_and_the_change_form_works(client, city_admin):
    awards = catalogue()
    client.force_login(city_admin)
    page = client.get("/awards/catalogue/").content.decode()
    assert "鲁班奖" in page and "丹河杯" in page and "调整标准" in page
    response = client.post(
        f"/awards/catalogue/{awards['鲁班奖'].pk}/change/",
        {"effective_from": "2024-01-01", "points": "12", "bonus_wan": "50", "basis": ""},
    )
    assert response.status_code == 302
    assert awards["鲁班奖"].value_on(dt.date(2024, 1, 1)).points == 12
    response = client.post(
        f"/awards/catalogue/{awards['鲁班奖'].pk}/change/",
        {"effective_from": "2023-01-01", "points": "13", "bonus_wan": "50", "basis": ""},
    )
    assert "生效日期必须晚于现行标准的生效日期（2024-01-01）" in response.content.decode()


def test_county_staff_cannot_open_the_change_form(client, county_user):
    awards = catalogue()
    client.force_login(county_user)
    assert client.get(f"/awards/catalogue/{awards['鲁班奖'].pk}/change/").status_code == 403
