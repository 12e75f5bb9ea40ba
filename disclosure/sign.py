"""The 永久性标志牌 (permanent project sign): a print-ready A3/A4 PDF with the public data and a QR code.

The QR code holds the absolute URL of the project's public page (its random public id, never the database id),
so the sign stays valid for the life of the building.
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.template.loader import render_to_string

SIZES = {"A3": "A3", "A4": "A4"}


def public_url(path: str, request=None) -> str:
    """The absolute public URL: PUBLIC_BASE_URL (the address citizens reach) or else the request's host."""
    base = (getattr(settings, "PUBLIC_BASE_URL", "") or "").rstrip("/")
    if base:
        return f"{base}{path}"
    if request is not None:
        return request.build_absolute_uri(path)
    return path


def qr_data_uri(url: str) -> str:
    # Error correction "Q" (25 %): the sign lives outdoors; a scratched code still reads.
    return segno.make(url, error="q", micro=False).png_data_uri(scale=12, border=4)


def render_sign_pdf(record, url: str, size: str = "A4") -> bytes:
    from weasyprint import HTML  # lazily: pango is only needed when a PDF is built

    size = SIZES.get((size or "").upper(), "A4")
    html = render_to_string("disclosure/sign_pdf.html", {"p": record, "url": url, "qr": qr_data_uri(url), "size": size})
    return HTML(string=html, base_url=".").write_pdf()
