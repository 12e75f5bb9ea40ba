"""A worker child loads the PDF engine and the CJK fonts as it starts (config/celery.py), not in its first report."""

from io import BytesIO

from celery.signals import worker_process_init
from django.test import override_settings
from pypdf import PdfReader

from config import celery as celery_config
from reports.writers import warm_up


def test_warm_up_builds_a_one_page_pdf_with_the_reports_stylesheet():
    rendered = warm_up()
    assert rendered.startswith(b"%PDF") and len(rendered) > 1000
    pdf = PdfReader(BytesIO(rendered))
    assert len(pdf.pages) == 1
    assert "预热" in pdf.pages[0].extract_text()


def test_each_worker_child_warms_up_when_it_starts(monkeypatch):
    calls = []
    monkeypatch.setattr("reports.writers.warm_up", lambda: calls.append(1) or b"")
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
