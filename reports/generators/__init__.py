"""Report generators: one class per report with one ``generate()``; see base.py."""

from reports.generators.base import GeneratedReport, ReportGenerator, get_generator, register

__all__ = ["GeneratedReport", "ReportGenerator", "get_generator", "register"]
