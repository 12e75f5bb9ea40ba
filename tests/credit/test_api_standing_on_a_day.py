"""``GET /api/v1/enterprises/{id}/credit/?on=YYYY-MM-DD``: "what was this company's grade on the tender date" —
the score and grade the record showed that day, with the rule version that computed it (services.standing_on)."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
import time_machine

from credit import scoring, services
from tests.conftest import SHANGHAI, api_client_for
from tests.projects_factories import ConstraintRecordFactory, ParticipantFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def on_day(day: dt.date):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 9, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def history(folks):
    """Constraint records (their entries made by the source): 2026-01-10 资质挂靠, 严重 (−10: 90, B, 黑名单);
    2026-03-01 材料, 较重 (−5: 85, C); 2026-06-15 the city adopts version 2 with base 110 (today: 95, B)."""
    participant = ParticipantFactory(enterprise=folks.enterprise, project=ProjectFactory(county=folks.county))
    with on_day(dt.date(2026, 1, 10)):
        ConstraintRecordFactory(participant=participant, kind="affiliation", occurred_on=dt.date(2026, 1, 10))
    with on_day(dt.date(2026, 3, 1)):
        ConstraintRecordFactory(participant=participant, kind="material", occurred_on=dt.date(2026, 3, 1))
    data = copy.deepcopy(scoring.DEFAULT_RULE)
    data["base"] = "110"
    services.adopt_rule(data, user=folks.city, note="基础分调整为110分。")
    return folks.enterprise


def credit(user, enterprise, on=""):
    return api_client_for(user).get(f"/api/v1/enterprises/{enterprise.pk}/credit/" + (f"?on={on}" if on else ""))


def test_the_grade_on_a_tender_date_in_the_past(folks, history):
    body = credit(folks.staff, history, "2026-02-01").json()
    assert body["enterprise"] == history.pk and body["credit_code"] == history.credit_code
    assert (body["on"], body["score"], body["grade"], body["grade_display"]) == (
        "2026-02-01",
        "90.00",
        "B",
        "B级（基本守信）",
    )
    assert (body["major_in_force"], body["blacklisted"], body["watched"]) == (True, True, False)
    assert (body["rule_version"], body["since"], body["entries_in_force"]) == (1, "2026-01-10", 1)
    body = credit(folks.staff, history, "2026-04-01").json()
    assert (body["score"], body["grade"], body["watched"], body["since"]) == ("85.00", "C", True, "2026-03-01")


def test_today_shows_the_new_rule_version(folks, history):
    body = credit(folks.member, history).json()
    assert (body["on"], body["score"], body["grade"], body["rule_version"]) == ("2026-06-15", "95.00", "B", 2)


def test_before_any_entry_the_base_score_of_that_days_rule(folks, history):
    body = credit(folks.city, history, "2025-12-31").json()
    assert (body["score"], body["grade"], body["rule_version"], body["since"]) == ("100.00", "B", 1, None)
    assert (body["major_in_force"], body["entries_in_force"], body["blacklisted"]) == (False, 0, False)


def test_an_enterprise_without_any_entry_has_the_base_score(folks):
    body = credit(folks.staff, folks.other_enterprise).json()
    assert (body["score"], body["grade"], body["since"]) == ("100.00", "B", None)


def test_a_future_or_invalid_day_is_a_400_in_chinese(folks, history):
    response = credit(folks.city, history, "2026-06-16")
    assert response.status_code == 400
    assert response.json() == {"on": ["日期不能晚于今天（信用分只记录已经发生的情况）。"]}
    assert credit(folks.city, history, "2026-02-30").status_code == 400


def test_an_unknown_enterprise_is_404(folks):
    assert api_client_for(folks.city).get("/api/v1/enterprises/999999/credit/").status_code == 404
