"""The internal 重点监管名单 (issue 24: "an internal 重点监管名单 (grade C/D) for staff"): who is on it, who may
read it, its filters (grade, county: enterprises active in the county), and its Excel export from the web list
and the API."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from credit.list_exports import WATCHLIST_COLUMNS
from tests.api_mixins import ListQueryCountMixin
from tests.conftest import api_client_for
from tests.credit.list_factories import entry, score_all
from tests.factories import CountyFactory, EnterpriseFactory, UserFactory
from tests.projects_factories import ParticipantFactory, ProjectFactory
from tests.xlsx import sheet_headers, sheet_rows

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))
URL = "/credit/lists/watchlist/"
API = "/api/v1/credit-watchlist/"


def listed(client, **params) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return [s.enterprise.name for s in response.context["object_list"]]


def test_the_watchlist_is_grades_c_and_d_worst_first(client, city_admin, members):
    client.force_login(city_admin)
    assert listed(client) == [members["d"].name, members["c"].name]
    assert reverse("credit_lists:watchlist") == URL


@pytest.mark.parametrize("role", ["city_admin", "county_staff"])
def test_the_bureaus_staff_read_it(client, members, county, role):
    client.force_login(UserFactory(role=role, region=county if role == "county_staff" else None))
    assert set(listed(client)) == {members["c"].name, members["d"].name}


@pytest.mark.parametrize("role", ["unit_user", "expert"])
def test_units_and_experts_do_not(client, members, role):
    user = UserFactory(role=role, enterprise=members["d"] if role == "unit_user" else None)
    client.force_login(user)
    assert client.get(URL).status_code == 403
    assert api_client_for(user).get(API).status_code == 403
    assert api_client_for(user).get(API + "export/").status_code == 403


def test_anonymous_is_sent_to_the_login(client, members):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_each_row_counts_the_bad_entries_in_force_and_names_the_latest(client, city_admin, members):
    client.force_login(city_admin)
    rows = {s.enterprise_id: s for s in client.get(URL).context["object_list"]}
    d = rows[members["d"].pk]
    assert (d.bad_in_force, d.latest_bad_behaviour, d.latest_bad_on, d.latest_bad_document_no) == (
        6,
        "constraint_serious",
        dt.date(2026, 5, 20),
        "高建约〔2026〕2号",
    )
    c = rows[members["c"].pk]
    assert (c.bad_in_force, c.latest_bad_behaviour) == (3, "constraint_serious")
    html = client.get(URL).content.decode()
    assert reverse("credit:record", args=[members["d"].pk]) in html
    assert "约束记录（较重）" in html


def test_the_grade_filter(client, city_admin, members):
    client.force_login(city_admin)
    assert listed(client, grade="D") == [members["d"].name]
    assert listed(client, grade="C") == [members["c"].name]


def test_the_county_filter_keeps_the_enterprises_active_in_the_county(client, city_admin, today):
    gaoping, yangcheng = CountyFactory(name="高平市"), CountyFactory(name="阳城县")
    registered = EnterpriseFactory(name="高平注册单位", region=gaoping)
    building = EnterpriseFactory(name="在高平施工的外地单位", region=None)
    ParticipantFactory(project=ProjectFactory(county=gaoping), enterprise=building)
    elsewhere = EnterpriseFactory(name="阳城单位", region=yangcheng)
    for enterprise in (registered, building, elsewhere):
        for i in range(3):
            entry(enterprise, "penalty", dt.date(2026, 3, 1 + i))
    score_all([registered, building, elsewhere], today)
    client.force_login(city_admin)
    assert set(listed(client, county=gaoping.pk)) == {"高平注册单位", "在高平施工的外地单位"}
    assert listed(client, county=yangcheng.pk) == ["阳城单位"]
    assert set(listed(client)) == {"高平注册单位", "在高平施工的外地单位", "阳城单位"}


def test_the_search_by_name_or_credit_code(client, city_admin, members):
    client.force_login(city_admin)
    assert listed(client, q="丁级") == [members["d"].name]
    assert listed(client, q=members["c"].credit_code) == [members["c"].name]


def test_the_excel_export_holds_the_filtered_rows_with_the_lists_columns(client, city_admin, members):
    client.force_login(city_admin)
    response = client.get(URL, {"grade": "D", "export": "xlsx"})
    assert response.status_code == 200
    assert sheet_headers(response.content) == [c.header for c in WATCHLIST_COLUMNS]
    rows = sheet_rows(response.content)
    assert [(r["单位名称"], r["信用等级"], r["信用分"], r["有效不良记录数"], r["文号"]) for r in rows] == [
        (members["d"].name, "D", 70, 6, "高建约〔2026〕2号")
    ]
    assert rows[0]["最近不良行为"] == "约束记录（较重）"


def test_the_api_lists_and_exports_the_same_rows(client, city_admin, members):
    api = api_client_for(city_admin)
    body = api.get(API).json()
    assert [r["enterprise_name"] for r in body["results"]] == [members["d"].name, members["c"].name]
    first = body["results"][0]
    assert (first["grade"], first["score"], first["bad_in_force"]) == ("D", "70.00", 6)
    assert first["latest_bad"]["document_no"] == "高建约〔2026〕2号"
    assert [r["enterprise_name"] for r in api.get(API, {"grade": "C"}).json()["results"]] == [members["c"].name]
    client.force_login(city_admin)
    web = client.get(URL, {"export": "xlsx"})
    exported = api.get(API + "export/")
    assert sheet_headers(exported.content) == sheet_headers(web.content)
    assert [r["单位名称"] for r in sheet_rows(exported.content)] == [members["d"].name, members["c"].name]


class TestWatchlistApiQueryCount(ListQueryCountMixin):
    list_url = API

    def make_rows(self, n):
        enterprises = [EnterpriseFactory() for _ in range(n)]
        for enterprise in enterprises:
            entry(enterprise, "penalty", dt.date(2026, 3, 1))
            entry(enterprise, "penalty", dt.date(2026, 3, 2))
            entry(enterprise, "notice_escalated", dt.date(2026, 3, 3))
        score_all(enterprises, dt.date(2026, 6, 15))

    def reader(self):
        return UserFactory(role="city_admin", username="watch_reader")

    @pytest.fixture(autouse=True)
    def _today(self):
        with time_machine.travel(dt.datetime(2026, 6, 15, 10, tzinfo=TZ), tick=False):
            yield
