"""One measurement in a fresh process, so peak memory (max RSS) belongs to it alone.

    python -m bench.child report  monthly_bulletin '{"year": 2023, "month": 6}'   # time per phase, max RSS
    python -m bench.child memory  annual_report    '{"year": 2023}'               # tracemalloc peak of generate()
    python -m bench.child baseline '{"rows": 800, "cols": 9, "cells": 7000}'      # WeasyPrint + openpyxl baselines
    python -m bench.child idle                                                    # max RSS of a set-up process
    python -m bench.child replica-report 0.002    # (DATABASE_URL/REPLICA_DATABASE_URL: bench.replica's pair)

The report modes run the generator exactly as ``generate()`` does (collect → PDF writer → Excel writer), with a
clock around each phase. Every mode prints one JSON line (the last line of stdout). DATABASE_URL comes from the
parent (jp_bench).
"""

from __future__ import annotations

import json
import os
import re
import resource
import sys
import time
import tracemalloc
from io import BytesIO

TINY_HTML = "<html><body><p style='font-family: \"Noto Sans CJK SC\"'>预热 warm-up</p></body></html>"
BASELINE_CSS = """
@page { size: A4; margin: 18mm 14mm 18mm 14mm; @bottom-center { content: counter(page); font-size: 9pt; } }
html { font-family: "Noto Sans CJK SC", "Noto Sans CJK", sans-serif; font-size: 9.5pt; color: #111; }
table { width: 100%; border-collapse: collapse; margin: 4px 0 10px; }
th, td { border: 1px solid #999; padding: 2px 4px; text-align: left; }
th { background: #eef2f7; } td.num { text-align: right; }
"""
CELL_TEXT = ["高平市", "74.53", "晋城市城区第12号住宅楼", "良好", "2023-06-08", "丹河杯", "3.00"]


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False


def _pages(pdf: bytes) -> int | None:
    """Page count by ``pdfinfo`` (poppler-utils); WeasyPrint compresses its page objects."""
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        try:
            info = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True, timeout=60).stdout
        except (OSError, subprocess.SubprocessError):
            return None
    match = re.search(r"^Pages:\s+(\d+)", info, re.M)
    return int(match.group(1)) if match else None


def _maxrss_mb() -> float:
    """Peak resident memory of this process. ``VmHWM`` belongs to the address space created by ``exec``;
    ``ru_maxrss`` would also count the parent's pages at fork time."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _warm_weasyprint() -> float:
    from weasyprint import HTML

    started = time.perf_counter()
    HTML(string=TINY_HTML).write_pdf()
    return time.perf_counter() - started


def _context(gen, data):
    """The template context ``ReportGenerator.generate()`` builds."""
    from django.utils import timezone

    return {
        **data,
        "title": gen.title_for(gen.params),
        "generated_at": timezone.localtime(),
        "issuer": "晋城市住房和城乡建设局",
        "summary": gen.summary(data),
    }


def _cells(sheets) -> tuple[int, int]:
    rows = cells = 0
    for sheet in sheets:
        # a plain sheet (title, columns, rows) or a TableSheet: several tables one below the other
        tables = [(t.columns, t.rows) for t in sheet.tables] if hasattr(sheet, "tables") else [sheet[1:]]
        for columns, items in tables:
            n = len(list(items)) + 1
            rows += n
            cells += n * len(columns)
    return rows, cells


def report(report_type: str, params: dict) -> dict:
    _setup()
    from django.db import connection
    from django.template.loader import render_to_string
    from django.test.utils import CaptureQueriesContext

    from reports.generators import get_generator

    rss_setup = _maxrss_mb()
    warm = _warm_weasyprint()
    gen = get_generator(report_type)(**params)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        data = gen.collect()
    t_collect = time.perf_counter()
    context = _context(gen, data)
    pdf = gen.pdf_writer.render(gen.template_name, context)
    t_pdf = time.perf_counter()
    sheets = gen.sheets(data)
    xlsx = gen.excel_writer.render(sheets)
    t_xlsx = time.perf_counter()
    # Sizes for the baselines (outside the clock): the HTML's table rows/cells and the workbook's cells.
    html = render_to_string(gen.template_name, context)
    html_rows = len(re.findall(r"<tr[\s>]", html))
    html_cells = len(re.findall(r"<t[dh][\s>]", html))
    xlsx_rows, xlsx_cells = _cells(gen.sheets(data))
    return {
        "report_type": report_type,
        "params": params,
        "collect_s": t_collect - started,
        "collect_queries": len(queries.captured_queries),
        "pdf_s": t_pdf - t_collect,
        "excel_s": t_xlsx - t_pdf,
        "total_s": t_xlsx - started,
        "pdf_bytes": len(pdf),
        "pdf_pages": _pages(pdf),
        "xlsx_bytes": len(xlsx),
        "html_rows": html_rows,
        "html_cells": html_cells,
        "xlsx_rows": xlsx_rows,
        "xlsx_cells": xlsx_cells,
        "weasyprint_warmup_s": warm,
        "maxrss_setup_mb": rss_setup,
        "maxrss_mb": _maxrss_mb(),
    }


def memory(report_type: str, params: dict) -> dict:
    _setup()
    from reports.generators import get_generator

    _warm_weasyprint()
    tracemalloc.start()
    started = time.perf_counter()
    get_generator(report_type)(**params).generate()
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"tracemalloc_peak_mb": peak / 1024 / 1024, "seconds_under_tracemalloc": seconds, "maxrss_mb": _maxrss_mb()}


def baseline(rows: int, cols: int, cells: int) -> dict:
    """WeasyPrint: a static page with a ``rows`` × ``cols`` table. openpyxl: ``cells`` cells in one workbook."""
    from openpyxl import Workbook
    from weasyprint import HTML

    warm = _warm_weasyprint()
    rows, cols = max(rows, 1), max(cols, 1)
    body = []
    for r in range(rows):
        tds = "".join(
            f'<td class="num">{CELL_TEXT[(r + c) % len(CELL_TEXT)]}</td>'
            if c % 2
            else f"<td>{CELL_TEXT[(r + c) % len(CELL_TEXT)]}</td>"
            for c in range(cols)
        )
        body.append(f"<tr>{tds}</tr>")
    head = "".join(f"<th>列{c + 1}</th>" for c in range(cols))
    html = (
        f"<html><head><meta charset='utf-8'><style>{BASELINE_CSS}</style></head><body><h1>基线表格</h1>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></body></html>"
    )
    started = time.perf_counter()
    pdf = HTML(string=html).write_pdf()
    pdf_s = time.perf_counter() - started

    started = time.perf_counter()
    wb = Workbook()
    ws = wb.active
    width = 10
    values = ["高平市", 74.53, "晋城市城区第12号住宅楼", "良好", 3, "丹河杯", 2023, "备注", 0.5, "2023-06-08"]
    for _ in range((max(cells, 1) + width - 1) // width):
        ws.append(values)
    buffer = BytesIO()
    wb.save(buffer)
    xlsx_s = time.perf_counter() - started
    return {
        "rows": rows,
        "cols": cols,
        "cells": cells,
        "weasyprint_s": pdf_s,
        "weasyprint_pages": _pages(pdf),
        "openpyxl_s": xlsx_s,
        "weasyprint_warmup_s": warm,
        "maxrss_mb": _maxrss_mb(),
    }


def idle() -> dict:
    _setup()
    from reports.generators import get_generator

    get_generator("annual_report")
    return {"maxrss_mb": _maxrss_mb()}


def replica_report(scale: float) -> dict:
    """DATABASE_URL = our own primary, REPLICA_DATABASE_URL = its streaming replica (bench.replica): migrate and
    load a small data set on the primary, wait until the replica has replayed it, then build the monthly bulletin
    and count where its reads went."""
    _setup()
    from django.core.management import call_command
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    from bench import loader
    from core import seeding
    from reports.generators import get_generator

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    seeding.run("seed_reference", _Quiet())
    loader.load(loader.Plan.for_scale(scale), log=lambda *a: None)
    load_s = time.perf_counter() - started
    lag_started = time.perf_counter()
    with connections["replica"].cursor() as cur:
        while True:
            cur.execute("SELECT pg_last_wal_replay_lsn()")
            replayed = cur.fetchone()[0]
            with connections["default"].cursor() as primary:
                primary.execute("SELECT pg_current_wal_lsn() <= %s::pg_lsn", [replayed])
                if primary.fetchone()[0]:
                    break
            time.sleep(0.1)
        cur.execute("SELECT pg_is_in_recovery()")
        in_recovery = cur.fetchone()[0]
    replay_s = time.perf_counter() - lag_started
    connections["default"].close()
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        t0 = time.perf_counter()
        result = get_generator("monthly_bulletin")(year=2023, month=6).generate()
        generate_s = time.perf_counter() - t0
    return {
        "scale": scale,
        "load_s": round(load_s, 1),
        "replay_wait_s": round(replay_s, 2),
        "replica_in_recovery": in_recovery,
        "generate_s": round(generate_s, 2),
        "queries_on_replica": len(on_replica),
        "queries_on_primary": len(on_primary),
        "pdf_bytes": len(result.pdf),
        "xlsx_bytes": len(result.xlsx),
        "title": result.title,
    }


class _Quiet:
    def write(self, *args, **kwargs):
        pass


def main(argv: list[str]) -> int:
    mode = argv[0]
    if mode == "report":
        result = report(argv[1], json.loads(argv[2]))
    elif mode == "memory":
        result = memory(argv[1], json.loads(argv[2]))
    elif mode == "baseline":
        spec = json.loads(argv[1])
        result = baseline(spec["rows"], spec["cols"], spec["cells"])
    elif mode == "idle":
        result = idle()
    elif mode == "replica-report":
        result = replica_report(float(argv[1]))
    else:
        raise SystemExit(f"unknown mode {mode}")
    sys.stdout.write(json.dumps(result, ensure_ascii=False, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
