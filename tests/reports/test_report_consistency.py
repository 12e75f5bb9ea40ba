"""Reports read like the pages: whole item names in the bulletin's Excel headers (wrapped, not cut), the annual
report's weighted parts to two decimals (cut like the score)."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from assessment.models import RubricItem
from reports.generators import get_generator

pytestmark = pytest.mark.django_db


def build(report_type, **params):
    cls = get_generator(report_type)
    return cls(**cls.validate_params(params)).generate()


def test_bulletin_item_headers_are_whole_and_the_header_row_is_tall_enough(demo_data):
    ws = load_workbook(io.BytesIO(build("monthly_bulletin", year=2023, month=6).xlsx))["分项得分"]
    headers = [c.value for c in ws[1]][2:-1]
    a1 = RubricItem.objects.filter(code="A1", rubric__year=2023).first()
    assert any(h.startswith(f"A1 {a1.content}（") for h in headers), headers[:2]
    assert ws.row_dimensions[1].height and ws.row_dimensions[1].height > 15


def test_annual_weighted_parts_have_two_decimals(demo_data):
    from pypdf import PdfReader

    cls = get_generator("annual_report")
    generator = cls(**cls.validate_params({"year": 2023}))
    rows = generator.collect()["scores"]
    parts = [p for r in rows for p in (r.target_part, r.monthly_part)]
    assert parts and all(p == p.quantize(Decimal("0.01")) for p in parts), parts
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(generator.generate().pdf)).pages)
    assert all(f" {r.target_part} " in text or f" {r.target_part}\n" in text for r in rows)


def test_bulletin_rank_change_reads_as_on_the_ranking_page(demo_data):
    from assessment import counting
    from assessment.ranking import monthly_ranking

    rows = [r for r in monthly_ranking(2023, 6, audience=counting.PUBLISHED) if r.rank is not None]
    ws = load_workbook(io.BytesIO(build("monthly_bulletin", year=2023, month=6).xlsx))["排名"]
    column = [c.value for c in ws[1]].index("名次变化") + 1
    assert [ws.cell(i, column).value for i in range(2, len(rows) + 2)] == [r.rank_change_label for r in rows]


def test_annual_months_without_a_score_name_their_state(demo_data):
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(build("annual_report", year=2024).pdf)).pages)
    months = text[text.index("二、各月考评得分") : text.index("三、")]
    assert "未到期" in months  # April … December of 2024 on DEMO_NOW (2024-03-12), never a bare "—"
    assert "—" not in months


def test_the_annual_report_keeps_one_orientation_portrait_on_every_page(demo_data):
    """The month table fits a portrait page (compact cells); no page switches to landscape."""
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(build("annual_report", year=2023).pdf)).pages
    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pages}
    assert sizes == {(595, 842)}  # A4 portrait


def test_the_monthly_bulletin_is_portrait_throughout_so_no_page_is_left_half_empty(demo_data):
    """The item table fits a portrait page: a landscape section forced a break after the trend chart (page 2 held
    only the chart)."""
    from pypdf import PdfReader

    from reports.forms import default_bulletin_month

    year, month = default_bulletin_month()
    pages = PdfReader(io.BytesIO(build("monthly_bulletin", year=year, month=month).pdf)).pages
    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pages}
    assert sizes == {(595, 842)}  # A4 portrait
