"""Regions and enterprises endpoints: filters, pagination, create/update for the city admin only."""

import pytest

from accounts.models import Enterprise, Region
from accounts.seed import make_credit_code
from tests.api_mixins import ListQueryCountMixin
from tests.conftest import api_client_for
from tests.factories import CountyFactory, EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db


class TestEnterpriseList(ListQueryCountMixin):
    list_url = "/api/v1/enterprises/"

    def make_rows(self, n):
        for i in range(n):
            EnterpriseFactory(kinds=["contractor", "epc"] if i % 2 else ["builder"])

    def reader(self):
        return UserFactory(role="county_staff", region=CountyFactory())


class TestRegionList(ListQueryCountMixin):
    list_url = "/api/v1/regions/"

    def make_rows(self, n):
        for _ in range(n):
            CountyFactory()

    def reader(self):
        return UserFactory(role="expert")


class TestUserList(ListQueryCountMixin):
    list_url = "/api/v1/users/"

    def make_rows(self, n):
        for _ in range(n):
            UserFactory(role="expert")

    def reader(self):
        return UserFactory(role="city_admin")


def test_enterprise_filters_by_kind_and_search(county_user):
    EnterpriseFactory(name="晋城市太行建筑工程有限公司", kinds=["contractor"])
    EnterpriseFactory(name="山西卓越工程监理有限公司", kinds=["supervisor"])
    client = api_client_for(county_user)
    names = [e["name"] for e in client.get("/api/v1/enterprises/?kind=supervisor").json()["results"]]
    assert names == ["山西卓越工程监理有限公司"]
    names = [e["name"] for e in client.get("/api/v1/enterprises/?q=太行").json()["results"]]
    assert names == ["晋城市太行建筑工程有限公司"]


def test_city_admin_creates_an_enterprise(city_admin):
    payload = {"name": "新登记建设公司", "credit_code": make_credit_code(777), "kinds": ["builder", "design"]}
    response = api_client_for(city_admin).post("/api/v1/enterprises/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert sorted(response.json()["kind_names"]) == sorted(["建设单位", "设计单位"])


def test_wrong_credit_code_is_a_field_error_in_chinese_and_nothing_is_written(city_admin):
    code = make_credit_code(777)
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    payload = {"name": "新登记建设公司", "credit_code": wrong, "kinds": ["builder"]}
    response = api_client_for(city_admin).post("/api/v1/enterprises/", payload, format="json")
    assert response.status_code == 400
    assert "校验位错误" in response.json()["credit_code"][0]
    assert not Enterprise.objects.filter(name="新登记建设公司").exists()


def test_missing_fields_get_chinese_messages(city_admin):
    response = api_client_for(city_admin).post("/api/v1/enterprises/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["name"] == ["该字段是必填项。"]


def test_county_user_cannot_create_or_update_enterprises(county_user):
    enterprise = EnterpriseFactory()
    client = api_client_for(county_user)
    payload = {"name": "x", "credit_code": make_credit_code(5), "kinds": ["builder"]}
    assert client.post("/api/v1/enterprises/", payload, format="json").status_code == 403
    assert client.patch(f"/api/v1/enterprises/{enterprise.pk}/", {"name": "改名"}, format="json").status_code == 403
    enterprise.refresh_from_db()
    assert enterprise.name != "改名"


def test_city_admin_updates_a_region_parameter(city_admin, county):
    response = api_client_for(city_admin).patch(
        f"/api/v1/regions/{county.pk}/", {"prefab_target_ratio": "34.00"}, format="json"
    )
    assert response.status_code == 200
    county.refresh_from_db()
    assert str(county.effective_prefab_target()) == "34.00"


def test_county_inherits_prefab_target_from_city(county):
    assert county.prefab_target_ratio is None
    assert str(county.effective_prefab_target()) == "24"


def test_enterprise_export_is_a_real_workbook(county_user):
    from io import BytesIO

    from openpyxl import load_workbook

    EnterpriseFactory(name="导出测试公司")
    response = api_client_for(county_user).get("/api/v1/enterprises/export/?q=导出")
    assert response.status_code == 200
    ws = load_workbook(BytesIO(response.content)).active
    assert ws["A1"].value == "单位名称" and ws["A2"].value == "导出测试公司"
    assert ws.freeze_panes == "A2"


def test_pagination_page_size_is_capped_at_500_rows(county_user):
    city = county_user.region.parent
    Region.objects.bulk_create(
        Region(name=f"分页县{i}", code=f"99{i:04d}", level=Region.Level.COUNTY, parent=city, order=i)
        for i in range(520)
    )
    total = Region.objects.count()
    assert total > 520
    client = api_client_for(county_user)

    body = client.get("/api/v1/regions/?page_size=100000").json()
    assert body["count"] == total
    assert len(body["results"]) == 500
    assert body["next"]

    second = client.get(body["next"]).json()
    assert len(second["results"]) == total - 500

    assert len(client.get("/api/v1/regions/?page_size=7").json()["results"]) == 7
    assert len(client.get("/api/v1/regions/").json()["results"]) == 50
