"""Printable documents handed over on site or sent by post: one A4 PDF helper (WeasyPrint, embedded CJK font).

The 整改通知单 / 停工整改通知书 (inspections.documents) and a complaint's 受理告知书 / 办结答复书
(complaints.documents) render their templates through ``render_pdf``; the header names the issuing bureau.
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.template.loader import render_to_string


def public_url(path: str, request=None) -> str:
    """The absolute URL of a path: PUBLIC_BASE_URL (the address citizens and units reach) or else the request's host.
    Printed on paper (QR codes) and sent by e-mail (set-password links), so never a relative path when it can be
    helped."""
    base = (settings.PUBLIC_BASE_URL or "").rstrip("/")
    if base:
        return f"{base}{path}"
    if request is not None:
        return request.build_absolute_uri(path)
    return path


def qr_data_uri(url: str) -> str:
    """A PNG data URI of the QR code of ``url`` for a printed page. Error correction "Q" (25 %): a sign lives
    outdoors and a notice is folded; a scratched code still reads."""
    return segno.make(url, error="q", micro=False).png_data_uri(scale=12, border=4)


def city_bureau() -> str:
    return settings.JINGPIN["CITY_BUREAU_NAME"]


def bureau_name(county=None) -> str:
    """The issuing bureau: a county's 住房和城乡建设局 for county-issued documents, else the city's."""
    return f"{county.name}住房和城乡建设局" if county is not None else city_bureau()


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML  # lazily: pango is only needed when a PDF is built

    return HTML(string=render_to_string(template, context), base_url=".").write_pdf()
