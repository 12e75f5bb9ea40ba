"""The public 红榜 and 黑名单 show exactly the enterprises the rule puts there (issue 24: "红榜 (grade A) and 黑名单
(grade D, or any 严重 entry in force)"), with the entries that put them there, searchable and paginated."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from credit import lists, scoring
from credit.models import CreditStanding
from tests.credit.list_factories import entry, score_all
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))


def shown(client, name: str, **params) -> list[str]:
    response = client.get(reverse(f"credit_public:{name}"), params)
    assert response.status_code == 200
    return [row.name for row in response.context["rows"]]


def names(members, *keys) -> set[str]:
    return {members[k].name for k in keys}


def test_the_red_list_is_grade_a_without_a_major_entry_in_force(client, members):
    assert set(shown(client, "redlist")) == names(members, "a", "expired_major")


def test_the_black_list_is_grade_d_or_a_major_entry_in_force(client, members):
    assert set(shown(client, "blacklist")) == names(members, "d", "b_major", "a_major")


def test_the_lists_agree_with_the_rules_predicates_for_every_enterprise(members):
    standings = {s.enterprise_id: s for s in CreditStanding.objects.all()}
    red = {s.enterprise_id for s in lists.public_list(lists.REDLIST)}
    black = {s.enterprise_id for s in lists.public_list(lists.BLACKLIST)}
    for key, enterprise in members.items():
        s = standings.get(enterprise.pk)
        grade, major = (s.grade, s.major_in_force) if s else ("B", False)
        assert (enterprise.pk in red) == scoring.on_redlist(grade, major), key
        assert (enterprise.pk in black) == scoring.on_blacklist(grade, major), key
    assert not red & black  # one company is never on both lists


def test_the_scores_are_those_of_the_rule(members):
    expected = {
        "a": ("113.00", "A", False),
        "b": ("98.00", "B", False),
        "c": ("87.00", "C", False),
        "d": ("70.00", "D", False),
        "b_major": ("90.00", "B", True),
        "a_major": ("113.00", "A", True),
        "expired_major": ("110.00", "A", False),
        "withdrawn_major": ("100.00", "B", False),
    }
    got = {
        key: (str(s.score), s.grade, s.major_in_force)
        for key, s in ((k, CreditStanding.objects.filter(enterprise=e).first()) for k, e in members.items())
        if s is not None
    }
    assert got == expected
    assert not CreditStanding.objects.filter(enterprise=members["none"]).exists()


def test_the_black_list_gives_each_bad_entry_in_force_with_its_behaviour_document_date_and_period(client, members):
    response = client.get(reverse("credit_public:blacklist"))
    rows = {r.name: r for r in response.context["rows"]}
    a_major = rows[members["a_major"].name]
    assert a_major.reasons == ("有效期内有严重不良行为记录",)
    assert [(e.behaviour, e.document_no, e.occurred_on, e.valid_until) for e in a_major.entries] == [
        ("约束记录（严重）", "晋市建约〔2026〕5号", dt.date(2026, 4, 1), dt.date(2028, 3, 31))
    ]  # the awards that keep its score at A are not reasons
    d = rows[members["d"].name]
    assert d.reasons == ("信用等级D级",)
    assert len(d.entries) == 6
    assert d.entries[0].document_no == "高建约〔2026〕2号"  # newest first
    html = response.content.decode()
    for text in ("晋市建约〔2026〕5号", "2026-04-01", "2028-03-31", "约束记录（严重）", members["d"].credit_code):
        assert text in html
    # an expired or withdrawn 严重 entry is no reason (and its enterprise is not listed)
    assert "晋市建约〔2023〕1号" not in html and "晋市建约〔2026〕2号" not in html


def test_the_red_list_gives_the_good_entries_in_force_with_their_document(client, members):
    response = client.get(reverse("credit_public:redlist"))
    rows = {r.name: r for r in response.context["rows"]}
    assert [(e.behaviour, e.document_no) for e in rows[members["a"].name].entries] == [
        ("示范项目", "晋市建〔2026〕3号"),
        ("获奖", "建质〔2025〕88号"),
    ]
    assert [e.document_no for e in rows[members["expired_major"].name].entries] == ["建质〔2025〕90号"]
    assert rows[members["a"].name].reasons == ("信用等级A级",)


def test_the_worst_comes_first_on_the_black_list_and_the_best_on_the_red_list(client, members):
    assert shown(client, "blacklist")[0] == members["d"].name  # 70
    assert shown(client, "redlist")[0] == members["a"].name  # 113 before 110


def test_an_entry_expiring_takes_the_enterprise_off_the_list(client, members):
    with time_machine.travel(dt.datetime(2028, 5, 6, 10, tzinfo=TZ), tick=False):
        score_all(members.values(), dt.date(2028, 5, 6))  # the daily job: the 严重 entries ran until 03-31 and 05-04
        assert members["a_major"].name not in shown(client, "blacklist")
        assert members["b_major"].name not in shown(client, "blacklist")


def test_the_lists_are_searched_by_name_or_credit_code(client, members):
    assert shown(client, "blacklist", q="挂靠") == [members["b_major"].name]
    assert shown(client, "blacklist", q=members["d"].credit_code[-8:]) == [members["d"].name]
    assert shown(client, "redlist", q="挂靠") == []
    response = client.get(reverse("credit_public:redlist"), {"q": "挂靠"})
    assert "没有符合条件的单位" in response.content.decode()


def test_the_lists_are_paginated(client, today):
    for i in range(23):
        enterprise = EnterpriseFactory(name=f"分页测试严重单位{i:02d}")
        entry(enterprise, "constraint_major", dt.date(2026, 5, 1), document_no=f"文{i}号")
        score_all([enterprise], today)
    first = client.get(reverse("credit_public:blacklist"))
    assert len(first.context["rows"]) == 20 and first.context["paginator"].count == 23
    second = client.get(reverse("credit_public:blacklist"), {"page": 2})
    assert len(second.context["rows"]) == 3
    assert client.get(reverse("credit_public:blacklist"), {"page": 99}).status_code == 200  # the last page


def test_the_public_site_links_both_lists(client, members):
    html = client.get(reverse("disclosure:public-search")).content.decode()
    assert reverse("credit_public:redlist") in html and reverse("credit_public:blacklist") in html


def test_a_page_of_the_list_costs_a_constant_number_of_queries(client, today, django_assert_num_queries):
    for i in range(20):
        enterprise = EnterpriseFactory(name=f"查询次数单位{i:02d}")
        entry(enterprise, "constraint_major", dt.date(2026, 5, 1))
        entry(enterprise, "penalty", dt.date(2026, 5, 2))
        score_all([enterprise], today)
    with django_assert_num_queries(4):  # the count, the page, the page's entries, the rule (the footnote)
        client.get(reverse("credit_public:blacklist"))
