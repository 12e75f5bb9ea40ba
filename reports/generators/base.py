"""The report generator contract (after django-oscar's ReportGenerator).

A generator takes its parameters, collects its data once (``collect``), and ``generate()`` renders the same data
through the pluggable PDF and Excel writers. It never touches the archive: the service stores the result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from core.db import replica_reads
from reports.writers import ExcelWriter, PdfWriter

_registry: dict[str, type[ReportGenerator]] = {}


@dataclass
class GeneratedReport:
    title: str
    filename: str  # without extension
    pdf: bytes
    xlsx: bytes
    summary: str = ""
    has_published_data: bool = False
    meta: dict[str, Any] = field(default_factory=dict)


class ReportGenerator:
    report_type: str = ""
    template_name: str = ""
    pdf_writer_class = PdfWriter
    excel_writer_class = ExcelWriter

    def __init__(self, **params):
        self.params = params
        self.pdf_writer = self.pdf_writer_class()
        self.excel_writer = self.excel_writer_class()

    # --- to implement ---------------------------------------------------------------------------
    @classmethod
    def validate_params(cls, params: dict) -> dict:
        """Return clean parameters or raise django ValidationError with a Chinese message."""
        raise NotImplementedError

    @classmethod
    def params_key(cls, params: dict) -> str:
        raise NotImplementedError

    @classmethod
    def title_for(cls, params: dict) -> str:
        raise NotImplementedError

    def collect(self) -> dict[str, Any]:
        raise NotImplementedError

    def sheets(self, data: dict[str, Any]) -> list:
        raise NotImplementedError

    def summary(self, data: dict[str, Any]) -> str:
        return ""

    # --- the one entry point --------------------------------------------------------------------
    def generate(self, progress: Callable[[int], None] = lambda pct: None) -> GeneratedReport:
        # Read-only work: its reads go to the replica when REPLICA_DATABASE_URL is set (core.db).
        with replica_reads():
            return self._generate(progress)

    def _generate(self, progress: Callable[[int], None]) -> GeneratedReport:
        title = self.title_for(self.params)
        progress(10)
        data = self.collect()
        progress(40)
        context = {
            **data,
            "title": title,
            "generated_at": timezone.localtime(),
            "issuer": "晋城市住房和城乡建设局",
            "summary": self.summary(data),
        }
        pdf = self.pdf_writer.render(self.template_name, context)
        progress(75)
        xlsx = self.excel_writer.render(self.sheets(data))
        progress(95)
        return GeneratedReport(
            title=title,
            filename=title,
            pdf=pdf,
            xlsx=xlsx,
            summary=context["summary"],
            has_published_data=bool(data.get("has_published_data")),
        )


def register(cls: type[ReportGenerator]) -> type[ReportGenerator]:
    _registry[cls.report_type] = cls
    return cls


def get_generator(report_type: str) -> type[ReportGenerator]:
    # the generators register themselves when their modules are imported: the reports app's ready() imports its
    # own, the pilots app's ready() its 通报
    return _registry[report_type]
