"""``python -m bench`` — load the province-scale data set into ``jp_bench`` (once) and measure.

    python -m bench                 # full scale (first run loads ~1.5 M rows, later runs reuse them)
    python -m bench --scale 0.01    # a quick small run (rebuilds jp_bench when the size differs)
    python -m bench --reload        # drop and rebuild jp_bench, then measure
    python -m bench --load-only     # load (or check) the data set, no measurements
    python -m bench --skip-reports  # everything but the PDF/Excel report builds

Results: one table on stdout, and bench/results/bench-<scale>.json + .md (the full-scale run: bench.json/.md).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench", description="精品工程管理系统 省级规模压测")
    parser.add_argument("--scale", type=float, default=1.0, help="数据规模（1 = 10万项目、120万月报；0.01 = 快速试跑）")
    parser.add_argument("--reload", action="store_true", help="删除并重建 jp_bench 后重新载入数据")
    parser.add_argument("--load-only", action="store_true", help="只载入（或检查）数据，不测量")
    parser.add_argument("--skip-reports", action="store_true", help="不测量通报和年度报告的生成")
    parser.add_argument("--runs", type=int, default=20, help="每个快速接口的重复次数（慢的自动减少）")
    parser.add_argument("--budget", type=float, default=30.0, help="每项测量的时间上限（秒）")
    parser.add_argument(
        "--counties",
        type=int,
        default=None,
        help="县的个数（默认 120；2850 = 全国规模的考评数据，配合 --computations-only）",
    )
    parser.add_argument(
        "--provinces",
        type=int,
        default=None,
        help="省的个数（默认：县超过 1000 个时 31，否则 1）",
    )
    parser.add_argument("--computations-only", action="store_true", help="只测排名、年度得分等计算（全国规模用）")
    parser.add_argument("--scaleout-only", action="store_true", help="只测 gunicorn 吞吐量和自建副本上的报告")
    parser.add_argument("--throughput-seconds", type=float, default=5.0, help="吞吐量每个目标的负载秒数（0 = 不测）")
    parser.add_argument("--replica-scale", type=float, default=0.002, help="自建流复制副本上的数据规模（0 = 不测）")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"), help="默认 jp_bench")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR, help="结果目录")
    return parser.parse_args(argv)


def _setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # As production (CACHE_URL): kept list counts and ledger rows. The bench writes nothing while it measures, so
    # each process's own cache behaves as a shared one would (without its network round trip).
    os.environ.setdefault("LIST_CACHE", "1")
    import django

    django.setup()


def _prepare_schema(log) -> None:
    from django.core.management import call_command

    from core import seeding

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    seeding.run("seed_reference", _Quiet())
    log(f"migrate + seed_reference: {time.perf_counter() - started:.1f} s")


class _Quiet:
    def write(self, *args, **kwargs):
        pass


def ensure_data(
    url: str, scale: float, *, fresh: bool, log=print, counties: int | None = None, provinces: int | None = None
) -> dict:
    """Load the data set unless the same plan is already there (marker + row counts).

    ``fresh``: the database was just created (nothing to check). A data set loaded before the loader's
    ``EXTRA_SECTIONS`` existed gets only those (``loader.sections_missing``); any other different or partial data
    set is rebuilt: jp_bench is dropped and created again (never any other database)."""
    from django.db import connection

    from bench import database, loader

    overrides = {"counties": counties} if counties else {}
    if provinces or (counties and counties > 1000):
        overrides["provinces"] = provinces or 31
    plan = loader.Plan.for_scale(scale, **overrides)
    wanted = json.loads(json.dumps(plan.as_dict()))  # as the marker stores it (tuples become lists)
    if not fresh:
        marker = database.read_marker(connection)
        counts = loader.row_counts() if marker else {}
        if marker and marker["plan"] == wanted:
            if counts == marker["counts"]:
                log(f"数据集已存在（规模 {scale:g}，载入于 {marker['loaded_at']}），跳过载入；--reload 可重建。")
                return {**marker, "reused": True}
        missing = loader.sections_missing(marker, wanted, counts) if marker else None
        if missing:
            return _load_sections(connection, plan, wanted, marker, missing, log)
        if marker and marker["plan"] == wanted:
            log("数据集行数与标记不一致，重建 …")
        elif marker:
            log(f"现有数据集规模为 {marker['plan'].get('scale')}，与 {scale:g} 不同，重建 …")
        else:
            log("数据库中没有完整的压测数据集，重建 …")
        connection.close()
        database.ensure_database(url, drop=True, log=log)
        _prepare_schema(log)
    log(f"载入数据集（规模 {scale:g}）：")
    started = time.perf_counter()
    loads = loader.load(plan, log=log)
    total = time.perf_counter() - started
    log(f"载入合计 {total:.1f} s")
    counts = loader.row_counts()
    load_rows = [asdict(x) for x in loads] + [
        {"table": "(total)", "rows": sum(x.rows for x in loads), "seconds": total}
    ]
    database.write_marker(connection, wanted, counts, load_rows)
    return {"plan": wanted, "counts": counts, "loads": load_rows, "reused": False}


def _load_sections(connection, plan, wanted: dict, marker: dict, sections: list[str], log) -> dict:
    """Only the tables the data set lacks (a data set loaded before them), in one transaction: all or nothing."""
    from django.db import transaction

    from bench import database, loader

    log(f"数据集（载入于 {marker['loaded_at']}）缺少 {'、'.join(sections)}，只补充载入这些表：")
    started = time.perf_counter()
    with transaction.atomic():  # the loader resets the sequences and runs ANALYZE inside it
        loads = loader.load(plan, log=log, sections=sections)
    total = time.perf_counter() - started
    log(f"补充载入合计 {total:.1f} s")
    counts = loader.row_counts()
    load_rows = [
        *marker["loads"],
        *(asdict(x) for x in loads),
        {"table": "(added)", "rows": sum(x.rows for x in loads), "seconds": total},
    ]
    database.write_marker(connection, wanted, counts, load_rows)
    return {"plan": wanted, "counts": counts, "loads": load_rows, "reused": False, "added": sections}


def main(argv=None) -> int:
    args = parse_args(argv)
    from bench.database import DEFAULT_URL, ensure_database

    url = args.database_url or DEFAULT_URL
    fresh = ensure_database(url, drop=args.reload)  # before Django connects; refuses any name but jp_bench*
    _setup(url)
    _prepare_schema(print)  # always: new migrations (indexes) of the apps apply to a reused data set too
    dataset = ensure_data(url, args.scale, fresh=fresh, counties=args.counties, provinces=args.provinces)
    if args.load_only:
        return 0
    from bench import measure, output

    results = measure.run_all(
        dataset=dataset,
        runs=args.runs,
        budget=args.budget,
        skip_reports=args.skip_reports,
        log=print,
        computations_only=args.computations_only,
        throughput_seconds=args.throughput_seconds,
        replica_scale=args.replica_scale,
        scaleout_only=args.scaleout_only,
    )
    stem = "bench" if args.scale == 1 else f"bench-scale-{args.scale:g}"
    if args.counties:
        stem += f"-counties-{args.counties}"
    paths = output.write(results, args.out, stem)
    print(output.table(results))
    print("\n结果已写入：" + "、".join(str(p) for p in paths))
    return 0


if __name__ == "__main__":
    sys.exit(main())
