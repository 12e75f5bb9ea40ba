"""A complaint's printed 受理告知书 (once accepted) and 办结答复书 (once closed): A4 PDFs for complainants who came
by phone, letter, visit or referral, numbered from the tracking number (SL-/DF-<受理编号>), issued by the county
bureau that handles it. The complainant's name is not printed (it is seen only by the handler and the city, each
display audited): the handler writes it in by hand. The QR code leads to the public 办理进度查询 page."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from complaints.choices import Status
from complaints.models import Complaint
from core.printing import bureau_name, public_url, qr_data_uri, render_pdf

KINDS = {"accept": ("受理告知书", "SL"), "reply": ("办结答复书", "DF")}


def document_number(complaint: Complaint, kind: str) -> str:
    return f"{KINDS[kind][1]}-{complaint.tracking_no}"


def available(complaint: Complaint, kind: str) -> bool:
    if kind == "accept":
        return complaint.accepted_at is not None
    return kind == "reply" and complaint.status == Status.CLOSED


def render_complaint_pdf(complaint: Complaint, kind: str, request=None) -> bytes:
    if kind not in KINDS:
        raise ValidationError("未知的文书类型。")
    if not available(complaint, kind):
        raise ValidationError("受理后才能打印受理告知书。" if kind == "accept" else "办结后才能打印办结答复书。")
    url = public_url(reverse("complaints:public-status"), request)
    date = complaint.accepted_at if kind == "accept" else complaint.finished_at
    return render_pdf(
        "paper/complaint.html",
        {
            "complaint": complaint,
            "kind": kind,
            "title": KINDS[kind][0],
            "number": document_number(complaint, kind),
            "issuer": bureau_name(complaint.county),
            "date": timezone.localtime(date),
            "qr": qr_data_uri(url),
        },
    )
