"""A long report laid out in parts (reports.pdfparts) has the same pages as the one-piece layout.

Issue 30: the bulletin over every county of a national deployment peaked at 2.46 GB RSS in one WeasyPrint layout;
laid out a few hundred rows at a time it must keep every page: the same page count, the same text on each page,
"第 x 页 共 y 页" counted over the whole document.
"""

import io

import pytest
import weasyprint
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import timezone
from pypdf import PdfReader

from reports import pdfparts
from reports.generators import get_generator
from reports.writers import PdfWriter

BODY = """{% extends "reports/pdf_base.html" %}{% block body %}
<style>.wide { page: wide; }</style>
<p>各县（市、区）住建局：</p>
<div class="summary"><strong>概述：</strong>长表分段排版与整篇排版的页面相同。</div>
<h2>一、排名</h2>
<table>
  <thead><tr><th style="width:9%">排名</th><th>县（市、区）</th><th>月度得分</th><th>报送情况</th></tr></thead>
  <tbody>{% for i in rows %}<tr><td>{{ i }}</td><td>第{{ i }}县</td><td class="num">{{ i }}.50</td>
  <td{% if i|divisibleby:7 %} class="late"{% endif %}>{% if i|divisibleby:7 %}逾期报送{% else %}按时报送{% endif %}</td></tr>{% endfor %}</tbody>
</table>
<h2>二、说明</h2>
<p>{% for i in rows|slice:":40" %}第{{ i }}条说明文字。{% endfor %}</p>
<div>
<h2>三、各考评项得分</h2>
<table class="compact">
  <thead><tr><th>排名</th><th>县（市、区）</th>{% for c in cols %}<th>{{ c }}<br><span class="muted">5分</span></th>{% endfor %}</tr></thead>
  <tbody>{% for i in rows %}<tr><td>{{ i }}</td><td>第{{ i }}县</td>{% for c in cols %}<td class="num">{{ c }}.{{ i }}</td>{% endfor %}</tr>{% endfor %}</tbody>
</table>
</div>
<p style="margin-top:14pt; text-align:right">晋城市住房和城乡建设局</p>
{% endblock %}"""


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def count_layouts(monkeypatch):
    calls = []
    render = weasyprint.HTML.render

    def counting(self, *args, **kwargs):
        calls.append(1)
        return render(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "render", counting)
    return calls


def long_html() -> str:
    context = {
        "title": "分段排版测试",
        "issuer": "晋城市住房和城乡建设局",
        "generated_at": timezone.now(),
        "rows": range(1, 181),
        "cols": [f"A{n}" for n in range(1, 13)],
    }
    return Template(BODY).render(Context(context))


def test_a_long_document_laid_out_in_parts_has_the_same_pages(count_layouts):
    html = long_html()
    whole = weasyprint.HTML(string=html, base_url=".").write_pdf()
    count_layouts.clear()
    parts = pdfparts.write_pdf_in_parts(html, rows_per_part=50)

    assert len(count_layouts) >= 1 + 4, "several parts (and the footers' document) were laid out"
    expected, got = pages_text(whole), pages_text(parts)
    assert len(got) == len(expected) >= 8
    for number, (page_expected, page_got) in enumerate(zip(expected, got, strict=True), start=1):
        assert page_got == page_expected, f"page {number} differs"
    # the page numbers count the whole document, not each part
    assert f"第 {len(got)} 页 共 {len(got)} 页" in got[-1]
    assert f"第 5 页 共 {len(got)} 页" in got[4]


def test_the_writer_splits_only_long_documents(monkeypatch, count_layouts):
    html = long_html()
    assert pdfparts.row_count(html) < pdfparts.SPLIT_FROM_ROWS  # 362 rows: one piece
    writer = PdfWriter()
    monkeypatch.setattr("reports.writers.render_to_string", lambda name, context: html)
    writer.render("x", {})
    assert len(count_layouts) == 1
    count_layouts.clear()
    writer.split_from_rows, writer.rows_per_part = 300, 60
    pages_text(writer.render("x", {}))
    assert len(count_layouts) > 2


@pytest.mark.django_db
def test_the_demo_bulletin_laid_out_in_parts_has_the_same_pages(demo_data):
    generator = get_generator("monthly_bulletin")(year=2023, month=6)
    data = generator.collect()
    context = {
        **data,
        "title": generator.title_for(generator.params),
        "generated_at": timezone.localtime(),
        "issuer": "晋城市住房和城乡建设局",
        "summary": generator.summary(data),
    }
    html = render_to_string(generator.template_name, context)
    expected = pages_text(weasyprint.HTML(string=html, base_url=".").write_pdf())
    got = pages_text(pdfparts.write_pdf_in_parts(html, rows_per_part=4))
    assert got == expected
    assert f"第 1 页 共 {len(expected)} 页" in got[0]


def test_a_landscape_page_is_laid_out_in_one_piece(count_layouts):
    """The footers are drawn on pages of the default size: a document with a landscape named page is not split."""
    html = long_html().replace("<div>\n<h2>三", '<div class="wide">\n<h2>三', 1)
    html = html.replace("</style>", "@page wide { size: A4 landscape; }</style>", 1)
    expected = pages_text(weasyprint.HTML(string=html, base_url=".").write_pdf())
    assert pages_text(pdfparts.write_pdf_in_parts(html, rows_per_part=50)) == expected
