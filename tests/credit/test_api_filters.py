"""The credit lists' filters (credit/filters.py, the same for the web lists): enterprise, credit code, behaviour,
polarity, severity, state on a date, occurred range, county; grade and the lists for the standings. The state
filter and the row's state are one notion (``CreditEntry.state``): a table of state × day."""

from __future__ import annotations

import datetime as dt

import pytest

from credit import services
from credit.choices import EntryState
from credit.models import CreditEntry
from tests.conftest import api_client_for
from tests.credit.factories import make_entry
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(folks):
    e, o = folks.enterprise, folks.other_enterprise
    made = {
        "award": make_entry(e, "award", dt.date(2025, 5, 20), county=folks.county, catalogue_points=6),
        "penalty": make_entry(e, "penalty", dt.date(2026, 3, 1), county=folks.county, document_no="高建罚〔2026〕3号"),
        "old_minor": make_entry(e, "constraint_minor", dt.date(2025, 1, 10), county=folks.county),  # expired 2026-01-09
        "major": make_entry(o, "constraint_major", dt.date(2026, 2, 1), county=folks.other_county),
        "complaint": make_entry(o, "complaint", dt.date(2026, 5, 1), county=folks.other_county),
    }
    # the complaint withdrawn on appeal on 2026-06-01
    CreditEntry.objects.filter(pk=made["complaint"].pk).update(
        withdrawn_on=dt.date(2026, 6, 1), withdrawn_reason="查无实据"
    )
    services.rescore([o.pk])
    return made


def listed(user, query: str) -> set[int]:
    response = api_client_for(user).get(f"/api/v1/credit-entries/?{query}")
    assert response.status_code == 200, response.content[:300]
    return {row["id"] for row in response.json()["results"]}


def pks(entries, *names) -> set[int]:
    return {entries[n].pk for n in names}


def test_by_enterprise_credit_code_behaviour_polarity_and_severity(folks, entries):
    city = folks.city
    assert listed(city, f"enterprise={folks.enterprise.pk}") == pks(entries, "award", "penalty", "old_minor")
    assert listed(city, f"credit_code={folks.other_enterprise.credit_code}") == pks(entries, "major", "complaint")
    assert listed(city, "behaviour=penalty") == pks(entries, "penalty")
    assert listed(city, "polarity=good") == pks(entries, "award")
    assert listed(city, "severity=major") == pks(entries, "major")
    assert listed(city, f"county={folks.other_county.pk}") == pks(entries, "major", "complaint")
    assert listed(city, "q=高建罚") == pks(entries, "penalty")
    assert listed(city, "source_type=constraint") == set(pks(entries, *entries))


def test_by_occurred_range(folks, entries):
    assert listed(folks.city, "occurred_from=2026-01-01&occurred_to=2026-03-31") == pks(entries, "penalty", "major")
    assert listed(folks.city, "occurred_to=2025-01-10") == pks(entries, "old_minor")


def test_by_state_today_and_on_a_past_day(folks, entries):
    city = folks.city
    assert listed(city, "state=in_force") == pks(entries, "award", "penalty", "major")
    assert listed(city, "state=expired") == pks(entries, "old_minor")
    assert listed(city, "state=withdrawn") == pks(entries, "complaint")
    assert listed(city, "state=pending") == set()
    # on 2026-01-05 the minor constraint was still in force; the penalty and the complaint not yet recorded
    assert listed(city, "state=in_force&on=2026-01-05") == pks(entries, "award", "old_minor")
    assert listed(city, "state=pending&on=2026-01-05") == pks(entries, "penalty", "major", "complaint")
    assert listed(city, "state=in_force&on=2026-05-15") == pks(entries, "award", "penalty", "major", "complaint")
    rows = api_client_for(city).get("/api/v1/credit-entries/?on=2026-05-15&behaviour=complaint").json()["results"]
    assert [(r["state"], r["state_display"]) for r in rows] == [("in_force", "有效")]


def test_the_state_filter_and_the_rows_state_agree_on_every_day(folks, entries):
    days = [dt.date(2025, 1, 9), dt.date(2025, 1, 10), dt.date(2026, 1, 9), dt.date(2026, 1, 10), dt.date(2026, 6, 1)]
    days += [dt.date(2026, 5, 31), dt.date(2027, 1, 31), dt.date(2028, 5, 20)]
    for day in days:
        for entry in CreditEntry.objects.all():
            states = {s for s in EntryState if CreditEntry.objects.in_state(s, day).filter(pk=entry.pk).exists()}
            assert states == {entry.state(day)}, (entry.behaviour, day, states)


def test_bad_filter_values_are_400_in_chinese(folks, entries):
    api = api_client_for(folks.city)
    for query in ("state=gone", "on=2026-13-45", "occurred_from=yesterday", "behaviour=bribery", "county=abc"):
        response = api.get(f"/api/v1/credit-entries/?{query}")
        assert response.status_code == 400, query
        message = str(response.json())
        assert any("\u4e00" <= ch <= "\u9fff" for ch in message), (query, message)


def test_standings_by_grade_blacklist_redlist_and_watchlist(folks, entries):
    a = folks.enterprise  # 100 + 6 − 5 = 101: B
    b = folks.other_enterprise  # 100 − 10 = 90: B, but a 严重 entry in force: 黑名单
    c_ent = EnterpriseFactory(name="陵川县建工集团")
    for _ in range(4):
        make_entry(c_ent, "constraint_serious", dt.date(2026, 5, 2))  # 100 − 20 = 80: C
    api = api_client_for(folks.staff)

    def standings(query):
        response = api.get(f"/api/v1/credit-standings/?{query}")
        assert response.status_code == 200, response.content[:300]
        return {row["enterprise"]: (row["score"], row["grade"]) for row in response.json()["results"]}

    assert standings("") == {a.pk: ("101.00", "B"), b.pk: ("90.00", "B"), c_ent.pk: ("80.00", "C")}
    assert set(standings("grade=C")) == {c_ent.pk}
    assert set(standings("blacklisted=true")) == {b.pk}
    assert set(standings("blacklisted=false")) == {a.pk, c_ent.pk}
    assert set(standings("watchlist=true")) == {c_ent.pk}
    assert set(standings("redlisted=true")) == set()
    assert set(standings(f"credit_code={a.credit_code}")) == {a.pk}
    row = api.get(f"/api/v1/credit-standings/{b.pk}/").json()
    assert (row["blacklisted"], row["redlisted"], row["watched"], row["major_in_force"]) == (True, False, False, True)
    assert row["rule_version"] == 1 and row["entries_in_force"] == 1
