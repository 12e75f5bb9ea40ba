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


def sheet_table(xlsx: bytes, sheet: str, caption: str) -> list[dict]:
    """One table of a sheet of several (``core.exports.TableSheet``): the rows under the caption that starts with
    ``caption`` (its header is the next row), down to the blank row that ends it."""
    wb = load_workbook(io.BytesIO(xlsx))
    values = list(wb[sheet].iter_rows(values_only=True))
    start = next(i for i, row in enumerate(values) if isinstance(row[0], str) and row[0].startswith(caption))
    header = [h for h in values[start + 1] if h is not None]
    rows = []
    for row in values[start + 2 :]:
        if all(v is None for v in row):
            break
        rows.append(dict(zip(header, row, strict=False)))
    return rows
