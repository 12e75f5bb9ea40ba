"""Notices (bell + e-mail, once per event) about a project's monthly report.

- submitted → the staff of the project's county (a report waits for their review);
- accepted / returned → the users of the filing enterprise (the unit learns the outcome, and why it was returned).

The event key names the report's version: a resubmission after a return is a new event, a retried task is not.
"""

from __future__ import annotations

from django.urls import reverse

from accounts import roles
from accounts.models import User
from notifications.choices import NoticeKind
from notifications.models import Todo
from notifications.services import county_staff, notify, notify_county, open_todo
from projects.choices import ReportStatus
from projects.models import MonthlyReport

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
