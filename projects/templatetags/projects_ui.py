"""Badges for the projects templates (status colours in one place)."""

from django import template
from django.utils.html import format_html

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
    return format_html('<span class="badge text-bg-{}{}" data-status="{}">{}</span>', colour, extra, testid, text)


@register.simple_tag
def report_badge(report):
    return _badge(REPORT_COLOURS.get(report.status, "secondary"), report.get_status_display(), report.status)


@register.simple_tag
def jingpin_badge(project):
    return _badge(
        JINGPIN_COLOURS.get(project.jingpin_status, "light"),
        project.get_jingpin_status_display(),
        project.jingpin_status,
    )


@register.simple_tag
def constraint_badge(record):
    return _badge(CONSTRAINT_COLOURS.get(record.status, "secondary"), record.get_status_display(), record.status)


@register.filter
def num(value):
    """Area/amount with thousands separators and 2 decimals; an em dash when empty."""
    if value is None or value == "":
        return "—"
    return f"{value:,.2f}"
