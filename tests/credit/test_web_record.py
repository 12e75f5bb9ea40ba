"""An enterprise's 诚信档案 page: the standing with the rule version that computed it and the list badges, every
entry with its date, 文号, source, points, validity and state, filters, the grade on a past day (the tender date),
the score history — and a constant number of queries whatever the number of entries."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from credit import services
from credit.models import CreditEntry
from tests.conftest import SHANGHAI as TZ
from tests.credit.factories import add_entry
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(county):
    """An enterprise through a year: an award, a penalty, a major constraint record, each scored on its day."""
    enterprise = EnterpriseFactory(name="晋城市安泰建筑工程有限公司")
    steps = [
        (dt.date(2025, 9, 1), "award", {"catalogue_points": 8, "document_no": "晋市建〔2025〕40号"}),
        (dt.date(2026, 1, 20), "penalty", {"document_no": "高住建罚〔2026〕3号", "county": county}),
        (dt.date(2026, 5, 4), "constraint_major", {"county": county}),
    ]
    for day, behaviour, extra in steps:
        with time_machine.travel(dt.datetime.combine(day, dt.time(10), TZ), tick=False):
            add_entry(enterprise, behaviour, day, **extra)
    return enterprise


def test_the_header_shows_score_grade_rule_version_and_badges(client, history, today, county_user):
    client.force_login(county_user)
    response = client.get(f"/credit/enterprises/{history.pk}/")
    page = response.content.decode()
    assert history.credit_code in page
    assert response.context["standing"].score == 93  # 100 + 8 − 5 − 10
    assert response.context["standing"].grade == "B"
    assert [label for label, _ in response.context["badges"]] == ["黑名单"]  # a 严重 entry in force
    assert "信用评价规则第1版</a>计算，自 2026-05-04 起" in page


def test_every_entry_shows_its_state_source_and_document_number(client, history, today, county, county_user):
    withdrawn = add_entry(history, "complaint", dt.date(2026, 2, 1), county=county)
    CreditEntry.objects.filter(pk=withdrawn.pk).update(withdrawn_on=dt.date(2026, 3, 1), withdrawn_reason="查无实据")
    add_entry(history, "notice_escalated", dt.date(2024, 3, 1), county=county)  # expired 2025-02-28
    add_entry(history, "jingpin", dt.date(2026, 7, 1))  # dated after today: not yet in force
    client.force_login(county_user)
    response = client.get(f"/credit/enterprises/{history.pk}/")
    states = {e.behaviour: e.state_label for e in response.context["entries"]}
    assert states == {
        "award": "有效",
        "penalty": "有效",
        "constraint_major": "有效",
        "complaint": "申诉撤销",
        "notice_escalated": "已过期",
        "jingpin": "尚未生效",
    }
    page = response.content.decode()
    assert "高住建罚〔2026〕3号" in page and "晋市建〔2025〕40号" in page
    assert "2027-01-19" in page  # the penalty's last valid day
    assert 'href="/projects/"' in page  # the source record


@pytest.mark.parametrize(
    "query, expected",
    [
        ("polarity=good", {"award"}),
        ("polarity=bad", {"penalty", "constraint_major"}),
        ("state=in_force", {"award", "penalty", "constraint_major"}),
        ("state=expired", set()),
        ("polarity=bad&state=in_force", {"penalty", "constraint_major"}),
    ],
)
def test_the_entries_filter_by_polarity_and_state(client, history, today, county_user, query, expected):
    client.force_login(county_user)
    response = client.get(f"/credit/enterprises/{history.pk}/?{query}")
    assert {e.behaviour for e in response.context["entries"]} == expected


def test_the_grade_on_a_past_day_is_what_the_record_showed(client, history, today, county_user):
    client.force_login(county_user)
    url = f"/credit/enterprises/{history.pk}/"
    cases = {
        "2025-08-31": (100, "B", None),  # before any entry: the base
        "2025-12-01": (108, "A", dt.date(2025, 9, 1)),
        "2026-03-15": (103, "B", dt.date(2026, 1, 20)),  # the tender date
        "2026-06-15": (93, "B", dt.date(2026, 5, 4)),
    }
    for day, (score, grade, as_of) in cases.items():
        response = client.get(url, {"on": day})
        on_day = response.context["on_day"]
        assert (on_day["standing"].score, on_day["standing"].grade) == (score, grade), day
        assert (on_day["row"].as_of if on_day["row"] else None) == as_of, day
        assert on_day["rule"].version == 1
    page = client.get(url, {"on": "2026-03-15"}).content.decode()
    assert "2026年3月15日" in page and "信用评价规则第1版计算" in page


def test_a_day_in_the_future_or_garbage_is_refused_in_chinese(client, history, today, county_user):
    client.force_login(county_user)
    url = f"/credit/enterprises/{history.pk}/"
    response = client.get(url, {"on": "2026-06-16"})
    assert response.context["on_day"] is None and "查询日期不能晚于今天。" in response.content.decode()
    response = client.get(url, {"on": "abc"})
    assert response.status_code == 200 and response.context["on_day"] is None


def test_the_score_history_lists_each_change_with_its_rule(client, history, today, county_user):
    client.force_login(county_user)
    response = client.get(f"/credit/enterprises/{history.pk}/")
    assert [(h.as_of, h.score, h.rule.version) for h in response.context["history"]] == [
        (dt.date(2026, 5, 4), 93, 1),
        (dt.date(2026, 1, 20), 103, 1),
        (dt.date(2025, 9, 1), 108, 1),
    ]


def test_an_enterprise_without_entries_shows_the_base_score(client, today, city_admin):
    blank = EnterpriseFactory()
    client.force_login(city_admin)
    response = client.get(f"/credit/enterprises/{blank.pk}/")
    page = response.content.decode()
    assert response.context["standing"].score == 100 and response.context["standing"].grade == "B"
    assert "暂无信用记录，按" in page and "暂无信用记录。" in page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_the_query_count_does_not_grow_with_the_entries(client, history, today, county, county_user):
    client.force_login(county_user)
    url = f"/credit/enterprises/{history.pk}/?on=2026-03-15"
    few = _queries(client, url)
    for i in range(15):
        entry = add_entry(
            history, "complaint", dt.date(2026, 6, 1) - dt.timedelta(days=i), county=county, rescore=False
        )
        if i % 3 == 0:
            entry.appeals.create(enterprise=history, reasons="不实")
    services.rescore([history.pk])
    assert _queries(client, url) == few


def test_the_unit_users_own_page_offers_no_staff_links(client, history, today):
    from tests.factories import UserFactory

    member = UserFactory(role="unit_user", enterprise=history, username="member")
    client.force_login(member)
    page = client.get(f"/credit/enterprises/{history.pk}/").content.decode()
    assert "/credit/rule/" not in page and "返回单位列表" not in page
    assert page.count('data-testid="appeal"') == 2  # the penalty and the constraint record, not the award
