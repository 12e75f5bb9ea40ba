"""Read back a workbook the product wrote: the header row and the rows as dicts keyed by header."""

from __future__ import annotations

import io

from openpyxl import load_workbook


def sheet_headers(xlsx: bytes, sheet: str | None = None) -> list[str]:
    wb = load_workbook(io.BytesIO(xlsx))
    ws = wb[sheet] if sheet else wb.worksheets[0]
    return [cell.value for cell in ws[1]]


def sheet_rows(xlsx: bytes, sheet: str | None = None) -> list[dict]:
    wb = load_workbook(io.BytesIO(xlsx))
    ws = wb[sheet] if sheet else wb.worksheets[0]
    values = list(ws.iter_rows(values_only=True))
    header = values[0]
    return [dict(zip(header, row, strict=False)) for row in values[1:]]
