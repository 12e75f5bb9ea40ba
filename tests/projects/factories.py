"""Factories and helpers of the projects tests (the shared ones live in tests/projects_factories.py)."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook

from projects.imports import HEADERS, SHEET
from tests.factories import EnterpriseFactory, UserFactory
from tests.projects_factories import (  # noqa: F401 - re-exported for the tests of this folder
    ConstraintRecordFactory,
    MonthlyReportFactory,
    ParticipantFactory,
    ProjectFactory,
)


def unit_user_of(enterprise, username: str):
    return UserFactory(role="unit_user", enterprise=enterprise, username=username)


def contractor_with_user(project, username="reporter"):
    """An enterprise taking part in ``project`` as general contractor, and its unit user."""
    enterprise = EnterpriseFactory(kinds=["contractor"])
    ParticipantFactory(project=project, enterprise=enterprise, role="contractor")
    return unit_user_of(enterprise, username)


class UploadedBytes(BytesIO):
    """A file-like object with the ``name`` and ``size`` of an uploaded file."""

    def __init__(self, data: bytes, name: str):
        super().__init__(data)
        self.name = name
        self.size = len(data)


def workbook_file(rows, *, headers=None, sheet=SHEET, name="月报.xlsx") -> UploadedBytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(list(headers or HEADERS))
    for row in rows:
        ws.append(list(row))
    buffer = BytesIO()
    wb.save(buffer)
    return UploadedBytes(buffer.getvalue(), name)


def report_row(code, year=2023, month=6, new=1000, prefab=260, bim="是", share=35, remarks=""):
    """A template row: code, year, month, nine areas, BIM, green-material share, remarks."""
    return [code, year, month, new, prefab, 0, 0, 0, 0, 120, 0, 0, bim, share, remarks]
