"""To-dos (待办) and notices (bell + the user's channels) along a pilot's journey.

To-dos, opened and closed by the services in the same transaction (idempotent: ``open_todo`` is keyed):

- an expert assigned to review a version of the plan → 评审绿色建造策划方案 (closed by their opinion);
- every opinion of the round in → the city admins: 作出评审结论 (closed by the decision);
- the plan returned → the 建设单位's users: 修改并重新申报 (closed by the resubmission);
- the 绿色施工（竣工）milestone recorded → the city admins: 组织专项评估验收 (closed by the acceptance).

Notices to the 建设单位's users (returned with the reason / approved / accepted / failed) go through the outbox
after the commit (``pilots.tasks.notify_pilot_event``); the event key names the plan's version, so a retried task
sends nothing twice and a second return after a resubmission is a new event.
"""

from __future__ import annotations

from django.urls import reverse

from accounts.models import User
from notifications.choices import NoticeKind
from notifications.models import Todo
from notifications.services import close_todos, notify, open_todo
from pilots.choices import PilotStatus
from pilots.models import Pilot, PilotAcceptance, PilotReview
from projects.notices import enterprise_users

EVENTS = ("returned", "approved", "accepted", "failed")
MIN_REVIEWERS = 3  # = services.MIN_REVIEWERS (the services import this module, not the other way round)


def city_admins():
    return User.objects.filter(role=User.Role.CITY_ADMIN, is_active=True)


def _url(pilot: Pilot) -> str:
    return reverse("pilots:pilot-detail", args=[pilot.pk])


# --- to-dos ------------------------------------------------------------------------------------------------------
def open_review_todo(review: PilotReview) -> int:
    pilot = review.pilot
    title = f"评审绿色建造策划方案：{pilot.project.name}（第{review.round}版）"
    return open_todo(review.expert, Todo.Kind.PILOT_REVIEW, review, title, _url(pilot))


def close_review_todo(review: PilotReview) -> int:
    return close_todos(review, Todo.Kind.PILOT_REVIEW)


def open_decide_todo(pilot: Pilot) -> int:
    """When every expert of the current round gave an opinion (and the round has its minimum), the city decides."""
    if pilot.status != PilotStatus.REVIEWING:
        return 0
    results = list(PilotReview.objects.filter(pilot=pilot, round=pilot.revision).values_list("passed", flat=True))
    if len(results) < MIN_REVIEWERS or any(r is None for r in results):
        return 0
    title = f"作出评审结论：{pilot.project.name}绿色建造试点（第{pilot.revision}版，专家意见已齐）"
    key = f"pilot_decide:{pilot.pk}:r{pilot.revision}:n{len(results)}"  # an expert added later: a new to-do
    return open_todo(city_admins(), Todo.Kind.PILOT_DECIDE, pilot, title, _url(pilot), key=key)


def open_resubmit_todo(pilot: Pilot) -> int:
    if pilot.status != PilotStatus.RETURNED:
        return 0
    title = f"修改并重新申报：{pilot.project.name}绿色建造策划方案被退回"
    key = f"pilot_resubmit:{pilot.pk}:r{pilot.revision}"
    return open_todo(enterprise_users(pilot.builder_id), Todo.Kind.PILOT_RESUBMIT, pilot, title, _url(pilot), key=key)


def open_acceptance_todo(pilot: Pilot) -> int:
    if pilot.status != PilotStatus.ACCEPTANCE:
        return 0
    title = f"组织绿色建造专项评估验收：{pilot.project.name}已竣工"
    return open_todo(city_admins(), Todo.Kind.PILOT_ACCEPTANCE, pilot, title, _url(pilot))


def close_pilot_todos(pilot: Pilot, kind: str) -> int:
    return close_todos(pilot, kind)


def backfill_todos() -> int:
    """The to-dos the pilots' current state asks for (demo seed, ``sync_todos``); idempotent."""
    opened = 0
    pending = PilotReview.objects.filter(pilot__status=PilotStatus.REVIEWING, passed__isnull=True).select_related(
        "pilot__project", "expert"
    )
    for review in pending:
        if review.round == review.pilot.revision:
            opened += open_review_todo(review)
    for pilot in Pilot.objects.filter(
        status__in=[PilotStatus.REVIEWING, PilotStatus.RETURNED, PilotStatus.ACCEPTANCE]
    ).select_related("project"):
        opened += open_decide_todo(pilot) + open_resubmit_todo(pilot) + open_acceptance_todo(pilot)
    return opened


# --- notices to the 建设单位 ---------------------------------------------------------------------------------------
def notify_pilot_event(pilot_id: int, event: str, revision: int) -> int:
    """The 建设单位's users learn the outcome (once per event and plan version)."""
    if event not in EVENTS:
        raise ValueError(f"unknown pilot event {event!r}")
    pilot = Pilot.objects.select_related("project").filter(pk=pilot_id).first()
    if pilot is None:
        return 0
    project = pilot.project
    name = f"{project.code} {project.name}"
    key = f"pilot:{pilot.pk}:r{revision}:{event}"
    kind = NoticeKind.INFO
    if event == "returned":
        title = f"{project.name}绿色建造策划方案被退回修改"
        body = (
            f"市住建局退回了{name}的绿色建造试点申报（策划方案第{revision}版），请按评审意见修改后重新申报。"
            f"\n退回原因：{pilot.decision_note}"
        )
        kind = NoticeKind.TODO
    elif event == "approved":
        title = f"{project.name}绿色建造试点评审通过（立项）"
        body = f"{name}的绿色建造策划方案经专家评审通过，确定为绿色建造试点项目，请按策划方案组织实施并登记节点。"
        if pilot.decision_note:
            body += f"\n评审结论：{pilot.decision_note}"
    else:
        acceptance = PilotAcceptance.objects.filter(pilot=pilot).first()
        label = acceptance.get_achieved_label_display() if acceptance else ""
        opinion = acceptance.opinion if acceptance else ""
        if event == "accepted":
            title = f"{project.name}绿色建造专项评估验收通过"
            body = f"{name}通过绿色建造专项评估验收，取得{label}。"
        else:
            title = f"{project.name}绿色建造专项评估验收未通过"
            body = f"{name}未通过绿色建造专项评估验收（取得{label}；试点项目应达到绿色建筑二星级以上）。"
        if opinion:
            body += f"\n验收意见：{opinion}"
    return notify(enterprise_users(pilot.builder_id), key, title, body, _url(pilot), kind=kind)
