"""Cells written in Python: the submission's status badge (a 500-row list renders it without an include per row),
the ranking's and the annual score's rows (120 counties × 8 or 19 cells; a template per cell cost most of those
pages' time). Each badge and number format has one implementation here, used by the row tags and the templates."""

from django import template
from django.utils.safestring import mark_safe

from assessment.choices import COUNTY_EDITABLE_STATUSES  # Submission.county_can_edit
from core import rowhtml
from core.rowhtml import esc
from core.templatetags.ui import row_url

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


def _or_dash(number, value) -> str:
    """``{{ value|default_if_none:"—" }}``."""
    return "—" if value is None else number(value)


_RANKING_STATE_BADGES = {
    "late": '<span class="badge text-bg-danger">逾期报送</span>',
    "missing": '<span class="badge text-bg-secondary">未报送</span>',
}


@register.simple_tag
def ranking_state(r) -> str:
    """The ranking's 报送情况 cell content: 逾期报送/未报送 badges, the counted state as text, else a light badge."""
    if r.is_late:
        return mark_safe(_RANKING_STATE_BADGES["late"])
    if r.is_missing:
        return mark_safe(_RANKING_STATE_BADGES["missing"])
    if r.counted:
        return mark_safe(esc(r.state_label))  # noqa: S308 - escaped
    return mark_safe(f'<span class="badge text-bg-light border">{esc(r.state_label)}</span>')  # noqa: S308


@register.simple_tag
def ranking_rows(rows) -> str:
    """The monthly ranking table's rows (``assessment.ranking.RankingRow``)."""
    number = esc  # {{ value }}: core.rowhtml's one number format
    html = []
    for r in rows:
        name = esc(r.county_name)
        county = (
            f'<a href="{row_url("assessment:submission-detail", r.submission_id)}">{name}</a>'
            if r.submission_id
            else name
        )
        notes = "".join(f"<div>行政绩效 {float(points):+.2f}：{esc(why)}</div>" for points, why in r.adjustments)
        html.append(
            f'<tr data-county="{name}"><td class="fw-bold">{r.rank or "—"}</td><td>{county}</td>'
            f'<td class="num fw-bold">{_or_dash(number, r.score)}</td>'
            f'<td class="num">{_or_dash(number, r.items_total)}</td>'
            f'<td class="num">{number(r.adjustments_total) if r.counted else "—"}</td>'
            f"<td>{esc(r.rank_change_label)}</td>"
            f'<td data-state="{esc(r.state)}">{ranking_state(r)}</td>'
            f'<td class="small">{esc(r.late_reason)}{notes}</td></tr>\n'
        )
    return mark_safe("".join(html))  # noqa: S308 - every value escaped above


@register.simple_tag
def annual_status(r) -> str:
    """The annual row's 状态 cell content: 暂定 (with the months left out) or 最终."""
    if not r.provisional:
        return mark_safe('<span class="badge text-bg-success">最终</span>')
    pending = f'<div class="text-muted">未计入：{esc(r.pending)}</div>' if r.pending else ""
    return mark_safe(f'<span class="badge text-bg-warning">暂定</span>{pending}')  # noqa: S308 - escaped


def _month_cells(r, number) -> str:
    cells = []
    for score, state, label in zip(r.monthly_scores, r.month_states, r.month_labels, strict=False):
        state, label = esc(state), esc(label)
        if score is not None:
            inner = number(score)
            if state in ("late", "missing"):
                inner = f'{inner}<div class="text-muted">{label}</div>'
        elif state != "not_due":
            inner = f'<span class="text-muted">{label}</span>'
        else:
            inner = ""
        cells.append(f'<td class="num small state-{state}" data-state="{state}" title="{label}">{inner}</td>')
    return "".join(cells)


@register.simple_tag
def annual_month_cells(r) -> str:
    """The twelve month cells of an annual row (score, or the state's label when it counts nothing)."""
    return mark_safe(_month_cells(r, esc))  # noqa: S308 - every value escaped in _month_cells


@register.simple_tag
def annual_rows(rows) -> str:
    """The annual score table's rows (``assessment.ranking.AnnualRow``)."""
    number = esc  # {{ value }}: core.rowhtml's one number format
    html = []
    for r in rows:
        name = esc(r.county_name)
        counted = number(r.months_counted)
        html.append(
            f'<tr data-county="{name}"><td>{_or_dash(number, r.rank)}</td><td>{name}</td>'
            f'<td class="num" data-field="target"><div>{number(r.target_score)}</div>'
            f'<div class="small text-muted text-nowrap">{esc(r.target_score_source)}</div></td>'
            f'<td class="num" title="{counted}个月">{number(r.monthly_average)}'
            f'<div class="small text-muted">{counted}个月</div></td>'
            f'<td class="num fw-bold" data-field="score">{number(r.score)}</td>'
            f'<td data-field="grade">{esc(r.grade)}</td><td class="small">{annual_status(r)}</td>'
            f"{_month_cells(r, number)}</tr>\n"
        )
    return mark_safe("".join(html))  # noqa: S308 - every value escaped above
