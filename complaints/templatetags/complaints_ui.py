"""The complaints' status badge and ledger rows, and the 汇总分析 page's month cells, as tags."""

from django import template
from django.template.defaultfilters import truncatechars
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from complaints.choices import OPEN_STATUSES, Status
from complaints.models import Complaint, due_date_of
from core import rowhtml
from core.rowhtml import esc

register = template.Library()

STATUS_COLOURS = {Status.CLOSED: "success", Status.REJECTED: "secondary", Status.PENDING: "warning"}


def status_badge(status: str, label: str):
    """A complaint's status badge (complaints/_status.html, the ledger's rows)."""
    return mark_safe(  # noqa: S308 - every value escaped
        f'<span class="badge text-bg-{STATUS_COLOURS.get(status, "primary")}" data-status="{esc(status)}">'
        f"{esc(label)}</span>"
    )


@register.simple_tag
def complaint_status(complaint):
    return status_badge(complaint.status, complaint.get_status_display())


_LEDGER_ROW = (
    "pk",
    "tracking_no",
    "received_on",
    "channel",
    "county__name",
    "project_id",
    "project__name",
    "address",
    "category__name",
    "subcategory_id",
    "subcategory__name",
    "status",
    "handler__name",
    "handler__username",
    "accept_due",
    "close_due",
    "close_due_original",
    "accepted_late",
)
_DANGER = ' class="table-danger"'
_OVERDUE = ' <span class="badge text-bg-danger">逾期</span>'
_ACCEPTED_LATE = ' <span class="badge text-bg-warning" data-testid="accepted-late">逾期受理</span>'
_EXTENDED = ' <span class="badge text-bg-info">已延期</span>'


@register.simple_tag
def complaint_rows(complaints):
    """The rows of the complaint ledger (complaints/ledger_list.html), written as its old loop wrote them."""
    url = rowhtml.url_for("complaints:detail")
    channels = rowhtml.choice_labels(Complaint, "channel")
    statuses = rowhtml.choice_labels(Complaint, "status")
    today = timezone.localdate()

    def row(c):
        status, channel = c["status"], c["channel"]
        due = due_date_of(status, c["accept_due"], c["close_due"])
        overdue = bool(due and due < today)
        subject = c["project__name"] if c["project_id"] else c["address"]
        category = c["category__name"]
        if c["subcategory_id"]:
            category = f"{category} · {c['subcategory__name']}"
        handler = c["handler__name"] or c["handler__username"] or "—"
        deadline = f"{rowhtml.date(due)}{_OVERDUE if overdue else ''}" if due else "—"
        if c["accepted_late"]:
            deadline += _ACCEPTED_LATE
        if c["close_due_original"] is not None and status in OPEN_STATUSES:
            deadline += _EXTENDED
        return (
            f"<tr{_DANGER if overdue else ''}>"
            f'<td class="text-nowrap"><a href="{url(c["pk"])}">{esc(c["tracking_no"])}</a></td>'
            f'<td class="text-nowrap">{rowhtml.date(c["received_on"])}</td>'
            f'<td class="text-nowrap" data-testid="channel">{esc(channels.get(channel, channel))}</td>'
            f"<td>{esc(c['county__name'])}</td><td>{esc(truncatechars(subject, 30))}</td><td>{esc(category)}</td>"
            f"<td>{status_badge(status, statuses.get(status, status))}</td><td>{esc(handler)}</td>"
            f'<td class="text-nowrap">{deadline}</td></tr>'
        )

    return rowhtml.rows(
        rowhtml.values(complaints, *_LEDGER_ROW),
        row,
        '<tr><td colspan="9" class="text-center text-muted py-3">没有符合条件的投诉举报。</td></tr>',
    )


@register.simple_tag
def rate_cells(timeliness_list, which: str):
    """One ``<td>`` per month: the rate (``Rate.__str__``) with its on-time/due counts as the title."""
    cells = (
        format_html('<td class="text-end" title="{}/{}">{}</td>', rate.on_time, rate.due, str(rate))
        for rate in (getattr(t, which) for t in timeliness_list)
    )
    return mark_safe("".join(cells))  # noqa: S308 - every cell built with format_html
