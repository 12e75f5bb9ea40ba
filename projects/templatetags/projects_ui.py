"""Badges for the projects templates (status colours in one place)."""

from django import template
from django.utils.safestring import mark_safe

from core import rowhtml
from core.rowhtml import esc
from projects.models import MonthlyReport, Project, insurance_warnings_of

register = template.Library()

REPORT_COLOURS = {"draft": "secondary", "submitted": "primary", "accepted": "success", "returned": "danger"}
JINGPIN_COLOURS = {
    "none": "light",
    "cultivating": "info",
    "certified": "success",
    "demonstration": "warning",
    "failed": "danger",
}
CONSTRAINT_COLOURS = {"pending": "warning", "rectified": "success", "expelled": "danger"}


def _badge(colour: str, text: str, testid: str = ""):
    extra = " border" if colour == "light" else ""
    return mark_safe(  # noqa: S308 - every value escaped
        f'<span class="badge text-bg-{esc(colour)}{extra}" data-status="{esc(testid)}">{esc(text)}</span>'
    )


def _jingpin_badge(status: str, label: str):
    return _badge(JINGPIN_COLOURS.get(status, "light"), label, status)


def _report_badge(status: str, label: str):
    return _badge(REPORT_COLOURS.get(status, "secondary"), label, status)


@register.simple_tag
def report_badge(report):
    return _report_badge(report.status, report.get_status_display())


@register.simple_tag
def jingpin_badge(project):
    return _jingpin_badge(project.jingpin_status, project.get_jingpin_status_display())


@register.simple_tag
def constraint_badge(record):
    return _badge(CONSTRAINT_COLOURS.get(record.status, "secondary"), record.get_status_display(), record.status)


@register.filter
def num(value):
    """Area/amount with thousands separators and 2 decimals; an em dash when empty."""
    if value is None or value == "":
        return "—"
    return f"{value:,.2f}"


_GREEN_PILOT = (
    ' <span class="badge text-bg-success-subtle border border-success-subtle text-success-emphasis">绿色建造试点</span>'
)


_PROJECT_ROW = (
    "pk",
    "code",
    "name",
    "green_pilot",
    "county__name",
    "year",
    "category",
    "government_invested",
    "total_investment",
    "stage",
    "jingpin_status",
)


@register.simple_tag
def project_rows(projects):
    """The rows of the project list (projects/project_list.html), written as its old loop wrote them."""
    url = rowhtml.url_for("projects:project-detail")
    categories = rowhtml.choice_labels(Project, "category")
    stages = rowhtml.choice_labels(Project, "stage")
    jingpin = rowhtml.choice_labels(Project, "jingpin_status")

    def row(p):
        warnings = warnings_of[p["pk"]]
        if warnings:
            insurance = (
                f'<span class="badge text-bg-warning" title="{esc("；".join(warnings))}">⚠ {len(warnings)}项</span>'
            )
        else:
            insurance = '<span class="text-success small">齐全</span>'
        category, stage, status = p["category"], p["stage"], p["jingpin_status"]
        return (
            f'<tr><td class="font-monospace small"><a href="{url(p["pk"])}">{esc(p["code"])}</a></td>'
            f"<td>{esc(p['name'])}{_GREEN_PILOT if p['green_pilot'] else ''}</td>"
            f"<td>{esc(p['county__name'])}</td><td>{esc(p['year'])}</td><td>{esc(categories.get(category, category))}</td>"
            f"<td>{rowhtml.yesno(p['government_invested'], '是,否')}</td>"
            f'<td class="num">{esc(num(p["total_investment"]))}</td>'
            f"<td>{esc(stages.get(stage, stage))}</td>"
            f"<td>{_jingpin_badge(status, jingpin.get(status, status))}</td>"
            f"<td>{insurance}</td></tr>"
        )

    projects = list(rowhtml.values(projects, *_PROJECT_ROW))
    warnings_of = insurance_warnings_of([p["pk"] for p in projects])
    return rowhtml.rows(
        projects, row, '<tr><td colspan="10" class="text-center text-muted py-3">没有符合条件的项目。</td></tr>'
    )


_REPORT_ROW = (
    "pk",
    "project__code",
    "project__name",
    "project__county__name",
    "year",
    "month",
    "status",
    "new_start_area",
    "prefab_area",
    "submitted_at",
    "version",
)


@register.simple_tag(takes_context=True)
def report_rows(context, reports):
    """The rows of the monthly report list and the review queue (projects/report_list.html)."""
    detail = rowhtml.url_for("projects:report-detail")
    statuses = rowhtml.choice_labels(MonthlyReport, "status")
    review_queue = context.get("review_queue")
    if review_queue:
        accept = rowhtml.url_for("projects:report-action", "accept")
        csrf = rowhtml.csrf_input(context)
        back = esc(context["request"].get_full_path())

    def row(r):
        pk = r["pk"]
        name = esc(r["project__name"])
        if review_queue:
            action = (
                f'<form method="post" action="{accept(pk)}" class="d-inline" data-confirm="接收后该月报锁定，'
                f'其数据将用于县局月度考评的预填。确定接收{name}的月报？">{csrf}<input type="hidden" name="next" '
                f'value="{back}"><button class="btn btn-sm btn-success" type="submit">接收</button></form> '
                f'<a class="btn btn-sm btn-outline-secondary" href="{detail(pk)}">查看 / 退回</a>'
            )
        else:
            action = f'<a class="small" href="{detail(pk)}">查看</a>'
        code, year, month, status = esc(r["project__code"]), esc(r["year"]), esc(r["month"]), r["status"]
        return (
            f'<tr data-report="{code}-{year}-{month}">'
            f'<td class="font-monospace small">{code}</td><td>{name}</td><td>{esc(r["project__county__name"])}</td>'
            f'<td class="text-nowrap">{year}年{month}月</td>'
            f"<td>{_report_badge(status, statuses.get(status, status))}</td>"
            f'<td class="num">{esc(num(r["new_start_area"]))}</td><td class="num">{esc(num(r["prefab_area"]))}</td>'
            f'<td class="small text-nowrap">{rowhtml.date(r["submitted_at"], "%Y-%m-%d %H:%M") or "—"}</td>'
            f'<td>第{esc(r["version"])}版</td><td class="text-nowrap">{action}</td></tr>'
        )

    reports = rowhtml.values(reports, *_REPORT_ROW)
    empty = "没有待审核的月报。" if review_queue else "没有符合条件的月报。"
    return rowhtml.rows(reports, row, f'<tr><td colspan="10" class="text-center text-muted py-3">{empty}</td></tr>')
