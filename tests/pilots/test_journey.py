"""A pilot's life through the services: the state machine, its refusals (Chinese, nothing changed) and the journey."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pilots import services
from pilots.choices import GreenLabel, Milestone, PilotStatus, PilotType
from pilots.models import Pilot, PilotEvent
from pilots.seed import demo_targets, plan_document
from tests.factories import UserFactory
from tests.pilots.conftest import approved_pilot, completed_pilot, review_round
from tests.projects_factories import ParticipantFactory


def test_the_type_follows_the_government_invested_flag(applied, project):
    assert applied.pilot_type == PilotType.PUBLIC and applied.status == PilotStatus.DRAFT
    assert applied.plans.get().revision == 1


def test_one_pilot_per_project(applied, project, owner):
    with pytest.raises(ValidationError, match="每个项目一个试点"):
        services.apply(project, user=owner, document=plan_document(), targets=demo_targets(1))


def test_only_the_builder_applies(project, outsider, clock):
    with pytest.raises(PermissionDenied):
        services.apply(project, user=outsider, document=plan_document(), targets=demo_targets(0))
    assert not Pilot.objects.exists()


def test_bad_targets_are_refused_in_chinese(project, owner, clock):
    with pytest.raises(ValidationError) as exc:
        services.apply(
            project, user=owner, document=plan_document(), targets={"prefab_rate": "120", "waste_target": "-1"}
        )
    assert "装配率目标不能超过100%" in str(exc.value) and "不能为负数" in str(exc.value)
    assert not Pilot.objects.exists()


def test_full_journey_to_accepted(applied, owner, city_admin, county_user, experts):
    completed_pilot(applied, owner, city_admin, experts)
    assert applied.status == PilotStatus.ACCEPTANCE
    services.record_check(
        applied, user=county_user, checked_on=dt.date(2024, 1, 5), answers={i: True for i in range(6)}
    )
    services.record_acceptance(
        applied,
        user=city_admin,
        accepted_on=dt.date(2024, 2, 1),
        achieved_label=GreenLabel.TWO,
        passed=True,
        opinion="达到要求",
    )
    applied.refresh_from_db()
    assert applied.status == PilotStatus.ACCEPTED and applied.project.green_pilot is True
    kinds = list(PilotEvent.objects.filter(pilot=applied).values_list("kind", flat=True))
    assert kinds[0] == "apply" and kinds[-1] == "acceptance" and "approve" in kinds and kinds.count("opinion") == 3


def test_acceptance_needs_two_stars_achieved(applied, owner, city_admin, experts):
    """四(一)：“试点项目应达到……绿色建筑二星级以上要求” — an achieved 一星级 cannot pass."""
    completed_pilot(applied, owner, city_admin, experts)
    with pytest.raises(ValidationError, match="二星级以上"):
        services.record_acceptance(
            applied,
            user=city_admin,
            accepted_on=dt.date(2024, 2, 1),
            achieved_label=GreenLabel.ONE,
            passed=True,
            opinion="x",
        )
    applied.refresh_from_db()
    assert applied.status == PilotStatus.ACCEPTANCE
    services.record_acceptance(
        applied,
        user=city_admin,
        accepted_on=dt.date(2024, 2, 1),
        achieved_label=GreenLabel.ONE,
        passed=False,
        opinion="一星",
    )
    applied.refresh_from_db()
    assert applied.status == PilotStatus.FAILED


def test_return_and_revision_keeps_every_version(applied, owner, city_admin, experts):
    services.submit(applied, user=owner)
    services.assign_reviewers(applied, user=city_admin, experts=experts)
    review_round(applied, experts, passed=False)
    with pytest.raises(ValidationError, match="未过半数"):
        services.decide(applied, user=city_admin, approve=True, note="")
    services.decide(applied, user=city_admin, approve=False, note="细化目标")
    applied.refresh_from_db()
    assert applied.status == PilotStatus.RETURNED
    services.resubmit(applied, user=owner, document=plan_document("修改稿.pdf"), targets=demo_targets(2), note="已细化")
    applied.refresh_from_db()
    assert applied.status == PilotStatus.REVIEWING and applied.revision == 2
    assert list(applied.plans.values_list("revision", flat=True)) == [2, 1]
    assert applied.reviews.filter(round=2).count() == 3  # the same panel reviews the revision
    review_round(applied, experts)
    services.decide(applied, user=city_admin, approve=True, note="")
    applied.refresh_from_db()
    assert applied.status == PilotStatus.APPROVED


@pytest.mark.parametrize(
    "step",
    ["milestone", "acceptance", "decide", "resubmit"],
)
def test_bad_transitions_from_draft_are_refused(applied, owner, city_admin, step):
    calls = {
        "milestone": lambda: services.record_milestone(
            applied, user=owner, milestone=Milestone.PLANNING, completed_on=dt.date(2024, 1, 1)
        ),
        "acceptance": lambda: services.record_acceptance(
            applied, user=city_admin, accepted_on=dt.date(2024, 1, 1), achieved_label="two", passed=True, opinion="x"
        ),
        "decide": lambda: services.decide(applied, user=city_admin, approve=True, note=""),
        "resubmit": lambda: services.resubmit(applied, user=owner, document=plan_document(), targets={}, note="x"),
    }
    with pytest.raises(ValidationError, match="当前状态为“申报”"):
        calls[step]()
    applied.refresh_from_db()
    assert applied.status == PilotStatus.DRAFT


def test_milestones_go_in_order(applied, owner, city_admin, experts):
    approved_pilot(applied, owner, city_admin, experts)
    with pytest.raises(ValidationError, match="请先登记"):
        services.record_milestone(applied, user=owner, milestone=Milestone.DESIGN, completed_on=dt.date(2023, 5, 1))


def test_a_conflicted_expert_is_refused(applied, owner, city_admin, experts, project):
    """The evaluation panels' 回避 rule: an expert whose employer takes part in the project."""
    services.submit(applied, user=owner)
    ParticipantFactory(project=project, enterprise=experts[0].enterprise, role="design")
    with pytest.raises(ValidationError, match="须回避"):
        services.assign_reviewers(applied, user=city_admin, experts=experts)
    assert not applied.reviews.exists()


def test_only_assigned_experts_give_opinions(applied, owner, city_admin, experts):
    services.submit(applied, user=owner)
    services.assign_reviewers(applied, user=city_admin, experts=experts)
    stranger = UserFactory(role="expert", username="stranger")
    with pytest.raises(PermissionDenied):
        services.record_opinion(applied.reviews.first(), user=stranger, passed=True, opinion="x")


def test_checks_are_the_county_s(applied, owner, city_admin, experts, colleague, county_user):
    approved_pilot(applied, owner, city_admin, experts)
    answers = {i: i != 2 for i in range(6)}
    with pytest.raises(PermissionDenied):
        services.record_check(applied, user=colleague, checked_on=dt.date(2024, 1, 5), answers=answers, findings="x")
    with pytest.raises(ValidationError, match="请填写检查发现的问题"):
        services.record_check(applied, user=county_user, checked_on=dt.date(2024, 1, 5), answers=answers)
    check = services.record_check(
        applied, user=county_user, checked_on=dt.date(2024, 1, 5), answers=answers, findings="垃圾未分类"
    )
    assert check.unmet_count == 1 and len(check.items) == 6
