"""Number formats of the awards pages: money with thousands separators, points without needless zeros."""

from decimal import Decimal

from django import template

from awards.models import Award
from core import rowhtml
from core.rowhtml import esc
from credit.templatetags.credit_grades import credit_score, grade_badge

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


_RECORD_ROW = (
    "pk",
    "year",
    "award__name",
    "award__level",
    "project__name",
    "project__code",
    "project__county__name",
    "contractor_id",
    "contractor__name",
    "points",
    "builder__name",
    "bonus_wan",
    "grant_date",
    "document_no",
)


@register.simple_tag
def record_rows(records):
    """The rows of the award record list (awards/record_list.html)."""
    detail = rowhtml.url_for("awards:record-detail")
    enterprise = rowhtml.url_for("awards:enterprise-record")
    levels = rowhtml.choice_labels(Award, "level")

    def row(r):
        level = r["award__level"]
        return (
            f"<tr><td>{esc(r['year'])}</td>"
            f'<td><a href="{detail(r["pk"])}">{esc(r["award__name"])}</a> '
            f'<span class="badge text-bg-light border">{esc(levels.get(level, level))}</span></td>'
            f'<td>{esc(r["project__name"])}<div class="small text-muted">{esc(r["project__code"])}</div></td>'
            f"<td>{esc(r['project__county__name'])}</td>"
            f'<td><a href="{enterprise(r["contractor_id"])}">{esc(r["contractor__name"])}</a></td>'
            f'<td class="num">{esc(pts(r["points"]))}</td>'
            f"<td>{esc(r['builder__name'])}</td>"
            f'<td class="num">{esc(money(r["bonus_wan"]))}</td>'
            f"<td>{rowhtml.date(r['grant_date'])}</td>"
            f'<td class="small">{esc(r["document_no"])}</td></tr>'
        )

    records = rowhtml.values(records, *_RECORD_ROW)
    return rowhtml.rows(
        records, row, '<tr><td colspan="10" class="text-center text-muted">没有符合条件的奖励记录。</td></tr>'
    )


_BLACKLISTED = ' <span class="badge text-bg-dark">黑名单</span>'


@register.simple_tag
def ledger_rows(enterprises, years: int):
    """The rows of the points ledger (awards/ledger.html); ``years`` the number of year columns."""
    credit = rowhtml.url_for("credit:record")
    enterprise = rowhtml.url_for("awards:enterprise-record")

    def row(e):
        year_cells = "".join(f'<td class="num">{esc(pts(p))}</td>' for p in e.year_points)
        return (
            f'<tr data-enterprise="{esc(e.pk)}"><td>{esc(e.rank)}</td><td>{esc(e.name)}</td>{year_cells}'
            f'<td class="num fw-bold">{esc(pts(e.window_points))}</td>'
            f'<td class="text-nowrap" data-testid="ledger-credit-grade"><a class="text-decoration-none" '
            f'href="{credit(e.pk)}" title="诚信档案">{grade_badge(e.credit_grade)}</a>'
            f"{_BLACKLISTED if e.credit_blacklisted else ''}</td>"
            f'<td class="num">{esc(credit_score(e.credit_score))}</td>'
            f'<td class="num">{esc(pts(e.total_points))}</td>'
            f'<td class="num">{esc(e.award_count)}</td>'
            f'<td><a href="{enterprise(e.pk)}">单位档案</a></td></tr>'
        )

    empty = f'<tr><td colspan="{years + 8}" class="text-center text-muted">没有符合条件的单位。</td></tr>'
    return rowhtml.rows(enterprises, row, empty)
