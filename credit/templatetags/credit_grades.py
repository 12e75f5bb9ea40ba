"""The credit grade as the pages show it: a coloured badge (A green … D red), the score without needless zeros."""

from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core import rowhtml
from core.rowhtml import esc
from credit.choices import Behaviour, Grade

register = template.Library()

_GRADE_LABELS = {value: str(label) for value, label in Grade.choices}  # plain texts (credit/choices.py)
GRADE_CLASSES = {"A": "text-bg-success", "B": "text-bg-primary", "C": "text-bg-warning", "D": "text-bg-danger"}


@register.simple_tag
def grade_badge(grade: str, title: str = ""):
    """<span class="badge …">B级</span>, titled with the grade's meaning (B级（基本守信）). Written without
    ``format_html``: a 500-row list shows one per row."""
    if not grade:
        return "—"
    if not title:
        title = _GRADE_LABELS.get(grade, grade)
    grade = esc(grade)
    return mark_safe(  # noqa: S308 - every value escaped
        f'<span class="badge {esc(GRADE_CLASSES.get(grade, "text-bg-secondary"))} credit-grade" title="{esc(title)}" '
        f'data-grade="{grade}" data-testid="grade">{grade}级</span>'
    )


@register.filter
def credit_score(value):
    """100.00 -> 100, 96.50 -> 96.5."""
    if value is None or value == "":
        return "—"
    value = Decimal(value)
    return f"{value:.0f}" if value == value.to_integral_value() else f"{value.normalize():f}"


@register.filter
def behaviour_label(code):
    return Behaviour(code).label if code in Behaviour.values else (code or "")


@register.simple_tag
def signed_points(points):
    """+3 in green, -10 in red, 0 plain: an entry's points."""
    if points is None:
        return "—"
    points = Decimal(points)
    css = "text-success" if points > 0 else "text-danger" if points < 0 else ""
    text = credit_score(points)
    return format_html('<span class="{}">{}{}</span>', css, "+" if points > 0 else "", text)


@register.simple_tag
def list_badges(badges):
    """The lists an enterprise is on (``credit.standing.lists_of``: (label, colour) pairs) as badges."""
    return mark_safe(  # noqa: S308 - every value escaped
        "".join(
            f'<span class="badge text-bg-{esc(colour)} ms-1" data-testid="list-badge">{esc(label)}</span>'
            for label, colour in badges or ()
        )
    )


_BASE_SCORE = '<span class="text-muted">基础分</span>'


@register.simple_tag
def enterprise_rows(enterprises):
    """The rows of the credit enterprise list (credit/enterprise_list.html), from the view's dicts."""
    record = rowhtml.url_for("credit:record")

    def row(e):
        bad, region, version = e["bad_count"], e["region"], e["rule_version"]
        region = region["name"] if region is not None else ""
        rule = f"第{esc(version)}版" if version else _BASE_SCORE
        return (
            f'<tr><td><a href="{record(e["pk"])}">{esc(e["name"])}</a>'
            f'<div class="small text-muted font-monospace">{esc(e["credit_code"])}</div></td>'
            f"<td>{esc(region) if region else '—'}</td>"
            f'<td class="num fw-semibold">{esc(floatformat(e["credit_score"], "-2"))}</td>'
            f"<td>{grade_badge(e['credit_grade'])}</td>"
            f'<td class="num">{esc(e["good_count"])}</td>'
            f'<td class="num{" text-danger fw-semibold" if bad else ""}">{esc(bad)}</td>'
            f"<td>{list_badges(e['badges'])}</td>"
            f'<td class="small">{rule}</td></tr>'
        )

    return rowhtml.rows(
        enterprises, row, '<tr><td colspan="8" class="text-center text-muted">没有符合条件的单位。</td></tr>'
    )
