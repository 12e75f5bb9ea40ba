"""The submission's status badge, as a tag: a 500-row list renders it without an include per row."""

from django import template
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import mark_safe

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


@register.simple_tag
def submission_status(s):
    status = s.status
    badge = (
        format_html('<span class="badge {}">{}</span>', _BADGES[status], _LABELS[status]) if status in _BADGES else ""
    )
    return mark_safe(f"{badge}{_LATE if s.is_late else ''}")  # noqa: S308 - both parts escaped above


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
