"""The submission's status badge, as a tag: a 500-row list renders it without an include per row."""

from django import template
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from assessment.choices import COUNTY_EDITABLE_STATUSES  # Submission.county_can_edit
from core import rowhtml
from core.rowhtml import esc

register = template.Library()

_BADGES = {
    "draft": "text-bg-secondary",
    "submitted": "text-bg-primary",
    "returned": "text-bg-warning",
    "resubmitted": "text-bg-info",
    "approved": "text-bg-success",
    "published": "text-bg-dark",
}
_LABELS = {
    "draft": "草稿",
    "submitted": "已报送",
    "returned": "已退回",
    "resubmitted": "已重新报送",
    "approved": "已审核",
    "published": "已发布",
}
_LATE = mark_safe(' <span class="badge text-bg-danger">逾期</span>')


def status_badge(status: str, is_late: bool) -> str:
    badge = f'<span class="badge {_BADGES[status]}">{esc(_LABELS[status])}</span>' if status in _BADGES else ""
    return mark_safe(f"{badge}{_LATE if is_late else ''}")  # noqa: S308 - fixed classes, label escaped


@register.simple_tag
def submission_status(s):
    return status_badge(s.status, s.is_late)


_SUBMISSION_ROW = (
    "pk",
    "county__name",
    "year",
    "month",
    "status",
    "is_late",
    "first_submitted_at",
    "items_total",
    "adjustments_total",
    "score",
)


@register.simple_tag(takes_context=True)
def submission_rows(context, submissions):
    """The rows of the submission list and the review queue (assessment/submission_list.html)."""
    detail = rowhtml.url_for("assessment:submission-detail")
    edit = rowhtml.url_for("assessment:submission-edit")
    user = context.get("user")
    county_staff = bool(user and user.is_county_staff)

    def row(s):
        pk = s["pk"]
        fill = f' · <a href="{edit(pk)}">填报</a>' if county_staff and s["status"] in COUNTY_EDITABLE_STATUSES else ""
        return (
            f"<tr><td>{esc(s['county__name'])}</td><td>{esc(s['year'])}</td><td>{esc(s['month'])}月</td>"
            f"<td>{status_badge(s['status'], s['is_late'])}</td>"
            f"<td>{rowhtml.date(s['first_submitted_at'], '%Y-%m-%d %H:%M') or '—'}</td>"
            f'<td class="num">{esc(s["items_total"])}</td><td class="num">{esc(s["adjustments_total"])}</td>'
            f'<td class="num fw-bold">{esc(s["score"])}</td>'
            f'<td><a href="{detail(pk)}">查看</a>{fill}</td></tr>'
        )

    submissions = rowhtml.values(submissions, *_SUBMISSION_ROW)
    return rowhtml.rows(
        submissions, row, '<tr><td colspan="9" class="text-center text-muted">没有符合条件的考评报送。</td></tr>'
    )


@register.simple_tag
def annual_month_cells(r):
    """The twelve month cells of an annual row (score, or the state's label when it counts nothing)."""
    cells = []
    for score, state, label in zip(r.monthly_scores, r.month_states, r.month_labels, strict=False):
        if score is not None:
            inner = format_html("{}", localize(score))
            if state in ("late", "missing"):
                inner = format_html('{}<div class="text-muted">{}</div>', inner, label)
        elif state != "not_due":
            inner = format_html('<span class="text-muted">{}</span>', label)
        else:
            inner = ""
        cells.append(
            format_html('<td class="num small state-{}" data-state="{}" title="{}">{}</td>', state, state, label, inner)
        )
    return mark_safe("".join(cells))  # noqa: S308 - every cell built with format_html
