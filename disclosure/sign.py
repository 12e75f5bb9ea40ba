"""The 永久性标志牌 (permanent project sign): a print-ready A3/A4 PDF with the public data and a QR code.

The QR code holds the absolute URL of the project's public page (its random public id, never the database id),
so the sign stays valid for the life of the building.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from core.printing import qr_data_uri

SIZES = {"A3": "A3", "A4": "A4"}


def render_sign_pdf(record, url: str, size: str = "A4") -> bytes:
    from weasyprint import HTML  # lazily: pango is only needed when a PDF is built

    size = SIZES.get((size or "").upper(), "A4")
    html = render_to_string("disclosure/sign_pdf.html", {"p": record, "url": url, "qr": qr_data_uri(url), "size": size})
    return HTML(string=html, base_url=".").write_pdf()
