"""The printed 整改通知单 and 停工整改通知书: A4 PDFs to hand over on site or send by post to a unit (with or without
a login), numbered with the notice's own number.

Which one: a finding of the most severe level (``Severity.MAJOR``, 严重) is a 停工整改通知书 — the works concerned
stop until the bureau's re-check; a 一般 or 较重 finding is a 整改通知单. The legal basis each cites is configurable
(``JINGPIN["NOTICE_LEGAL_BASIS"]``, ``JINGPIN["STOP_WORK_LEGAL_BASIS"]``; general references by default). The QR code
links to the notice's page, where a unit that has a login reads and answers it.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from core.printing import bureau_name, public_url, qr_data_uri, render_pdf
from inspections.models import RectificationNotice, Severity

NOTICE_TITLE, STOP_WORK_TITLE = "整改通知单", "停工整改通知书"


def is_stop_work(notice: RectificationNotice) -> bool:
    return notice.finding.severity == Severity.MAJOR


def title(notice: RectificationNotice) -> str:
    return STOP_WORK_TITLE if is_stop_work(notice) else NOTICE_TITLE


def notice_url(notice: RectificationNotice, request=None) -> str:
    return public_url(reverse("inspections:notice-detail", args=[notice.pk]), request)


def render_notice_pdf(notice: RectificationNotice, request=None) -> bytes:
    stop_work = is_stop_work(notice)
    key = "STOP_WORK_LEGAL_BASIS" if stop_work else "NOTICE_LEGAL_BASIS"
    url = notice_url(notice, request)
    return render_pdf(
        "paper/notice.html",
        {
            "notice": notice,
            "title": title(notice),
            "number": notice.number,
            "stop_work": stop_work,
            "issuer": bureau_name(notice.finding.inspection.plan.county),
            "legal_basis": settings.JINGPIN[key],
            "qr": qr_data_uri(url),
            "url": url,
        },
    )
