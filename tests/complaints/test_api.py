"""The ledger API: scope, contact privacy, the steps as actions, export columns, constant queries, analysis."""

from io import BytesIO

import pytest
from drf_spectacular.generators import SchemaGenerator
from openpyxl import load_workbook

from complaints.models import Complaint
from tests.api_mixins import ListQueryCountMixin
from tests.complaints.factories import file_complaint
from tests.conftest import api_client_for
from tests.factories import CountyFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/complaints/"


class TestListQueries(ListQueryCountMixin):
    list_url = URL

    def make_rows(self, n):
        county = CountyFactory(name="高平市")
        for _ in range(n):
            file_complaint(county)

    def reader(self):
        return UserFactory(role="city_admin", username="reader")


def test_a_county_lists_only_its_own(county, other_county, county_user):
    own, _ = file_complaint(county)
    other, _ = file_complaint(other_county)
    client = api_client_for(county_user)
    numbers = [r["tracking_no"] for r in client.get(URL).json()["results"]]
    assert numbers == [own.tracking_no]
    assert client.get(f"{URL}{other.pk}/").status_code == 404
    assert client.post(f"{URL}{other.pk}/accept/", {}, format="json").status_code == 404


def test_unit_users_and_anonymous_are_refused(api, county, outsider):
    file_complaint(county)
    assert api.get(URL).status_code in (401, 403)
    assert api_client_for(outsider).get(URL).status_code == 403


def test_the_contact_only_through_its_own_audited_endpoint_for_the_handler_and_the_city(
    county, county_user, city_admin
):
    complaint, _ = file_complaint(county, phone="13912345678")
    same_county = UserFactory(role="county_staff", region=county, username="same")
    contact_url = f"{URL}{complaint.pk}/contact/"
    refused = api_client_for(same_county).get(contact_url)
    assert refused.status_code == 403 and "承办人" in refused.json()["detail"]
    api_client_for(county_user).post(f"{URL}{complaint.pk}/accept/", {"note": "受理"}, format="json")
    for user in (county_user, city_admin, same_county):
        client = api_client_for(user)
        assert "13912345678" not in str(client.get(f"{URL}{complaint.pk}/").json())  # never in the detail
        assert "13912345678" not in str(client.get(URL).json())  # nor the list
        export = client.get(f"{URL}export/")
        cells = {str(c.value) for row in load_workbook(BytesIO(export.content)).active.iter_rows() for c in row}
        assert "13912345678" not in cells  # nor any export
    assert api_client_for(county_user).get(contact_url).json()["complainant_phone"] == "13912345678"
    assert api_client_for(city_admin).get(contact_url).json()["complainant_phone"] == "13912345678"
    assert api_client_for(same_county).get(contact_url).status_code == 403
    views = list(complaint.contact_views.order_by("at", "pk").values_list("viewer__username", "channel"))
    assert views == [("owner", "api"), ("city_admin", "api")]


def test_the_steps_through_the_api_with_chinese_errors(county, county_user):
    complaint, _ = file_complaint(county)
    client = api_client_for(county_user)
    bad = client.post(
        f"{URL}{complaint.pk}/close/", {"findings": "x", "reply": "y", "substantiated": "no"}, format="json"
    )
    assert bad.status_code == 400 and "不能转为" in str(bad.json())
    assert client.post(f"{URL}{complaint.pk}/accept/", {}, format="json").status_code == 200
    assert client.post(f"{URL}{complaint.pk}/investigate/", {}, format="json").status_code == 200
    missing = client.post(f"{URL}{complaint.pk}/close/", {"findings": "已核查"}, format="json")
    assert missing.status_code == 400 and {"reply", "substantiated"} <= set(missing.json())
    assert missing.json()["substantiated"] == ["请选择核查结论（属实、部分属实或不属实）。"]
    data = {"findings": "已核查", "reply": "经核查不属实", "substantiated": "no"}
    done = client.post(f"{URL}{complaint.pk}/close/", data, format="json")
    assert done.status_code == 200 and done.json()["status"] == "closed"
    assert [e["action"] for e in done.json()["events"]] == ["submit", "accept", "investigate", "close"]
    assert Complaint.objects.get(pk=complaint.pk).status == "closed"


def test_only_the_city_reassigns(county, other_county, county_user, city_admin):
    complaint, _ = file_complaint(county)
    data = {"county": other_county.pk, "reason": "属地错误"}
    assert api_client_for(county_user).post(f"{URL}{complaint.pk}/reassign/", data, format="json").status_code == 403
    response = api_client_for(city_admin).post(f"{URL}{complaint.pk}/reassign/", data, format="json")
    assert response.status_code == 200 and response.json()["county"] == other_county.pk


def test_analysis_counts_the_users_scope(clock, county, other_county, county_user, city_admin):
    for _ in range(2):
        file_complaint(county, category="safety")
    file_complaint(other_county)
    mine = api_client_for(county_user).get(f"{URL}analysis/", {"year": 2024}).json()
    city = api_client_for(city_admin).get(f"{URL}analysis/", {"year": 2024}).json()
    assert mine["received"] == 2 and city["received"] == 3
    assert {r["category"]: r["count"] for r in mine["by_category"]} == {"质量": 0, "安全": 2, "文明施工": 0, "其他": 0}
    assert api_client_for(city_admin).get(f"{URL}analysis/", {"year": "abc"}).status_code == 400


def test_the_schema_allows_a_blank_verdict_until_the_complaint_is_closed(db):
    """核查结论 is empty on every open complaint: the published schema says so (the API fuzz checks every response
    against it)."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    field = schema["components"]["schemas"]["Complaint"]["properties"]["substantiated"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in field["oneOf"]
