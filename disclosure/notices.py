"""Reminders to publish (seed 001 二(一)1 "主动公示项目地点、主体责任单位、项目负责人等有关内容，接受社会监督").

A project reaching 施工 (or a later stage) without a published page: its county's staff get a notice (bell + the
channels they chose for new to-dos) pointing at the 公示管理 list. Sent on the stage change (the projects app's
``change_stage`` / ``create_project`` call ``on_stage_change``, registered in apps.py) and by the daily check
(``disclosure.tasks.remind_unpublished_projects``) for projects that got there another way (an import, a withdrawn
page). Once per project, stage and withdrawal: a retried task or the next day's check sends nothing again.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from core import outbox
from disclosure.models import ProjectDisclosure
from disclosure.querysets import PUBLICATION_STAGES
from notifications.choices import NoticeKind
from notifications.services import notify_county


def on_stage_change(change) -> None:
    """Inside the stage change's transaction: queue the reminder (it re-reads the state after the commit)."""
    if change.to_stage in PUBLICATION_STAGES:
        outbox.enqueue("disclosure.tasks.remind_unpublished", change.project_id)


def reminder_key(disclosure: ProjectDisclosure) -> str:
    withdrawn = f"{disclosure.withdrawn_at:%Y%m%d%H%M%S}" if disclosure.withdrawn_at else "0"
    return f"disclosure-unpublished:{disclosure.project_id}:{disclosure.project.stage}:{withdrawn}"


def remind(disclosure: ProjectDisclosure) -> int:
    """Notify the project's county if the project is due for publication and unpublished; how many notices."""
    project = disclosure.project
    if disclosure.published or project.stage not in PUBLICATION_STAGES:
        return 0
    url = reverse("disclosure:manage-list") + "?" + urlencode({"q": project.code})
    stage = project.get_stage_display()
    title = f"待公示：{project.name}已进入{stage}阶段，尚未公示"
    body = (
        f"{project.code} {project.name}已进入“{stage}”阶段，项目信息尚未公示。请在“项目公示”中填写工程地点并公示"
        "项目地点、主体责任单位和项目负责人，接受社会监督。"
    )
    if disclosure.withdrawn_at:
        body += f"\n该项目的公示已于{disclosure.withdrawn_at:%Y-%m-%d}撤销（{disclosure.withdrawal_reason}）。"
    return notify_county(project.county_id, reminder_key(disclosure), title, body, url, kind=NoticeKind.TODO)


def remind_project(project_id: int) -> int:
    disclosure = ProjectDisclosure.objects.select_related("project").filter(project_id=project_id).first()
    return remind(disclosure) if disclosure else 0


def remind_all() -> int:
    """The daily check: every project due for publication and unpublished (idempotent)."""
    due = ProjectDisclosure.objects.due_unpublished().select_related("project").order_by("pk")
    return sum(remind(disclosure) for disclosure in due.iterator())
