"""The points ledger: the tender-reference window Y-N+1..Y, the city-wide ranking, scope and export."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from awards import services
from awards.querysets import EnterpriseLedger, ledger_window
from tests.awards.factories import awardable_project, catalogue
from tests.conftest import api_client_for
from tests.factories import EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def awards(db):
    return catalogue()


def grant(user, project, award, year, grant_date=None):
    grant_date = grant_date or dt.date(max(year, 2022), 12, 1)
    return services.grant_award(
        user=user, project=project, award=award, year=year, grant_date=grant_date, document_no="文号"
    )


@pytest.fixture
def contractor_a(awards, county, city_admin):
    """A: 鲁班奖 2023 (10), 汾水杯 2021 (7), 市优奖 2020 (2) → window 2021-2023 = 17, total 19."""
    a = EnterpriseFactory(name="A建设集团", kinds=["contractor"])
    grant(city_admin, awardable_project(county, contractor=a), awards["鲁班奖"], 2023)
    grant(city_admin, awardable_project(county, contractor=a), awards["汾水杯"], 2021)
    grant(city_admin, awardable_project(county, contractor=a), awards["市优奖"], 2020)
    return a


def test_the_window_is_the_reference_year_and_the_n_minus_1_years_before():
    assert ledger_window(2023, 3) == (2021, 2023)
    assert ledger_window(2023, 1) == (2023, 2023)


def test_points_exactly_n_years_back_are_out_and_n_minus_1_years_back_are_in(contractor_a):
    row = EnterpriseLedger(2023, window=3).ranked().get(pk=contractor_a.pk)
    assert row.window_points == Decimal("17")  # 2023 (10) + 2021 (7); 2020 = 2023 − 3 is out
    assert row.total_points == Decimal("19")
    assert (row.points_2021, row.points_2022, row.points_2023) == (7, 0, 10)
    row_2024 = EnterpriseLedger(2024, window=3).ranked().get(pk=contractor_a.pk)
    assert row_2024.window_points == Decimal("10")  # 2021 = 2024 − 3 drops out


def test_the_window_length_comes_from_the_setting(settings, contractor_a):
    settings.JINGPIN = {**settings.JINGPIN, "LEDGER_WINDOW_YEARS": 4}
    assert EnterpriseLedger(2023).ranked().get(pk=contractor_a.pk).window_points == Decimal("19")
    settings.JINGPIN = {**settings.JINGPIN, "LEDGER_WINDOW_YEARS": 1}
    assert EnterpriseLedger(2023).ranked().get(pk=contractor_a.pk).window_points == Decimal("10")


def test_the_ranking_orders_contractors_by_window_points_with_shared_ranks(awards, county, city_admin, contractor_a):
    b = EnterpriseFactory(name="B建设", kinds=["contractor"])
    c = EnterpriseFactory(name="C建设", kinds=["epc"])
    idle = EnterpriseFactory(name="D建设", kinds=["contractor"])
    EnterpriseFactory(name="某设计院", kinds=["design"])  # not a contractor: not in the ranking
    grant(city_admin, awardable_project(county, contractor=b), awards["鲁班奖"], 2022)
    grant(city_admin, awardable_project(county, contractor=b), awards["汾水杯"], 2023)
    grant(city_admin, awardable_project(county, contractor=c), awards["鲁班奖"], 2023)
    grant(city_admin, awardable_project(county, contractor=c), awards["汾水杯"], 2022)
    rows = [(r.name, r.rank, r.window_points) for r in EnterpriseLedger(2023).ranked()]
    assert rows == [
        ("A建设集团", 1, 17),
        ("B建设", 1, 17),
        ("C建设", 1, 17),
        ("D建设", 4, 0),
    ] or rows[:3] == sorted(rows[:3])
    assert {r[0] for r in rows} == {"A建设集团", "B建设", "C建设", "D建设"}
    assert idle.pk in {r.pk for r in EnterpriseLedger(2023).ranked()}


def test_the_rank_stays_city_wide_when_the_rows_are_restricted(awards, county, city_admin, contractor_a):
    from accounts.models import Enterprise

    b = EnterpriseFactory(name="B建设", kinds=["contractor"])
    grant(city_admin, awardable_project(county, contractor=b), awards["国优奖"], 2023)
    only_b = list(EnterpriseLedger(2023).ranked(restrict_to=Enterprise.objects.filter(pk=b.pk)))
    assert [(r.name, r.rank, r.window_points) for r in only_b] == [("B建设", 2, 8)]


def test_level_and_county_filters_change_what_is_summed(awards, county, other_county, city_admin, contractor_a):
    grant(city_admin, awardable_project(other_county, contractor=contractor_a), awards["珏山杯"], 2023)
    assert EnterpriseLedger(2023).ranked().get(pk=contractor_a.pk).window_points == 20
    assert EnterpriseLedger(2023, level="national").ranked().get(pk=contractor_a.pk).window_points == 10
    assert EnterpriseLedger(2023, county=other_county).ranked().get(pk=contractor_a.pk).window_points == 3
    data = api_client_for(city_admin).get("/api/v1/points-ledger/", {"year": 2023, "level": "provincial"}).json()
    assert [(r["name"], r["window_points"]) for r in data["results"]] == [("A建设集团", "7.00")]


def test_api_ledger_rows_show_the_window_and_points_by_year(city_admin, contractor_a):
    data = api_client_for(city_admin).get("/api/v1/points-ledger/", {"year": 2023}).json()
    row = next(r for r in data["results"] if r["id"] == contractor_a.pk)
    assert row["window"] == {"reference_year": 2023, "years": 3, "from": 2021, "to": 2023}
    assert row["points_by_year"] == {"2021": "7.00", "2022": "0.00", "2023": "10.00"}
    assert row["window_points"] == "17.00" and row["total_points"] == "19.00" and row["rank"] == 1
    detail = api_client_for(city_admin).get(f"/api/v1/points-ledger/{contractor_a.pk}/", {"year": 2024}).json()
    assert detail["window_points"] == "10.00"


def test_api_ledger_refuses_a_non_numeric_year(city_admin):
    response = api_client_for(city_admin).get("/api/v1/points-ledger/", {"year": "abc"})
    assert response.status_code == 400 and "year" in response.json()


def test_a_unit_user_sees_only_its_own_enterprises_ledger(awards, county, city_admin, contractor_a):
    b = EnterpriseFactory(name="B建设", kinds=["contractor"])
    grant(city_admin, awardable_project(county, contractor=b), awards["国优奖"], 2023)
    unit_b = UserFactory(role="unit_user", enterprise=b, username="unit_b")
    client = api_client_for(unit_b)
    data = client.get("/api/v1/points-ledger/", {"year": 2023}).json()
    assert [(r["name"], r["rank"]) for r in data["results"]] == [("B建设", 2)]
    assert client.get(f"/api/v1/points-ledger/{contractor_a.pk}/").status_code == 404
    response = client.get("/api/v1/points-ledger/", {"enterprise": contractor_a.pk})
    assert response.status_code == 400 and "A建设集团" not in response.content.decode()


def test_web_ledger_for_a_unit_user_and_its_enterprise_page(client, awards, county, city_admin, contractor_a):
    b = EnterpriseFactory(name="B建设", kinds=["contractor"])
    client.force_login(UserFactory(role="unit_user", enterprise=b, username="unit_b"))
    page = client.get("/awards/ledger/?year=2023").content.decode()
    assert "B建设" in page and "A建设集团" not in page
    assert client.get(f"/awards/enterprises/{contractor_a.pk}/").status_code == 404
    assert client.get(f"/awards/enterprises/{b.pk}/").status_code == 200


def test_ledger_export_has_one_column_per_window_year_and_real_numbers(client, city_admin, contractor_a):
    client.force_login(city_admin)
    response = client.get("/awards/ledger/?year=2023&export=xlsx")
    assert response.status_code == 200
    ws = load_workbook(BytesIO(response.content)).active
    header = [c.value for c in ws[1]]
    assert header[:6] == ["排名", "单位名称", "统一社会信用代码", "2021年积分", "2022年积分", "2023年积分"]
    assert header[6].startswith("近3年积分（2021-2023")
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[1] == "A建设集团")
    assert row[0] == 1 and row[3:8] == (7, 0, 10, 17, 19)


def test_api_ledger_export(city_admin, contractor_a):
    response = api_client_for(city_admin).get("/api/v1/points-ledger/export/", {"year": 2023})
    assert response.status_code == 200
    ws = load_workbook(BytesIO(response.content)).active
    assert ws.cell(row=2, column=2).value == "A建设集团"


def test_the_enterprise_record_page_shows_points_awards_constraints_and_bonuses(
    client, county_user, city_admin, contractor_a
):
    from tests.projects_factories import ConstraintRecordFactory

    participation = contractor_a.participations.select_related("project").first()
    ConstraintRecordFactory(participant=participation, description="项目经理连续三日未到岗。")
    client.force_login(county_user)
    response = client.get(f"/awards/enterprises/{contractor_a.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "A建设集团" in page and "鲁班奖" in page and "汾水杯" in page
    assert "项目经理连续三日未到岗" in page
    assert response.context["ledger_row"].window_points == 17


def test_the_dashboard_panel_lists_the_top_of_the_ledger(client, city_admin, contractor_a):
    client.force_login(city_admin)
    page = client.get("/").content.decode()
    assert "积分台账前五名" in page and "A建设集团" in page


def test_api_ledger_can_be_ordered_by_total_points(awards, county, city_admin, contractor_a):
    b = EnterpriseFactory(name="B建设", kinds=["contractor"])
    grant(city_admin, awardable_project(county, contractor=b), awards["鲁班奖"], 2023)
    grant(city_admin, awardable_project(county, contractor=b), awards["国优奖"], 2023)
    data = api_client_for(city_admin).get("/api/v1/points-ledger/", {"year": 2023, "ordering": "-total_points"}).json()
    assert [(r["name"], r["total_points"], r["rank"]) for r in data["results"][:2]] == [
        ("A建设集团", "19.00", 2),
        ("B建设", "18.00", 1),
    ]
