"""Who reads which credit rows through the API: the city and every county read every enterprise's record (a county
checks a bidder from elsewhere); a unit user its own enterprise's only; an expert none; anonymous nobody. Rows out
of scope are 404, never 403, so their existence does not leak."""

from __future__ import annotations

import datetime as dt

import pytest

from credit import services
from tests.conftest import api_client_for
from tests.credit.factories import make_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(folks):
    mine = make_entry(
        folks.enterprise, "penalty", dt.date(2026, 3, 1), county=folks.county, document_no="高建罚〔2026〕3号"
    )
    theirs = make_entry(folks.other_enterprise, "complaint", dt.date(2026, 4, 1), county=folks.other_county)
    appeal = services.submit_appeal(mine, user=folks.member, reasons="已按期缴纳罚款并整改完毕。")
    return {"mine": mine, "theirs": theirs, "appeal": appeal}


def ids(response):
    assert response.status_code == 200, response.content[:300]
    return {row.get("id", row.get("enterprise")) for row in response.json()["results"]}


def test_the_bureau_reads_every_enterprises_entries_and_standings(folks, rows):
    both = {rows["mine"].pk, rows["theirs"].pk}
    for user in (folks.city, folks.staff, folks.colleague):
        api = api_client_for(user)
        assert ids(api.get("/api/v1/credit-entries/")) == both, user.username
        assert ids(api.get("/api/v1/credit-standings/")) == {folks.enterprise.pk, folks.other_enterprise.pk}
        assert api.get(f"/api/v1/credit-entries/{rows['theirs'].pk}/").status_code == 200


def test_a_unit_user_reads_only_its_own_enterprises_record(folks, rows):
    api = api_client_for(folks.member)
    assert ids(api.get("/api/v1/credit-entries/")) == {rows["mine"].pk}
    assert ids(api.get("/api/v1/credit-standings/")) == {folks.enterprise.pk}
    assert ids(api.get("/api/v1/credit-appeals/")) == {rows["appeal"].pk}
    assert api.get(f"/api/v1/credit-entries/{rows['theirs'].pk}/").status_code == 404
    assert api.get(f"/api/v1/credit-standings/{folks.other_enterprise.pk}/").status_code == 404
    assert api.get(f"/api/v1/enterprises/{folks.other_enterprise.pk}/credit/").status_code == 404
    assert api.get(f"/api/v1/enterprises/{folks.enterprise.pk}/credit/").status_code == 200
    # filtering by another enterprise does not open it either
    assert ids(api.get(f"/api/v1/credit-entries/?credit_code={folks.other_enterprise.credit_code}")) == set()


def test_the_other_enterprises_user_sees_none_of_the_first_ones_rows(folks, rows):
    api = api_client_for(folks.outsider)
    assert ids(api.get("/api/v1/credit-entries/")) == {rows["theirs"].pk}
    assert ids(api.get("/api/v1/credit-appeals/")) == set()
    assert api.get(f"/api/v1/credit-entries/{rows['mine'].pk}/").status_code == 404
    assert api.get(f"/api/v1/credit-appeals/{rows['appeal'].pk}/").status_code == 404


def test_appeals_belong_to_the_county_that_decides_them(folks, rows):
    assert ids(api_client_for(folks.city).get("/api/v1/credit-appeals/")) == {rows["appeal"].pk}
    assert ids(api_client_for(folks.staff).get("/api/v1/credit-appeals/")) == {rows["appeal"].pk}
    colleague = api_client_for(folks.colleague)
    assert ids(colleague.get("/api/v1/credit-appeals/")) == set()
    assert colleague.get(f"/api/v1/credit-appeals/{rows['appeal'].pk}/").status_code == 404


def test_experts_are_refused_every_credit_endpoint(folks, rows):
    api = api_client_for(folks.expert)
    for url in (
        "/api/v1/credit-entries/",
        "/api/v1/credit-entries/export/",
        "/api/v1/credit-standings/",
        "/api/v1/credit-appeals/",
        "/api/v1/credit-rules/",
        f"/api/v1/enterprises/{folks.enterprise.pk}/credit/",
    ):
        assert api.get(url).status_code == 403, url


def test_unit_users_do_not_read_the_rule_versions_list(folks):
    assert api_client_for(folks.member).get("/api/v1/credit-rules/").status_code == 403
    assert api_client_for(folks.staff).get("/api/v1/credit-rules/").status_code == 200


def test_anonymous_is_refused(api, folks, rows):
    for url in (
        "/api/v1/credit-entries/",
        "/api/v1/credit-entries/export/?filetype=csv",
        "/api/v1/credit-standings/",
        "/api/v1/credit-appeals/",
        "/api/v1/credit-rules/",
        f"/api/v1/enterprises/{folks.enterprise.pk}/credit/",
    ):
        assert api.get(url).status_code in (401, 403), url


def test_an_entry_row_carries_the_enterprise_the_behaviour_the_rule_and_the_source(folks, rows):
    row = api_client_for(folks.staff).get(f"/api/v1/credit-entries/{rows['mine'].pk}/").json()
    assert row["enterprise"] == folks.enterprise.pk
    assert row["enterprise_name"] == "晋城市第一建筑工程有限公司"
    assert row["credit_code"] == folks.enterprise.credit_code
    assert (row["behaviour"], row["behaviour_display"]) == ("penalty", "行政处罚")
    assert (row["polarity"], row["polarity_display"]) == ("bad", "不良行为")
    assert row["document_no"] == "高建罚〔2026〕3号"
    assert (row["occurred_on"], row["valid_until"]) == ("2026-03-01", "2027-02-28")  # 1 year
    assert row["points"] == "-5.00"
    assert row["rule_version"] == 1
    assert (row["source_type"], row["source_label"]) == ("constraint", "约束记录")
    assert row["source_url"] == "http://testserver/projects/1/#constraints"
    assert (row["state"], row["state_display"]) == ("in_force", "有效")
    assert (row["county"], row["county_name"]) == (folks.county.pk, "高平市")
    assert row["withdrawn_on"] is None


@pytest.mark.parametrize("pk", ["abc", "-1", "1.5", "99999999999999999999999"])
def test_ids_that_are_no_ids_are_404(folks, pk):
    api = api_client_for(folks.city)
    for url in ("credit-entries", "credit-standings", "credit-appeals", "credit-rules"):
        assert api.get(f"/api/v1/{url}/{pk}/").status_code == 404, (url, pk)
    assert api.get(f"/api/v1/enterprises/{pk}/credit/").status_code == 404, pk
