"""One Excel export helper for every list in the web UI and the API.

A list declares its columns once as ``Column(header, accessor, fmt)``; ``xlsx_response`` writes a real
workbook: numbers as numbers (2-decimal format), dates as dates, frozen header row, fitting column
widths, landscape print setup fitted to the page width.

Every cell of every workbook the product writes goes through ``write_cell``: text is written as text, never as a
formula (a string starting with ``= + - @``, tab or CR is stored as a plain string with Excel's quote prefix, the
OWASP rule against formula injection), and control characters that a worksheet cannot hold are removed, so one
odd character in a remark can neither run in the reader's Excel nor break the export.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO, StringIO
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
NUMBER_FORMATS = {
    "decimal": "#,##0.00",
    "int": "0",
    "percent": "0.00",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}


@dataclass(frozen=True)
class Column:
    header: str
    accessor: str | Callable[[Any], Any]
    fmt: str = ""  # "", "decimal", "int", "percent", "date", "datetime"
    width: int | None = None

    def raw(self, obj):
        """The value as the object holds it (a Decimal stays a Decimal: the CSV writes it exactly)."""
        if callable(self.accessor):
            value = self.accessor(obj)
        else:
            value = obj
            for part in self.accessor.split("."):
                if value is None:
                    break
                if isinstance(value, dict):
                    value = value.get(part)
                else:
                    value = getattr(value, part)
                    if part.startswith("get_") and callable(value):
                        value = value()
        if callable(value):
            value = value()
        return value

    def value(self, obj):
        return _cell_value(self.raw(obj))


def _cell_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return float(value)  # Excel stores IEEE doubles; the 2-decimal format shows the exact figure
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, (int, float, dt.date, str)):
        return value
    return str(value)


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_CHARS = 32767


_NOT_XML = re.compile("[\ufffe\uffff\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Text a worksheet can hold: control characters and non-characters removed (tab and line breaks stay, as
    LF: XML turns a bare CR into LF anyway), at most 32,767 characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_XML.sub("", ILLEGAL_CHARACTERS_RE.sub("", text))[:MAX_CELL_CHARS]


def write_cell(ws, row: int, column: int, value):
    """Write one value; strings are always text (never a formula), cleaned of characters a worksheet refuses."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        value = clean_text(value)
        cell.value = value
        if value.startswith(FORMULA_PREFIXES):
            cell.data_type = "s"  # openpyxl would store "=…" as a formula
            cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
    else:
        cell.value = value
    return cell


def append_row(ws, values) -> None:
    """``ws.append`` through ``write_cell``."""
    row = ws.max_row + 1 if ws.max_row > 1 or ws.cell(1, 1).value is not None else 1
    for column, value in enumerate(values, start=1):
        write_cell(ws, row, column, value)


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


@dataclass(frozen=True)
class Table:
    """One titled table of a sheet that holds several (``TableSheet``): a caption row, the header, the rows."""

    caption: str
    columns: list[Column]
    rows: Iterable[Any]


@dataclass(frozen=True)
class TableSheet:
    """A sheet of several tables one below the other (a report section's tables), a blank row between them."""

    title: str
    tables: list[Table]


_THIN = Side(style="thin", color="999999")
_HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")


def _write_table(ws, top: int, columns: list[Column], rows: Iterable[Any], widths: list[int]) -> int:
    """The header on row ``top`` and the rows below it; ``widths`` grows to fit. Returns the last row written."""
    for col_idx, column in enumerate(columns, start=1):
        cell = write_cell(ws, top, col_idx, column.header)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(top=_THIN, bottom=_THIN, left=_THIN, right=_THIN)
        widths[col_idx - 1] = max(widths[col_idx - 1], _display_width(column.header))
    row_idx = top
    for obj in rows:
        row_idx += 1
        for col_idx, column in enumerate(columns, start=1):
            value = column.value(obj)
            cell = write_cell(ws, row_idx, col_idx, value)
            if column.fmt and not isinstance(value, str):
                cell.number_format = NUMBER_FORMATS[column.fmt]
            text = value.strftime("%Y-%m-%d %H:%M") if isinstance(value, dt.datetime) else str(value)
            widths[col_idx - 1] = max(widths[col_idx - 1], min(_display_width(text), 60))
    return row_idx


def _print_setup(ws) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def add_sheet(wb: Workbook, title: str, columns: list[Column], rows: Iterable[Any], *, first: bool = False):
    ws = wb.active if first else wb.create_sheet()
    ws.title = title[:31]
    widths = [0] * len(columns)
    row_idx = _write_table(ws, 1, columns, rows, widths)
    header_lines = 1
    for col_idx, column in enumerate(columns, start=1):
        width = column.width or max(8, widths[col_idx - 1] + 2)
        ws.column_dimensions[get_column_letter(col_idx)].width = width
        # a fixed-width column wraps its long header: the header row is made tall enough to show it whole
        header_lines = max(header_lines, -(-_display_width(column.header) // max(1, int(width) - 2)))
    if header_lines > 1:
        ws.row_dimensions[1].height = 15 * min(header_lines, 6)
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    _print_setup(ws)
    if row_idx > 1:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{row_idx}"
    return ws


def add_table_sheet(wb: Workbook, sheet: TableSheet, *, first: bool = False):
    """The tables one below the other, each under its caption (bold), a blank row between them; the columns as
    wide as the widest cell of any table in them (a fixed ``width`` of the first table naming it wins)."""
    ws = wb.active if first else wb.create_sheet()
    ws.title = sheet.title[:31]
    widths = [0] * max((len(t.columns) for t in sheet.tables), default=0)
    fixed: dict[int, int] = {}
    row_idx = 0
    for table in sheet.tables:
        top = row_idx + (2 if row_idx else 1)
        caption = write_cell(ws, top, 1, table.caption)
        caption.font = Font(bold=True, size=12)
        row_idx = _write_table(ws, top + 1, table.columns, table.rows, widths)
        for col_idx, column in enumerate(table.columns):
            if column.width:
                fixed.setdefault(col_idx, column.width)
    for col_idx, width in enumerate(widths):
        ws.column_dimensions[get_column_letter(col_idx + 1)].width = fixed.get(col_idx) or max(8, width + 2)
    _print_setup(ws)
    return ws


def workbook_bytes(sheets: list[tuple[str, list[Column], Iterable[Any]] | TableSheet]) -> bytes:
    """A workbook of these sheets: (title, columns, rows) for a list, a ``TableSheet`` for several tables."""
    wb = Workbook()
    for index, sheet in enumerate(sheets):
        if isinstance(sheet, TableSheet):
            add_table_sheet(wb, sheet, first=index == 0)
        else:
            title, columns, rows = sheet
            add_sheet(wb, title, columns, rows, first=index == 0)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _attachment(response: HttpResponse, filename: str, ext: str) -> HttpResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"{filename}-{stamp}.{ext}"
    response["Content-Disposition"] = f"attachment; filename=\"export.{ext}\"; filename*=UTF-8''{quote(name)}"
    return response


def xlsx_response(filename: str, sheets: list[tuple[str, list[Column], Iterable[Any]]]) -> HttpResponse:
    return _attachment(HttpResponse(workbook_bytes(sheets), content_type=XLSX_CONTENT_TYPE), filename, "xlsx")


# --- CSV (the exchange feeds) ---------------------------------------------------------------------------------
def csv_text(value) -> str:
    """One CSV field: decimals exact ("-2.00"), dates ISO, yes/no in Chinese, text cleaned and never a formula
    (the same OWASP rule as the workbook: a leading ``= + - @``, tab or CR gets a quote prefix)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return str(value)
    text = clean_text(str(value))
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_bytes(columns: list[Column], rows: Iterable[Any]) -> bytes:
    """UTF-8 with a byte-order mark (Excel opens the Chinese text right), one header row, CRLF line ends."""
    buffer = StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.header for c in columns])
    for obj in rows:
        writer.writerow([csv_text(c.raw(obj)) for c in columns])
    return buffer.getvalue().encode("utf-8-sig")


def csv_response(filename: str, columns: list[Column], rows: Iterable[Any]) -> HttpResponse:
    return _attachment(HttpResponse(csv_bytes(columns, rows), content_type=CSV_CONTENT_TYPE), filename, "csv")
