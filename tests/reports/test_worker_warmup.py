"""A worker child loads the PDF engine and the CJK fonts as it starts (config/celery.py), not in its first report."""

from celery.signals import worker_process_init
from django.test import override_settings

from config import celery as celery_config
from reports.writers import warm_up


def test_warm_up_builds_a_one_page_pdf_with_the_reports_stylesheet():
    from io import BytesIO

    from pypdf import PdfReader

    size = warm_up()
    assert size > 1000
    pdf = PdfReader(BytesIO(_last_pdf()))
    assert len(pdf.pages) == 1
    assert "预热" in pdf.pages[0].extract_text()


def _last_pdf() -> bytes:
    from reports.writers import PdfWriter

    return PdfWriter().render("reports/pdf_base.html", {"title": "预热", "issuer": "晋城市住房和城乡建设局"})


def test_each_worker_child_warms_up_when_it_starts(monkeypatch):
    calls = []
    monkeypatch.setattr("reports.writers.warm_up", lambda: calls.append(1) or 1)
    receivers = [r[1]() for r in worker_process_init.receivers]
    assert celery_config._warm_pdf_engine in receivers
    worker_process_init.send(sender=None)
    assert calls == [1]
    with override_settings(REPORT_WORKER_WARMUP=False):
        worker_process_init.send(sender=None)
    assert calls == [1]


def test_a_failing_warm_up_does_not_stop_the_child(monkeypatch, caplog):
    def broken():
        raise OSError("pango missing")

    monkeypatch.setattr("reports.writers.warm_up", broken)
    worker_process_init.send(sender=None)
    assert "could not be warmed up" in caplog.text
