"""The credit rule is data, versioned like the rubric: the city adopts a new version with a reason; entries are
re-valued under it from its effective date; every score names the version that computed it."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from credit import scoring, services
from credit.models import CreditEntry, CreditRule, CreditScore, CreditStanding
from tests.conftest import at
from tests.factories import UserFactory
from tests.projects_factories import ConstraintRecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(db):
    return UserFactory(role="city_admin", region=None)


def stricter():
    data = copy.deepcopy(scoring.DEFAULT_RULE)
    data["behaviours"]["constraint_minor"] = {"points": "-4", "months": 18}
    return data


def test_the_default_rule_is_version_one():
    rule = services.current_rule(dt.date(2026, 1, 1))
    assert rule.version == 1 and rule.data == scoring.DEFAULT_RULE
    assert scoring.validate(rule.data) == []


def test_a_new_version_revalues_the_entries_and_names_itself_in_the_scores(city):
    with time_machine.travel(at(2026, 3, 1, 9), tick=False):
        record = ConstraintRecordFactory(kind="attendance", occurred_on=dt.date(2026, 2, 20))
    enterprise = record.participant.enterprise
    assert CreditStanding.objects.get(enterprise=enterprise).score == Decimal("98")
    with time_machine.travel(at(2026, 4, 1, 9), tick=False):
        rule = services.adopt_rule(stricter(), user=city, note="一般约束记录扣分加重")
        assert rule.version == 2 and rule.created_by == city
        entry = CreditEntry.objects.get(source_type="constraint")
        assert (entry.points, entry.valid_until, entry.rule_id) == (Decimal("-4"), dt.date(2027, 8, 19), rule.pk)
        standing = CreditStanding.objects.get(enterprise=enterprise)
        assert (standing.score, standing.rule_id) == (Decimal("96"), rule.pk)
    history = list(
        CreditScore.objects.filter(enterprise=enterprise)
        .order_by("as_of")
        .values_list("as_of", "score", "rule__version")
    )
    assert history == [(dt.date(2026, 3, 1), Decimal("98"), 1), (dt.date(2026, 4, 1), Decimal("96"), 2)]
    # What the record showed on a day before the new version stays what it was.
    assert services.standing_on(enterprise, dt.date(2026, 3, 15))[0].score == Decimal("98")


def test_a_version_for_a_later_date_applies_on_that_date_by_the_daily_job(city):
    with time_machine.travel(at(2026, 3, 1, 9), tick=False):
        record = ConstraintRecordFactory(kind="attendance", occurred_on=dt.date(2026, 2, 20))
        services.adopt_rule(stricter(), user=city, note="下月起执行", effective_from=dt.date(2026, 4, 1))
        assert CreditEntry.objects.get().points == Decimal("-2")
    with time_machine.travel(at(2026, 4, 1, 1, 10), tick=False):
        services.daily()
    assert CreditEntry.objects.get().points == Decimal("-4")
    assert CreditStanding.objects.get(enterprise=record.participant.enterprise).score == Decimal("96")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["grades"].update(B="110"), "等级分数线应满足 A > B > C。"),
        (lambda d: d["behaviours"]["penalty"].update(points="5"), "“行政处罚”的扣分应在-100至0之间。"),
        (lambda d: d["behaviours"]["award"].update(months=48), "“获奖”的有效期应在1至36个月之间"),
        (lambda d: d["behaviours"]["complaint"].update(months=3), "“投诉举报查实”的有效期应在6至36个月之间"),
        (lambda d: d["behaviours"]["jingpin"].update(points="catalogue"), "只有“获奖”可按奖项目录积分计分"),
        (lambda d: d.update(base="abc"), "基础分应为数字。"),
        (lambda d: d["behaviours"].pop("penalty"), "缺少“行政处罚”的计分规则。"),
    ],
)
def test_a_rule_outside_the_published_ranges_is_refused_in_chinese(city, change, message):
    """SPEC §10 (建市〔2017〕241号): "good records are public for about 3 years, bad ones for 6 months to 3 years;
    the rule's validity periods stay within those ranges"."""
    data = copy.deepcopy(scoring.DEFAULT_RULE)
    change(data)
    with pytest.raises(ValidationError) as exc:
        services.adopt_rule(data, user=city, note="试改")
    assert any(message in m for m in exc.value.messages)
    assert CreditRule.objects.count() == 1


def test_only_the_city_adopts_a_rule_and_never_without_a_reason(city):
    county_staff = UserFactory(role="county_staff")
    with pytest.raises(PermissionDenied):
        services.adopt_rule(stricter(), user=county_staff, note="试改")
    with pytest.raises(ValidationError) as exc:
        services.adopt_rule(stricter(), user=city, note="  ")
    assert "请填写修订说明。" in exc.value.messages
    with pytest.raises(ValidationError):
        services.adopt_rule(copy.deepcopy(scoring.DEFAULT_RULE), user=city, note="不变")
    assert CreditRule.objects.count() == 1
