"""Pluggable output writers: HTML template → PDF (WeasyPrint) and sheets → xlsx (openpyxl, core.exports)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.template.loader import render_to_string

from core.exports import Column, TableSheet, workbook_bytes
from reports import pdfparts


class PdfWriter:
    """Renders a Django template to an A4 PDF; the template's CSS sets fonts, page numbers and margins.

    A long document (``pdfparts.SPLIT_FROM_ROWS`` table rows or more: the bulletin over thousands of counties) is
    laid out in parts of ``rows_per_part`` rows with the same pages, so WeasyPrint's memory stays bounded."""

    content_type = "application/pdf"
    extension = "pdf"
    split_from_rows = pdfparts.SPLIT_FROM_ROWS
    rows_per_part = pdfparts.ROWS_PER_PART

    def render(self, template_name: str, context: dict[str, Any]) -> bytes:
        from weasyprint import HTML  # imported lazily: pango is only needed when a PDF is built

        html = render_to_string(template_name, context)
        if pdfparts.row_count(html) >= self.split_from_rows and pdfparts.can_split(html):
            return pdfparts.write_pdf_in_parts(html, rows_per_part=self.rows_per_part)
        return HTML(string=html, base_url=".").write_pdf()


def warm_up() -> bytes:
    """Build a one-page PDF with the reports' stylesheet and fonts; returns the PDF it rendered.

    A worker child runs it once when it starts (config/celery.py), so pango, fontconfig and the CJK fonts are
    loaded before the first report and not by it: the first bulletin is not slower than the next, and a child's
    resident memory is measured warm (bench/soak.py's RSS goal is about growth under load, not the first load).
    """
    return PdfWriter().render(
        "reports/pdf_base.html",
        {"title": "预热", "issuer": "晋城市住房和城乡建设局", "generated_at": "", "period_label": ""},
    )


class ExcelWriter:
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    extension = "xlsx"

    def render(self, sheets: list[tuple[str, list[Column], Iterable[Any]] | TableSheet]) -> bytes:
        return workbook_bytes(sheets)
