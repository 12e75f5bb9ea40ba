"""Savings and design-optimisation bonuses: the worked examples through the service, the API and the web,
who confirmed them, and the refusals (negative amounts, zero 概算/预算, wrong users)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from awards import services
from awards.models import DesignBonus, SavingsBonus
from tests.awards.factories import awardable_project, builder_of, contractor_of
from tests.conftest import api_client_for
from tests.factories import EnterpriseFactory, UserFactory
from tests.projects_factories import ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(county):
    project = awardable_project(county)
    ParticipantFactory(project=project, role="supervisor")
    ParticipantFactory(project=project, role="design")
    return project


@pytest.fixture
def builder_user(project):
    return UserFactory(role="unit_user", enterprise=builder_of(project), username="builder_user")


def confirm(user, project, kind, amount="1234567.89", **kw):
    return services.confirm_savings_bonus(
        user=user,
        project=project,
        proposer_kind=kind,
        measure="铝模板早拆体系",
        amount_saved=amount,
        confirmed_on=dt.date(2023, 6, 18),
        **kw,
    )


def test_the_builder_confirms_savings_for_the_supervisor_61728_39(project, builder_user):
    bonus = confirm(builder_user, project, "supervisor")
    assert bonus.bonus == Decimal("61728.39") and bonus.rate_percent == 5
    assert bonus.recipient == project.participants.get(role="supervisor").enterprise
    assert bonus.builder == builder_of(project) and bonus.confirmed_by == builder_user


def test_the_builder_confirms_savings_for_the_epc_contractor_370370_37(county):
    """Seed 000 六(一)3: "工程总承包单位……奖励节约资金额度的……30%"."""
    epc = EnterpriseFactory(name="某工程总承包公司", kinds=["contractor", "epc"])
    project = awardable_project(county, contractor=epc)
    project.participants.filter(role="contractor").update(role="epc")
    builder_user = UserFactory(role="unit_user", enterprise=builder_of(project))
    bonus = confirm(builder_user, project, "epc")
    assert bonus.bonus == Decimal("370370.37") and bonus.rate_percent == 30
    assert bonus.recipient == contractor_of(project) == epc


def test_no_30_percent_for_a_shigong_zongchengbao_firm_and_nothing_stored(project, builder_user):
    """Seed 000 六(一)3 rewards "监理单位、工程总承包单位": the project's 施工总承包单位 gets nothing — neither as
    the legacy kind nor named as an EPC recipient, since it is not the project's 工程总承包单位."""
    with pytest.raises(ValidationError, match="施工总承包单位不在节约奖励范围内"):
        confirm(builder_user, project, "contractor")
    with pytest.raises(ValidationError, match="工程总承包（EPC）单位"):
        confirm(builder_user, project, "epc", recipient=contractor_of(project))
    assert not SavingsBonus.objects.exists()


def test_the_data_fix_voids_the_256800_paid_to_a_shigong_firm_and_keeps_an_epc_row(project, county):
    """Migration 0003 (seed 000 六(一)3): a stored 30 % row of a 施工总承包 firm (高平市全民健身中心, 256,800 元) is
    voided with its reason; a row of the project's EPC becomes kind ``epc``."""
    import importlib

    from django.apps import apps as django_apps

    fix = importlib.import_module("awards.migrations.0003_savings_bonus_epc_only")
    common = dict(builder=builder_of(project), measure="BIM管线综合优化", amount_saved=Decimal("856000.00"))
    wrong = SavingsBonus.objects.create(
        project=project,
        proposer_kind="contractor",
        recipient=contractor_of(project),
        rate_percent=30,
        bonus=Decimal("256800.00"),
        confirmed_on=dt.date(2023, 7, 18),
        **common,
    )
    epc_project = awardable_project(county)
    epc_project.participants.filter(role="contractor").update(role="epc")
    right = SavingsBonus.objects.create(
        project=epc_project,
        proposer_kind="contractor",
        recipient=contractor_of(epc_project),
        rate_percent=30,
        bonus=Decimal("256800.00"),
        confirmed_on=dt.date(2023, 7, 18),
        **common,
    )
    fix.fix_stored_rows(django_apps, None)
    wrong.refresh_from_db()
    right.refresh_from_db()
    assert wrong.proposer_kind == "contractor" and "施工总承包单位不在节约奖励范围内" in wrong.void_reason
    assert right.proposer_kind == "epc" and right.void_reason == ""


@pytest.mark.parametrize(
    "amount, message",
    [
        ("-1", "节约金额不能为负数。"),
        ("0", "节约金额不能为零。"),
        ("12.345", "最多保留两位小数"),
        ("十万", "不是有效的金额"),
    ],
)
def test_bad_savings_amounts_are_refused(project, county_user, amount, message):
    with pytest.raises(ValidationError, match=message):
        confirm(county_user, project, "supervisor", amount)
    assert not SavingsBonus.objects.exists()


def test_a_unit_user_that_is_not_the_builder_cannot_confirm(project, outsider):
    with pytest.raises(ValidationError, match="只有该项目的建设单位可以确认奖励"):
        confirm(outsider, project, "supervisor")


def test_another_county_cannot_record_a_bonus(project, colleague):
    with pytest.raises(ValidationError, match="不在您的管辖范围内"):
        confirm(colleague, project, "supervisor")


def test_an_expert_cannot_record_a_bonus(project):
    with pytest.raises(PermissionDenied):
        confirm(UserFactory(role="expert", username="expert"), project, "supervisor")


def test_the_design_example_7_percent_of_300000_is_21000(project, county_user):
    bonus = services.record_design_bonus(
        user=county_user,
        project=project,
        approved_estimate="10000000",
        drawing_budget="9650000",
        base_design_fee="300000",
        confirmed_on=dt.date(2023, 4, 10),
    )
    assert bonus.reduction_percent == Decimal("3.5")
    assert bonus.fee_increase_percent == Decimal("7")
    assert bonus.fee_increase == Decimal("21000.00")
    assert bonus.designer == project.participants.get(role="design").enterprise
    assert bonus.confirmed_by == county_user


def test_no_design_bonus_when_the_budget_is_not_below_the_estimate(project, county_user):
    bonus = services.record_design_bonus(
        user=county_user,
        project=project,
        approved_estimate="10000000",
        drawing_budget="10200000",
        base_design_fee="300000",
        confirmed_on=dt.date(2023, 4, 10),
    )
    assert bonus.fee_increase == 0 and bonus.reduction_percent == 0


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("approved_estimate", "0", "批复概算建安费不能为零。"),
        ("drawing_budget", "0", "施工图预算建安费不能为零。"),
        ("base_design_fee", "-300000", "施工图设计费基数不能为负数。"),
    ],
)
def test_bad_design_input_is_refused(project, county_user, field, value, message):
    data = {"approved_estimate": "10000000", "drawing_budget": "9650000", "base_design_fee": "300000", field: value}
    with pytest.raises(ValidationError) as exc:
        services.record_design_bonus(user=county_user, project=project, confirmed_on=dt.date(2023, 4, 10), **data)
    assert exc.value.message_dict == {field: [message]}
    assert not DesignBonus.objects.exists()


def test_api_savings_and_design_bonuses(project, builder_user, county_user):
    response = api_client_for(builder_user).post(
        "/api/v1/savings-bonuses/",
        {
            "project": project.pk,
            "proposer_kind": "supervisor",
            "measure": "BIM管线综合",
            "amount_saved": "1234567.89",
            "confirmed_on": "2023-06-18",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["bonus"] == "61728.39" and response.json()["confirmed_by"] == builder_user.pk
    response = api_client_for(county_user).post(
        "/api/v1/design-bonuses/",
        {
            "project": project.pk,
            "approved_estimate": "10000000",
            "drawing_budget": "9650000",
            "base_design_fee": "300000",
            "confirmed_on": "2023-04-10",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["fee_increase"] == "21000.00"
    assert response.json()["reduction_percent"] == "3.5000"
    response = api_client_for(county_user).post(
        "/api/v1/design-bonuses/",
        {
            "project": project.pk,
            "approved_estimate": "0",
            "drawing_budget": "9650000",
            "base_design_fee": "300000",
            "confirmed_on": "2023-04-10",
        },
        format="json",
    )
    assert response.status_code == 400 and response.json() == {"approved_estimate": ["批复概算建安费不能为零。"]}


def test_web_savings_form_accepts_thousands_separators_and_reports_errors(client, project, county_user):
    client.force_login(county_user)
    data = {
        "project": project.pk,
        "proposer_kind": "supervisor",
        "recipient": "",
        "builder": "",
        "measure": "装配式支吊架",
        "amount_saved": "1,234,567.89",
        "confirmed_on": "2023-06-18",
    }
    assert client.post("/awards/savings/new/", data).status_code == 302
    assert SavingsBonus.objects.get().bonus == Decimal("61728.39")
    response = client.post("/awards/savings/new/", {**data, "amount_saved": "-5"})
    assert "节约金额不能为负数。" in response.content.decode()
    response = client.post("/awards/savings/new/", {**data, "proposer_kind": "contractor"})
    assert "选择一个有效的选项" in response.content.decode()  # 施工总承包 is not offered (seed 000 六(一)3)
    assert SavingsBonus.objects.count() == 1
    page = client.get("/awards/savings/").content.decode()
    assert "61,728.39" in page and "1,234,567.89" in page and "工程总承包单位（EPC）奖励 30%" in page


def test_web_design_form(client, project, county_user):
    client.force_login(county_user)
    data = {
        "project": project.pk,
        "designer": "",
        "builder": "",
        "approved_estimate": "10,000,000",
        "drawing_budget": "9,650,000",
        "base_design_fee": "300,000",
        "confirmed_on": "2023-04-10",
    }
    response = client.post("/awards/design/new/", data, follow=True)
    assert "降低 3.5%，设计费上浮 7%，增加 21,000.00 元" in response.content.decode()
