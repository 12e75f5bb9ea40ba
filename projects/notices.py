"""Notices (bell + e-mail, once per event) about a project's monthly report.

- submitted → the staff of the project's county (a report waits for their review);
- accepted / returned → the users of the filing enterprise (the unit learns the outcome, and why it was returned).

The event key names the report's version: a resubmission after a return is a new event, a retried task is not.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from accounts import roles
from accounts.models import User
from notifications.choices import NoticeKind
from notifications.models import Todo
from notifications.services import county_staff, notify, notify_county, open_todo
from projects.choices import ParticipantRole, ReportStatus
from projects.models import MonthlyReport, Participant, ProjectMilestone

EVENTS = ("submitted", "accepted", "returned")


def enterprise_users(enterprise_id: int):
    return User.objects.filter(role__in=roles.UNIT_USERS, enterprise_id=enterprise_id, is_active=True)


def notify_report_event(report_id: int, event: str) -> int:
    if event not in EVENTS:
        raise ValueError(f"unknown monthly-report event {event!r}")
    report = MonthlyReport.objects.select_related("project__county", "enterprise").get(pk=report_id)
    project = report.project
    period = f"{report.year}年{report.month}月"
    key = f"monthly-report:{report.pk}:v{report.version}:{event}"
    url = reverse("projects:report-detail", args=[report.pk])
    if event == "submitted":
        title = f"待审核：{project.name}{period}月报已提交"
        open_report_todos(report)
        return notify_county(
            project.county_id,
            key,
            title,
            f"{report.enterprise.name}提交了{project.code} {project.name}{period}的项目月报，请审核（接收或退回）。",
            url,
            kind=NoticeKind.TODO,
        )
    bureau = f"{project.county.name}住建局"  # the unit reads which bureau decided, by name
    if event == "accepted":
        title = f"{project.name}{period}月报已接收"
        body = f"{bureau}已接收您单位提交的{project.code} {project.name}{period}项目月报。"
    else:
        title = f"{project.name}{period}月报被退回"
        body = (
            f"{bureau}退回了您单位提交的{project.code} {project.name}{period}项目月报，请修改后重新提交。"
            f"\n退回原因：{report.return_reason}"
        )
    if event == "returned":
        open_report_todos(report)
    kind = NoticeKind.TODO if event == "returned" else NoticeKind.INFO
    return notify(enterprise_users(report.enterprise_id), key, title, body, url, kind=kind)


def open_report_todos(report: MonthlyReport) -> int:
    """The to-do the report's state asks for (from its state, so a task running late opens nothing stale): a
    submitted report waits for the county's review, a returned one for its unit's correction."""
    project = report.project
    period = f"{report.year}年{report.month}月"
    url = reverse("projects:report-detail", args=[report.pk])
    key = f"monthly-report:{report.pk}:v{report.version}:{report.status}"
    if report.status == ReportStatus.SUBMITTED:
        title = f"待审核：{project.name}{period}月报已提交"
        return open_todo(county_staff(project.county_id), Todo.Kind.REPORT_REVIEW, report, title, url, key=key)
    if report.status == ReportStatus.RETURNED:
        title = f"修改并重新提交：{project.name}{period}月报被退回"
        users = enterprise_users(report.enterprise_id)
        return open_todo(users, Todo.Kind.REPORT_RESUBMIT, report, title, url, key=key)
    return 0


def backfill_todos() -> int:
    reports = MonthlyReport.objects.filter(status__in=[ReportStatus.SUBMITTED, ReportStatus.RETURNED])
    return sum(open_report_todos(report) for report in reports.select_related("project"))


def builder_users(project_id: int):
    """The users of the project's 建设单位 (the owner who sets the schedule)."""
    builders = Participant.objects.filter(project_id=project_id, role=ParticipantRole.BUILDER).values("enterprise_id")
    return User.objects.filter(role__in=roles.UNIT_USERS, enterprise_id__in=builders, is_active=True)


def notify_milestone_slip(milestone_id: int, planned_on: str) -> int:
    """进度滞后 notice to the 建设单位 and the county, keyed by the slipped plan (``planned_on``, ISO): once per slip,
    a retried task sends nothing new, a re-planned milestone that slips again is a new slip."""
    milestone = ProjectMilestone.objects.select_related("project__county").filter(pk=milestone_id).first()
    if milestone is None or milestone.actual_on is not None or milestone.planned_on is None:
        return 0  # reached, unplanned or removed since it was claimed
    if milestone.planned_on.isoformat() != planned_on:
        return 0  # re-planned since: the new plan slips (and is claimed) on its own
    project = milestone.project
    key = f"milestone-slip:{milestone.pk}:{milestone.planned_on:%Y%m%d}"
    title = f"进度滞后：{project.name}“{milestone.get_kind_display()}”节点未按计划完成"
    body = (
        f"{project.code} {project.name}的“{milestone.get_kind_display()}”节点计划于{milestone.planned_on:%Y-%m-%d}完成，"
        f"已超过{settings.JINGPIN['MILESTONE_DELAY_DAYS']}天仍未在月报中报告完成。请建设单位合理安排工期、压实责任，"
        "县局跟踪督办（达到节点后在项目月报中填报实际日期）。"
    )
    url = reverse("projects:project-detail", args=[project.pk]) + "#milestones"
    sent = notify(builder_users(project.pk), key, title, body, url)
    return sent + notify_county(project.county_id, key, title, body, url)
