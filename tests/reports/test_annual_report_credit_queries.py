"""The annual report's collect() reads the credit record in a constant number of queries: as many for 24
enterprises with their entries, score history, appeals and blacklisted ones as for 3 (the bench runs it at province
scale: 5,000 enterprises, 100,000 entries)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from credit.annual import year_section
from credit.models import CreditAppeal, CreditEntry
from credit.services import rescore
from reports.generators import get_generator
from tests.credit.recording import on, record
from tests.factories import EnterpriseFactory
from tests.reports.credit_year import REPORT_DAY

pytestmark = pytest.mark.django_db


def populate(count: int) -> None:
    """``count`` enterprises, each with a 行政处罚 and an appeal in 2025, every third with a 严重 constraint
    (黑名单), the history rescored twice in the year and once after."""
    enterprises = [EnterpriseFactory() for _ in range(count)]
    for i, enterprise in enumerate(enterprises):
        entry = record(enterprise, "penalty", dt.date(2025, 3, 1 + i % 28), f"晋市建罚〔2025〕{100 + i}号")
        if i % 3 == 0:
            record(enterprise, "constraint_major", dt.date(2025, 4, 1), f"晋市建约〔2025〕{100 + i}号")
        with on(dt.date(2025, 5, 1)):
            CreditAppeal.objects.create(entry=entry, enterprise=enterprise, reasons="已整改。")
    ids = [e.pk for e in enterprises]
    for day in (dt.date(2025, 9, 1), dt.date(2026, 1, 5)):
        with on(day):
            rescore(ids, day)


def collect_queries() -> tuple[int, int, dict]:
    cls = get_generator("annual_report")
    generator = cls(**cls.validate_params({"year": 2025}))
    with on(REPORT_DAY):
        with CaptureQueriesContext(connection) as whole:
            data = generator.collect()
        with CaptureQueriesContext(connection) as section:
            year_section(2025)
    return len(whole.captured_queries), len(section.captured_queries), data


def test_collect_makes_as_many_queries_for_many_enterprises_as_for_few():
    populate(3)
    few, few_section, data = collect_queries()
    assert len(data["credit"]["blacklist"]) == 1 and len(data["credit"]["penalties"]) == 3
    populate(21)
    many, many_section, data = collect_queries()
    assert len(data["credit"]["blacklist"]) == 1 + 7 and len(data["credit"]["penalties"]) == 24
    assert CreditEntry.objects.count() == 24 + 8
    assert many == few, "collect() reads per enterprise"
    assert many_section == few_section <= 8, "the credit section reads per enterprise"


def test_writing_the_pdf_and_the_workbook_reads_nothing_more_from_the_database():
    """collect() loads what the section prints (the penalties' enterprises, the blacklist's entries)."""
    populate(4)
    cls = get_generator("annual_report")
    generator = cls(**cls.validate_params({"year": 2025}))
    with on(REPORT_DAY):
        data = generator.collect()
        context = {**data, "title": "测试", "generated_at": timezone.localtime(), "summary": generator.summary(data)}
        with CaptureQueriesContext(connection) as ctx:
            generator.pdf_writer.render(generator.template_name, context)
            generator.excel_writer.render(generator.sheets(data))
    assert not ctx.captured_queries, [q["sql"][:120] for q in ctx.captured_queries[:3]]
