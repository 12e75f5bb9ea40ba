"""Every list table uses the one card pattern on a phone (class "table-cards", static/css/app.css and
static/js/behaviours.js); a table that is not a list is named here with the reason. And the filter bar's chips."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.test import RequestFactory

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

# Whole templates whose tables are not lists of records.
NOT_LISTS = {
    "reports/pdf/annual_report.html": "PDF print layout (A4), not shown on a phone",
    "reports/pdf/monthly_bulletin.html": "PDF print layout (A4), not shown on a phone",
    "pilots/pdf/pilot_bulletin.html": "PDF print layout (A4), not shown on a phone",
    "disclosure/sign_pdf.html": "PDF of the project sign",
    "evaluation/report_pdf.html": "PDF of the evaluation report",
    "assessment/_grid.html": "12-month status grid (county × month matrix); on a phone it scrolls to the current month",
    "assessment/_score_sheet.html": "score sheet: item, points and the calculation read across a row",
    "assessment/rubric.html": "the rubric as a document (grouped rows with rowspan)",
    "assessment/year_setup.html": "setup forms: point and target inputs per item/county",
    "credit/rule_form.html": "rule form: an input per behaviour",
    "evaluation/sheet_detail.html": "score sheet of one expert",
    "evaluation/template_detail.html": "score sheet template (element / item / points)",
    "notifications/preferences.html": "checkbox matrix form (notice type × channel)",
    "projects/report_detail.html": "label/value pairs of one report (already two narrow columns)",
    "complaints/panel.html": "dashboard statistics: county × rate figures, compared down a column; scrolls in its panel",
    "inspections/panel.html": "dashboard statistics: county × severity counts; scrolls in its panel",
    "assessment/_progress.html": "dashboard statistics: county × target progress; scrolls in its panel",
    "disclosure/coverage_table.html": "dashboard statistics: county × disclosure coverage",
    "projects/panel_cultivation.html": "dashboard statistics: county × cultivation ratio",
}
# Single tables (template, a marker in the <table> tag) that are not lists.
NOT_LIST_TABLES = {
    ("complaints/analysis.html", 'data-testid="timeliness-table"'): "county × month rate matrix (rowspan)",
    ("awards/danhe_detail.html", 'aria-label="候选项目评分"'): "score entry form: an input per candidate",
    ("evaluation/evaluation_detail.html", 'data-testid="score-matrix"'): "score matrix: item × expert",
    ("inspections/inspection_detail.html", 'data-testid="checklist-form"'): "checklist form: a select per item",
    ("inspections/inspection_detail.html", 'data-testid="checklist-result"'): "checklist result: item and answer",
    (
        "core/operations.html",
        'data-testid="infrastructure"',
    ): "label / state / detail of five fixed checks (fits 390 px)",
}


def _tables():
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        for tag in re.findall(r"<table\b[^>]*>", path.read_text(encoding="utf-8")):
            yield name, tag


def test_every_list_table_is_a_card_list_on_a_phone():
    unmarked = []
    for name, tag in _tables():
        if name in NOT_LISTS or any(n == name and marker in tag for n, marker in NOT_LIST_TABLES):
            continue
        if not re.search(r'class="[^"]*\btable-cards\b', tag):
            unmarked.append(f"{name}: {tag}")
    assert not unmarked, "list tables without the card pattern (add table-cards or name them here):\n" + "\n".join(
        unmarked
    )


def test_the_allow_list_names_only_tables_that_exist():
    tables = list(_tables())
    for name in NOT_LISTS:
        assert any(n == name for n, _ in tables), name
    for name, marker in NOT_LIST_TABLES:
        assert any(n == name and marker in tag for n, tag in tables), (name, marker)


def test_the_pattern_is_styled_for_phones_and_labelled_by_the_script():
    css = (TEMPLATES.parent / "static/css/app.css").read_text(encoding="utf-8")
    phone = css[css.index("@media (max-width: 575.98px)", css.index("Lists as cards")) :]
    assert "table.table-cards" in phone and "attr(data-label)" in phone and ".card-more" in phone
    js = (TEMPLATES.parent / "static/js/behaviours.js").read_text(encoding="utf-8")
    assert 'querySelectorAll("table.table-cards")' in js and "展开" in js


@pytest.fixture
def rendered_chips():
    from django import forms

    class Filters(forms.Form):
        status = forms.ChoiceField(
            label="状态", choices=[("", "全部"), ("open", "办理中"), ("closed", "已办结")], required=False
        )
        q = forms.CharField(label="关键词", required=False)
        overdue = forms.BooleanField(label="仅逾期", required=False)

    def render(query):
        request = RequestFactory().get("/complaints/", query)
        template = Template(
            "{% load ui %}{% filter_chips form as chips %}{% for c in chips %}[{{ c.label }}：{{ c.value }}|{{ c.remove_url }}]{% endfor %}"
        )
        return template.render(Context({"request": request, "form": Filters(request.GET)}))

    return render


def test_active_filters_are_chips_with_the_choice_label_and_a_link_that_removes_only_that_filter(rendered_chips):
    html = rendered_chips({"status": "open", "q": "漏水", "sort": "-received_at", "page": "3"})
    assert "[状态：办理中|?q=%E6%BC%8F%E6%B0%B4&amp;sort=-received_at]" in html
    assert "[关键词：漏水|" in html
    assert "page=" not in html


def test_no_chip_for_an_empty_or_unchecked_filter(rendered_chips):
    assert rendered_chips({"status": "", "q": " ", "overdue": "false"}) == ""
    assert "[仅逾期：是|" in rendered_chips({"overdue": "on"})


@pytest.mark.django_db
def test_a_chosen_record_is_named_by_one_query_not_by_listing_every_choice(django_assert_num_queries):
    from django import forms

    from accounts.models import Region

    county = Region.objects.create(name="高平市", level=Region.Level.COUNTY)

    class Filters(forms.Form):
        county = forms.ModelChoiceField(label="县（市、区）", queryset=Region.objects.all(), required=False)

    request = RequestFactory().get("/projects/", {"county": county.pk})
    template = Template(
        "{% load ui %}{% filter_chips form as chips %}{% for c in chips %}[{{ c.label }}：{{ c.value }}]{% endfor %}"
    )
    with django_assert_num_queries(1):
        html = template.render(Context({"request": request, "form": Filters(request.GET)}))
    assert html == "[县（市、区）：高平市]"
    request = RequestFactory().get("/projects/", {"county": "abc"})
    assert template.render(Context({"request": request, "form": Filters(request.GET)})) == "[县（市、区）：abc]"
