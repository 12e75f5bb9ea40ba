"""To-dos and notices along a pilot's journey: who gets them, closed by the action, idempotent, scoped.

Seed 003 四(一): “组织专家对绿色建造策划方案进行评审” and, after completion, “开展绿色建造专项评估验收”.
"""

from __future__ import annotations

import datetime as dt

from notifications.models import Notification, Todo
from pilots import notices, services
from pilots.choices import GreenLabel, Milestone
from pilots.seed import demo_targets, plan_document
from tests.factories import EnterpriseFactory, UserFactory
from tests.pilots.conftest import approved_pilot, completed_pilot, review_round


def open_todos(kind, **filters):
    return Todo.objects.open().filter(kind=kind, **filters)


def test_assigned_experts_get_a_review_todo_closed_by_their_opinion(applied, owner, city_admin, experts):
    services.submit(applied, user=owner)
    services.assign_reviewers(applied, user=city_admin, experts=experts)
    assert set(open_todos(Todo.Kind.PILOT_REVIEW).values_list("user_id", flat=True)) == {e.pk for e in experts}
    first = applied.reviews.get(expert=experts[0])
    services.record_opinion(first, user=experts[0], passed=True, opinion="同意")
    assert not open_todos(Todo.Kind.PILOT_REVIEW, user=experts[0]).exists()
    assert open_todos(Todo.Kind.PILOT_REVIEW).count() == 2
    assert not open_todos(Todo.Kind.PILOT_DECIDE).exists()  # two opinions still missing
    # Scoping: an expert sees only their own to-do.
    assert list(Todo.objects.visible_to(experts[1]).values_list("user_id", flat=True)) == [experts[1].pk]


def test_the_city_decides_once_all_opinions_are_in(applied, owner, city_admin, experts):
    other_admin = UserFactory(role="city_admin", username="city_admin_2")
    services.submit(applied, user=owner)
    services.assign_reviewers(applied, user=city_admin, experts=experts)
    review_round(applied, experts)
    decide = open_todos(Todo.Kind.PILOT_DECIDE)
    assert set(decide.values_list("user_id", flat=True)) == {city_admin.pk, other_admin.pk}
    assert not open_todos(Todo.Kind.PILOT_REVIEW).exists()
    assert notices.backfill_todos() == 0  # the state asks for nothing more: idempotent
    services.decide(applied, user=city_admin, approve=True, note="同意立项", on=dt.date(2023, 3, 1))
    assert not open_todos(Todo.Kind.PILOT_DECIDE).exists()


def test_a_return_notifies_the_builder_with_the_reason_and_asks_to_resubmit(
    applied, owner, builder_colleague, city_admin, experts, outsider, django_capture_on_commit_callbacks
):
    services.submit(applied, user=owner)
    services.assign_reviewers(applied, user=city_admin, experts=experts)
    review_round(applied, experts, passed=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(applied, user=city_admin, approve=False, note="装配率目标偏低，请补充BIM应用方案")
    notes = Notification.objects.filter(event_key=f"pilot:{applied.pk}:r1:returned")
    assert set(notes.values_list("recipient_id", flat=True)) == {owner.pk, builder_colleague.pk}
    assert "退回原因：装配率目标偏低，请补充BIM应用方案" in notes.first().body
    resubmit = open_todos(Todo.Kind.PILOT_RESUBMIT)
    assert set(resubmit.values_list("user_id", flat=True)) == {owner.pk, builder_colleague.pk}
    assert not Todo.objects.filter(user=outsider).exists() and not Notification.objects.filter(recipient=outsider)
    assert notices.notify_pilot_event(applied.pk, "returned", 1) == 0  # a retried task sends nothing twice

    services.resubmit(applied, user=owner, document=plan_document(), targets=demo_targets(0), note="已补充")
    assert not open_todos(Todo.Kind.PILOT_RESUBMIT).exists()
    # The experts of the last round review the new version: a new to-do each (round 2).
    assert open_todos(Todo.Kind.PILOT_REVIEW).count() == 3


def test_approval_notifies_the_builder(applied, owner, city_admin, experts, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        approved_pilot(applied, owner, city_admin, experts)
    note = Notification.objects.get(recipient=owner, event_key=f"pilot:{applied.pk}:r1:approved")
    assert "评审通过（立项）" in note.title and note.body.endswith("评审结论：同意")


def test_completion_asks_the_city_for_the_acceptance_and_the_result_is_notified(
    applied, owner, city_admin, experts, django_capture_on_commit_callbacks
):
    completed_pilot(applied, owner, city_admin, experts)
    assert list(open_todos(Todo.Kind.PILOT_ACCEPTANCE).values_list("user_id", flat=True)) == [city_admin.pk]
    assert not Todo.objects.filter(user=owner, kind=Todo.Kind.PILOT_ACCEPTANCE).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.record_acceptance(
            applied,
            user=city_admin,
            accepted_on=dt.date(2024, 2, 1),
            achieved_label=GreenLabel.ONE,
            passed=False,
            opinion="仅取得一星级",
        )
    assert not open_todos(Todo.Kind.PILOT_ACCEPTANCE).exists()
    note = Notification.objects.get(recipient=owner, event_key=f"pilot:{applied.pk}:r1:failed")
    assert "未通过" in note.title and "试点项目应达到绿色建筑二星级以上" in note.body and "仅取得一星级" in note.body


def test_accepted_is_notified(applied, owner, city_admin, experts, django_capture_on_commit_callbacks):
    completed_pilot(applied, owner, city_admin, experts)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_acceptance(
            applied,
            user=city_admin,
            accepted_on=dt.date(2024, 2, 1),
            achieved_label=GreenLabel.TWO,
            passed=True,
            opinion="达到要求",
        )
    note = Notification.objects.get(recipient=owner, event_key=f"pilot:{applied.pk}:r1:accepted")
    assert "验收通过" in note.title and "二星级" in note.body


def test_backfill_opens_what_the_state_asks_for(applied, owner, city_admin, experts):
    completed_pilot(applied, owner, city_admin, experts)
    Todo.objects.all().delete()
    assert notices.backfill_todos() == 1  # the acceptance awaited from the city
    assert notices.backfill_todos() == 0
    assert open_todos(Todo.Kind.PILOT_ACCEPTANCE, user=city_admin).exists()


def test_an_expert_added_after_all_opinions_reopens_the_decision_later(applied, owner, city_admin, experts):
    services.submit(applied, user=owner)
    services.assign_reviewers(applied, user=city_admin, experts=experts)
    review_round(applied, experts)
    fourth = UserFactory(role="expert", username="pexpert4", enterprise=EnterpriseFactory())
    services.assign_reviewers(applied, user=city_admin, experts=[fourth])
    assert not open_todos(Todo.Kind.PILOT_DECIDE).exists()  # one opinion awaited again
    services.record_opinion(applied.reviews.get(expert=fourth), user=fourth, passed=True, opinion="同意")
    assert open_todos(Todo.Kind.PILOT_DECIDE, user=city_admin).exists()


def test_milestones_before_completion_open_no_acceptance_todo(applied, owner, city_admin, experts):
    approved_pilot(applied, owner, city_admin, experts)
    services.record_milestone(applied, user=owner, milestone=Milestone.PLANNING, completed_on=dt.date(2023, 3, 2))
    assert not open_todos(Todo.Kind.PILOT_ACCEPTANCE).exists()
