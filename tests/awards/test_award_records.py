"""Award records: points and bonus from the catalogue in force on the grant date, the general contractor
receiving the points, and the refusals of the issue (unknown award, duplicates, wrong users)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from awards import services
from awards.models import AwardRecord
from tests.awards.factories import awardable_project, builder_of, catalogue, contractor_of
from tests.conftest import api_client_for
from tests.factories import EnterpriseFactory
from tests.projects_factories import ParticipantFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def awards(db):
    return catalogue()


def grant(user, project, award, year=2023, grant_date=dt.date(2023, 11, 30), **kw):
    return services.grant_award(
        user=user, project=project, award=award, year=year, grant_date=grant_date, document_no="建协〔2023〕29号", **kw
    )


def test_luban_2023_gives_the_general_contractor_10_points_and_a_50_wan_bonus(awards, county, county_user):
    contractor_a = EnterpriseFactory(name="A建设集团", kinds=["contractor"])
    project = awardable_project(county, contractor=contractor_a)
    record = grant(county_user, project, awards["鲁班奖"])
    assert record.contractor == contractor_a
    assert record.year == 2023
    assert record.points == Decimal("10")
    assert record.bonus_wan == Decimal("50")
    assert record.builder == builder_of(project)
    ledger = AwardRecord.objects.filter(contractor=contractor_a, year=2023)
    assert sum(r.points for r in ledger) == Decimal("10")


def test_catalogue_change_on_2024_01_01_keeps_2023_at_10_and_gives_2024_12(awards, county, county_user, city_admin):
    project = awardable_project(county)
    record_2023 = grant(county_user, project, awards["鲁班奖"], 2023, dt.date(2023, 11, 30))
    services.change_award_value(
        user=city_admin, award=awards["鲁班奖"], effective_from=dt.date(2024, 1, 1), points=12, bonus_wan=50
    )
    record_2024 = grant(county_user, awardable_project(county), awards["鲁班奖"], 2024, dt.date(2024, 3, 1))
    record_2023.refresh_from_db()
    assert record_2023.points == Decimal("10")
    assert record_2024.points == Decimal("12")
    # a 2023 record entered after the change still takes the values in force on its grant date
    late = grant(county_user, awardable_project(county), awards["鲁班奖"], 2023, dt.date(2023, 12, 31))
    assert late.points == Decimal("10")


def test_the_same_award_twice_for_a_project_in_one_year_is_refused(awards, county, county_user):
    project = awardable_project(county)
    grant(county_user, project, awards["汾水杯"])
    with pytest.raises(ValidationError) as exc:
        grant(county_user, project, awards["汾水杯"], grant_date=dt.date(2023, 12, 1))
    assert exc.value.message_dict["award"] == ["该项目2023年度已获得汾水杯，不能重复登记。"]
    assert AwardRecord.objects.count() == 1
    # another year or another award is fine
    grant(county_user, project, awards["汾水杯"], 2024, dt.date(2024, 5, 1))
    grant(county_user, project, awards["珏山杯"])


def test_points_go_to_the_epc_participant_when_the_project_is_epc(awards, county, county_user):
    project = ProjectFactory(county=county)
    epc = ParticipantFactory(project=project, role="epc").enterprise
    ParticipantFactory(project=project, role="builder")
    assert grant(county_user, project, awards["省优奖"]).contractor == epc


def test_a_project_without_a_general_contractor_is_refused(awards, county, county_user):
    project = ProjectFactory(county=county)
    ParticipantFactory(project=project, role="builder")
    with pytest.raises(ValidationError) as exc:
        grant(county_user, project, awards["省优奖"])
    assert "没有登记施工总承包或工程总承包（EPC）单位" in exc.value.message_dict["contractor"][0]


def test_two_general_contractors_need_an_explicit_choice(awards, county, county_user):
    project = awardable_project(county)
    second = ParticipantFactory(project=project, role="epc").enterprise
    with pytest.raises(ValidationError) as exc:
        grant(county_user, project, awards["省优奖"])
    assert "有多个施工总承包或工程总承包（EPC）单位" in exc.value.message_dict["contractor"][0]
    assert grant(county_user, project, awards["省优奖"], contractor=second).contractor == second


def test_a_chosen_contractor_that_is_not_a_general_contractor_of_the_project_is_refused(awards, county, county_user):
    project = awardable_project(county)
    with pytest.raises(ValidationError) as exc:
        grant(county_user, project, awards["省优奖"], contractor=builder_of(project))
    assert exc.value.message_dict["contractor"] == ["所选单位不是该项目的施工总承包或工程总承包（EPC）单位。"]


def test_a_grant_date_before_the_catalogue_took_effect_is_refused(awards, county, county_user):
    with pytest.raises(ValidationError) as exc:
        grant(county_user, awardable_project(county), awards["鲁班奖"], 2022, dt.date(2022, 5, 11))
    assert "尚无有效的积分和奖金标准" in exc.value.message_dict["grant_date"][0]
    # on the effective day itself it applies
    assert grant(county_user, awardable_project(county), awards["鲁班奖"], 2022, dt.date(2022, 5, 12)).points == 10


def test_danhe_cannot_be_granted_by_hand(awards, county, county_user):
    with pytest.raises(ValidationError, match="丹河杯奖励记录由丹河杯评选确认后自动生成"):
        grant(county_user, awardable_project(county), awards["丹河杯"])


def test_a_unit_user_never_grants_awards(awards, county, outsider):
    with pytest.raises(PermissionDenied):
        grant(outsider, awardable_project(county), awards["鲁班奖"])


def test_a_county_cannot_grant_awards_to_another_countys_project(awards, other_county, county_user):
    with pytest.raises(ValidationError, match="不在您的管辖范围内"):
        grant(county_user, awardable_project(other_county), awards["鲁班奖"])
    assert not AwardRecord.objects.exists()


# --- through the API ------------------------------------------------------------------------------
def payload(project, award, **extra):
    return {
        "project": project.pk,
        "award": award.pk,
        "year": 2023,
        "grant_date": "2023-11-30",
        "document_no": "建协〔2023〕29号",
        **extra,
    }


def test_api_grants_the_luban_example(awards, county, county_user):
    project = awardable_project(county)
    response = api_client_for(county_user).post(
        "/api/v1/award-records/", payload(project, awards["鲁班奖"]), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["points"] == "10.00" and body["bonus_wan"] == "50.00"
    assert body["contractor"] == contractor_of(project).pk


@pytest.mark.parametrize(
    "change, field, message_part",
    [
        ({"award": 999999}, "award", "无效"),
        ({"year": 1999}, "year", ""),
        ({"document_no": ""}, "document_no", ""),
        ({"grant_date": "2023-02-30"}, "grant_date", ""),
    ],
)
def test_api_refuses_bad_input_with_field_errors(awards, county, county_user, change, field, message_part):
    project = awardable_project(county)
    body = {**payload(project, awards["鲁班奖"]), **change}
    response = api_client_for(county_user).post("/api/v1/award-records/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert message_part in str(response.json()[field])
    assert not AwardRecord.objects.exists()


def test_api_refuses_a_duplicate_with_a_chinese_message(awards, county, county_user):
    project = awardable_project(county)
    client = api_client_for(county_user)
    assert client.post("/api/v1/award-records/", payload(project, awards["鲁班奖"]), format="json").status_code == 201
    response = client.post("/api/v1/award-records/", payload(project, awards["鲁班奖"]), format="json")
    assert response.status_code == 400
    assert response.json() == {"award": ["该项目2023年度已获得鲁班奖，不能重复登记。"]}


def test_api_refuses_a_unit_user_granting(awards, county, outsider):
    project = awardable_project(county)
    response = api_client_for(outsider).post(
        "/api/v1/award-records/", payload(project, awards["鲁班奖"]), format="json"
    )
    assert response.status_code == 403
    assert not AwardRecord.objects.exists()


def test_api_treats_another_countys_project_as_not_found(awards, other_county, county_user):
    project = awardable_project(other_county)
    response = api_client_for(county_user).post(
        "/api/v1/award-records/", payload(project, awards["鲁班奖"]), format="json"
    )
    assert response.status_code == 400
    assert "project" in response.json()
    assert not AwardRecord.objects.exists()


def test_web_form_grants_and_shows_field_errors(client, awards, county, county_user):
    project = awardable_project(county)
    client.force_login(county_user)
    data = {**payload(project, awards["国优奖"]), "contractor": "", "builder": "", "note": ""}
    response = client.post("/awards/records/new/", data)
    assert response.status_code == 302
    record = AwardRecord.objects.get()
    assert record.points == 8 and record.created_by == county_user
    response = client.post("/awards/records/new/", data)
    assert response.status_code == 200
    assert "该项目2023年度已获得国优奖，不能重复登记。" in response.content.decode()
    assert AwardRecord.objects.count() == 1
