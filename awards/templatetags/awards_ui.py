"""Number formats of the awards pages: money with thousands separators, points without needless zeros."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def money(value):
    """1234567.8 -> 1,234,567.80 (元 or 万元)."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value):,.2f}"


@register.filter
def pts(value):
    """Points: 10.00 -> 10, 2.50 -> 2.5."""
    if value is None or value == "":
        return "0"
    value = Decimal(value)
    return f"{value:.0f}" if value == value.to_integral_value() else f"{value.normalize():f}"


@register.filter
def pct(value):
    if value is None:
        return "—"
    value = Decimal(value).quantize(Decimal("0.0001")).normalize()
    return f"{value:f}"
