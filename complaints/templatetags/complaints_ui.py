"""The 汇总分析 page's month cells as a tag: 120 counties × 12 months × two rates without a template lookup each."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def rate_cells(timeliness_list, which: str):
    """One ``<td>`` per month: the rate (``Rate.__str__``) with its on-time/due counts as the title."""
    cells = (
        format_html('<td class="text-end" title="{}/{}">{}</td>', rate.on_time, rate.due, str(rate))
        for rate in (getattr(t, which) for t in timeliness_list)
    )
    return mark_safe("".join(cells))  # noqa: S308 - every cell built with format_html
