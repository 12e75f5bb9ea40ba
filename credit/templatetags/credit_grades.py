"""The credit grade as the pages show it: a coloured badge (A green … D red), the score without needless zeros."""

from decimal import Decimal

from django import template
from django.utils.html import format_html

from credit.choices import Behaviour, Grade

register = template.Library()

GRADE_CLASSES = {"A": "text-bg-success", "B": "text-bg-primary", "C": "text-bg-warning", "D": "text-bg-danger"}


@register.simple_tag
def grade_badge(grade: str, title: str = ""):
    """<span class="badge …">B级</span>, titled with the grade's meaning (B级（基本守信）)."""
    if not grade:
        return "—"
    label = Grade(grade).label if grade in Grade.values else grade
    return format_html(
        '<span class="badge {} credit-grade" title="{}" data-grade="{}" data-testid="grade">{}级</span>',
        GRADE_CLASSES.get(grade, "text-bg-secondary"),
        title or label,
        grade,
        grade,
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
