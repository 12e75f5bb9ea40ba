"""Excel template and import of monthly project reports (项目月报).

The import reads the whole file first and reports every bad cell (sheet, row, column, reason in Chinese);
only when the whole file is valid are the reports written, in one transaction, through the same services
the web form and the API use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.decimals import parse_decimal
from core.exports import append_row, write_cell
from core.uploads import human_size
from projects import services
from projects.models import MonthlyReport, Project

SHEET = "项目月报"


@dataclass(frozen=True)
class ImportColumn:
    header: str
    field: str
    kind: str  # code / year / month / area / percent / bool / text
    required: bool = False
    note: str = ""


COLUMNS = [
    ImportColumn("项目编号", "project", "code", True, "系统中的项目编号，须为本单位参建的项目"),
    ImportColumn("年度", "year", "year", True, "四位数字，如 2023"),
    ImportColumn("月份", "month", "month", True, "1-12"),
    ImportColumn("新开工建筑面积（m²）", "new_start_area", "area", note="非负数，最多两位小数；空白按0"),
    ImportColumn("其中装配式建筑面积（m²）", "prefab_area", "area", note="不大于新开工建筑面积"),
    ImportColumn("绿色建筑面积-基本级（m²）", "green_area_basic", "area", note="竣工验收的绿色建筑面积"),
    ImportColumn("绿色建筑面积-一星（m²）", "green_area_one_star", "area"),
    ImportColumn("绿色建筑面积-二星（m²）", "green_area_two_star", "area"),
    ImportColumn("绿色建筑面积-三星（m²）", "green_area_three_star", "area"),
    ImportColumn("可再生能源应用面积（m²）", "renewable_area", "area"),
    ImportColumn("既有居住建筑节能改造开工面积（m²）", "retrofit_residential_area", "area"),
    ImportColumn("既有公共建筑绿色化改造开工面积（m²）", "retrofit_public_area", "area"),
    ImportColumn("应用BIM（是/否）", "bim_applied", "bool", note="填“是”或“否”；空白按否"),
    ImportColumn("绿色建材应用比例（%）", "green_material_share", "percent", note="0-100，可空白"),
    ImportColumn("备注", "remarks", "text"),
]
HEADERS = [c.header for c in COLUMNS]
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class ImportIssue:
    sheet: str
    row: int
    column: str  # letter, "" for the whole file/row
    column_name: str
    message: str

    def __str__(self) -> str:
        where = f"工作表“{self.sheet}”" if self.sheet else "文件"
        if self.row:
            where += f"第{self.row}行"
        if self.column:
            where += f" {self.column}列（{self.column_name}）"
        return f"{where}：{self.message}"


@dataclass
class ImportResult:
    issues: list[ImportIssue] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    submitted: int = 0

    @property
    def ok(self) -> bool:
        return not self.issues


# --- template -------------------------------------------------------------------------------------


def template_bytes(user) -> bytes:
    """The blank template: the data sheet with its header, a sheet of rules and the user's projects."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    header_fill = PatternFill("solid", fgColor="DDE5F0")
    for idx, column in enumerate(COLUMNS, start=1):
        cell = write_cell(ws, 1, idx, column.header)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(idx)].width = max(12, len(column.header) * 2 + 2)
    ws.row_dimensions[1].height = 36
    ws.freeze_panes = "A2"
    month_letter = get_column_letter(HEADERS.index("月份") + 1)
    bim_letter = get_column_letter(HEADERS.index("应用BIM（是/否）") + 1)
    month_dv = DataValidation(type="whole", operator="between", formula1="1", formula2="12", allow_blank=False)
    month_dv.error, month_dv.errorTitle = "月份应为1-12的整数。", "月份"
    bim_dv = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    ws.add_data_validation(month_dv)
    ws.add_data_validation(bim_dv)
    month_dv.add(f"{month_letter}2:{month_letter}1000")
    bim_dv.add(f"{bim_letter}2:{bim_letter}1000")

    notes = wb.create_sheet("填写说明")
    append_row(notes, ["列", "表头", "必填", "填写要求"])
    for idx, column in enumerate(COLUMNS, start=1):
        append_row(notes, [get_column_letter(idx), column.header, "是" if column.required else "否", column.note])
    append_row(notes, [""])
    append_row(notes, ["", "说明", "", "同一项目同一月份只能有一份月报；已提交或已接收的月报不能通过导入修改。"])
    append_row(notes, ["", "", "", "导入时先校验整个文件，任何单元格有误则全部不写入，并列出每个错误的位置和原因。"])
    for letter, width in zip("ABCD", (6, 36, 6, 70), strict=True):
        notes.column_dimensions[letter].width = width

    mine = wb.create_sheet("可填报项目")
    append_row(mine, ["项目编号", "项目名称", "县（市、区）"])
    for project in Project.objects.visible_to(user).select_related("county").order_by("code"):
        append_row(mine, [project.code, project.name, project.county.name])
    mine.column_dimensions["A"].width = 18
    mine.column_dimensions["B"].width = 50
    mine.column_dimensions["C"].width = 14
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- parsing --------------------------------------------------------------------------------------


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _parse_int(value) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    raise ValueError


def _parse_cell(column: ImportColumn, value) -> tuple[Any, str | None]:
    """(parsed value, error message or None)."""
    if _is_blank(value):
        if column.required:
            return None, "必填，不能为空。"
        return {"area": Decimal("0"), "bool": False, "percent": None, "text": ""}[column.kind], None
    if column.kind == "code":
        return str(value).strip(), None
    if column.kind == "text":
        return str(value).strip(), None
    if column.kind == "bool":
        text = str(value).strip() if not isinstance(value, bool) else ("是" if value else "否")
        if text in ("是", "Y", "y", "1", "TRUE", "True", "true"):
            return True, None
        if text in ("否", "N", "n", "0", "FALSE", "False", "false"):
            return False, None
        return None, f"应填“是”或“否”，不能为“{text}”。"
    if column.kind in ("year", "month"):
        try:
            number = _parse_int(value)
        except ValueError:
            return None, f"应为整数，不能为“{value}”。"
        if column.kind == "year" and not 2000 <= number <= 2100:
            return None, f"年度应在2000-2100之间，不能为{number}。"
        if column.kind == "month" and not 1 <= number <= 12:
            return None, f"月份应为1-12，不能为{number}。"
        return number, None
    # area / percent
    try:
        number = parse_decimal(value, commas=True)
    except ValueError:
        return None, f"应为数字，不能为“{value}”。"
    if number < 0:
        return None, f"不能为负数（{number}）。"
    if column.kind == "percent" and number > 100:
        return None, f"百分比应在0-100之间，不能为{number}。"
    if number >= Decimal("1e12"):
        return None, f"数值过大（{number}）。"
    if number != number.quantize(TWO_PLACES):
        return None, f"最多保留两位小数（{number}）。"
    return number.quantize(TWO_PLACES), None


UNREADABLE = "无法读取该文件：它不是有效的 .xlsx 格式 Excel 文件，请下载模板填写后上传。"
EXTRA_COLUMNS = 10
MAX_PACKAGE_PARTS = 300
MAX_RATIO = 100  # an xlsx compresses 5-20 times; a part inflating 100 times more is a zip bomb


def too_many_rows(count: int | None, limit: int) -> str:
    found = f"有{count}行数据，" if count else ""
    return f"文件{found}超过单次导入上限{limit}行，请拆分为多个文件后分别导入。"


def check_xlsx_package(data: bytes) -> str | None:
    """Refuse, before any part is inflated, an xlsx whose parts would inflate beyond the limit (a zip bomb) or that
    is not a zip package at all. Returns the Chinese message, or None when it is safe to open."""
    import zipfile

    try:
        package = zipfile.ZipFile(BytesIO(data))
        parts = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return UNREADABLE
    if len(parts) > MAX_PACKAGE_PARTS:
        return f"文件结构异常（包含{len(parts)}个部件），请使用系统提供的模板重新填写。"
    limit = settings.IMPORT_MAX_UNCOMPRESSED_BYTES
    total = sum(part.file_size for part in parts)
    if total > limit:
        return f"文件解压后达{human_size(total)}，超过上限{human_size(limit)}，请删除多余内容或拆分后重新上传。"
    for part in parts:
        if part.file_size > 1024 * 1024 and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            return "文件内容压缩比异常，疑似恶意文件，已拒绝。请使用系统提供的模板重新填写。"
    return None


def _file_issue(message: str) -> ImportResult:
    return ImportResult(issues=[ImportIssue("", 0, "", "", message)])


def _letter(name: str) -> str:
    return get_column_letter(HEADERS.index(name) + 1) if name in HEADERS else ""


def read_rows(uploaded, *, user) -> tuple[list[dict[str, Any]], ImportResult]:
    """Validate the whole file; returns the parsed rows and a result that holds every issue found."""
    name = getattr(uploaded, "name", "") or ""
    if not name.lower().endswith(".xlsx"):
        return [], _file_issue("文件格式不正确：只接受 .xlsx 格式的 Excel 文件，请下载模板填写后上传。")
    limit = settings.IMPORT_MAX_BYTES
    size = getattr(uploaded, "size", None)
    if size is None:
        uploaded.seek(0, 2)
        size = uploaded.tell()
    if size > limit:
        return [], _file_issue(f"文件大小为{human_size(size)}，超过上限{human_size(limit)}，请删除多余内容后重新上传。")
    uploaded.seek(0)
    data = uploaded.read()
    problem = check_xlsx_package(data)
    if problem:
        return [], _file_issue(problem)
    try:
        wb = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable file gets the same clear message
        return [], _file_issue(UNREADABLE)
    try:
        if SHEET not in wb.sheetnames:
            return [], _file_issue(f"文件中没有名为“{SHEET}”的工作表，请使用系统提供的模板。")
        ws = wb[SHEET]
        max_rows = settings.IMPORT_MAX_ROWS
        declared = ws._max_row  # the sheet's own <dimension>, read without reading the rows
        if declared is not None and declared > max_rows + 1:
            return [], _file_issue(too_many_rows(declared - 1, max_rows))
        # Stream at most the allowed rows (+1 to notice more) and the template's columns (+ a margin to report
        # extra columns): a sheet that lies about its size cannot make this read more.
        rows = list(ws.iter_rows(max_row=max_rows + 2, max_col=len(HEADERS) + EXTRA_COLUMNS, values_only=True))
        if len(rows) > max_rows + 1 and any(not _is_blank(v) for v in rows[-1]):
            return [], _file_issue(too_many_rows(None, max_rows))
        rows = rows[: max_rows + 1]
    except Exception:  # noqa: BLE001 - a broken sheet inside a valid package
        return [], _file_issue(UNREADABLE)
    finally:
        wb.close()
    result = ImportResult()
    header = list(rows[0]) if rows else []
    header += [None] * (len(HEADERS) - len(header))
    for idx, expected in enumerate(HEADERS):
        actual = header[idx]
        actual_text = str(actual).strip() if actual is not None else ""
        if actual_text != expected:
            result.issues.append(
                ImportIssue(
                    SHEET,
                    1,
                    get_column_letter(idx + 1),
                    expected,
                    f"表头应为“{expected}”，实际为“{actual_text or '空白'}”，请使用系统提供的模板。",
                )
            )
    for idx in range(len(HEADERS), len(header)):
        if not _is_blank(header[idx]):
            result.issues.append(
                ImportIssue(SHEET, 1, get_column_letter(idx + 1), str(header[idx]), "模板中没有此列，请删除。")
            )
    if result.issues:
        return [], result

    parsed_rows: list[dict[str, Any]] = []
    for row_number, values in enumerate(rows[1:], start=2):
        values = list(values or ()) + [None] * len(HEADERS)
        if all(_is_blank(v) for v in values[: len(HEADERS)]):
            continue
        parsed: dict[str, Any] = {"_row": row_number}
        row_ok = True
        for idx, column in enumerate(COLUMNS):
            value, error = _parse_cell(column, values[idx])
            if error:
                row_ok = False
                result.issues.append(ImportIssue(SHEET, row_number, get_column_letter(idx + 1), column.header, error))
            parsed[column.field] = value
        parsed["_ok"] = row_ok
        parsed_rows.append(parsed)
    if not parsed_rows and not result.issues:
        result.issues.append(ImportIssue(SHEET, 2, "", "", "文件中没有数据行。"))
    _check_rows(user, parsed_rows, result)
    result.issues.sort(key=lambda i: (i.row, i.column.rjust(3)))
    return parsed_rows, result


def _check_rows(user, rows: list[dict[str, Any]], result: ImportResult) -> None:
    """Row rules that need the database or several cells: project, duplicates, existing reports, prefab ≤ new."""
    codes = {r["project"] for r in rows if r.get("project")}
    projects = {p.code: p for p in Project.objects.visible_to(user).filter(code__in=codes)}
    existing = {
        (r.project_id, r.year, r.month): r
        for r in MonthlyReport.objects.filter(project__in=list(projects.values())).only(
            "pk", "project_id", "year", "month", "status", "enterprise_id"
        )
    }
    today = timezone.localdate()
    seen: dict[tuple[str, int, int], int] = {}
    code_letter, month_letter = _letter("项目编号"), _letter("月份")
    for row in rows:
        n = row["_row"]
        code = row.get("project")
        project = projects.get(code) if code else None
        if code and project is None:
            result.issues.append(
                ImportIssue(SHEET, n, code_letter, "项目编号", f"项目编号“{code}”不存在，或您所在单位未参建该项目。")
            )
        row["project_obj"] = project
        year, month = row.get("year"), row.get("month")
        if year and month:
            if (year, month) > (today.year, today.month):
                result.issues.append(ImportIssue(SHEET, n, month_letter, "月份", "不能填报未来月份的月报。"))
            if code:
                key = (code, year, month)
                if key in seen:
                    result.issues.append(
                        ImportIssue(
                            SHEET,
                            n,
                            month_letter,
                            "月份",
                            f"与第{seen[key]}行重复：同一项目同一月份只能有一份月报。",
                        )
                    )
                else:
                    seen[key] = n
            if project is not None:
                report = existing.get((project.pk, year, month))
                if report is not None and report.enterprise_id != user.enterprise_id:
                    result.issues.append(
                        ImportIssue(
                            SHEET,
                            n,
                            month_letter,
                            "月份",
                            f"该项目{year}年{month}月的月报已由其他参建单位填报，不能重复填报或修改。",
                        )
                    )
                elif report is not None and report.status not in services.EDITABLE_REPORT_STATUSES:
                    result.issues.append(
                        ImportIssue(
                            SHEET,
                            n,
                            month_letter,
                            "月份",
                            f"该项目{year}年{month}月的月报已{report.get_status_display().lstrip('已')}，不能重复填报或修改。",
                        )
                    )
                row["existing"] = report
        new_start, prefab = row.get("new_start_area"), row.get("prefab_area")
        if new_start is not None and prefab is not None and prefab > new_start:
            result.issues.append(
                ImportIssue(
                    SHEET,
                    n,
                    _letter("其中装配式建筑面积（m²）"),
                    "其中装配式建筑面积（m²）",
                    f"装配式建筑面积（{prefab}）不能大于新开工建筑面积（{new_start}）。",
                )
            )


def import_reports(uploaded, *, user, submit: bool = False) -> ImportResult:
    """Validate the whole file, then write all rows (drafts, or submitted when ``submit``) or nothing."""
    if not user.is_unit_user:
        raise PermissionDenied("项目月报由参建单位用户填报和导入。")
    rows, result = read_rows(uploaded, user=user)
    if not result.ok:
        return result
    row_number = 0
    try:
        with transaction.atomic():
            for row in rows:
                row_number = row["_row"]
                data = {name: row[name] for name in services.REPORT_DATA_FIELDS}
                report = row.get("existing")
                if report is None:
                    report = services.create_report(row["project_obj"], row["year"], row["month"], data, user=user)
                    result.created += 1
                else:
                    report = services.update_report(report, data, user=user)
                    result.updated += 1
                if submit:
                    services.submit_report(report, user=user)
                    result.submitted += 1
    except ValidationError as exc:  # a rule the pre-check did not foresee: report it, write nothing
        result = ImportResult()
        fields = {c.field: c for c in COLUMNS}
        pairs = exc.message_dict.items() if hasattr(exc, "error_dict") else [("", exc.messages)]
        for field_name, messages in pairs:
            column = fields.get(field_name)
            letter = _letter(column.header) if column else ""
            for message in messages:
                result.issues.append(ImportIssue(SHEET, row_number, letter, column.header if column else "", message))
    return result
