"""The results as one table (stdout), JSON and Markdown (bench/results/)."""

from __future__ import annotations

import json
from pathlib import Path

COUNT_ORDER = [
    "regions",
    "enterprises",
    "enterprise_kinds",
    "users",
    "projects",
    "participants",
    "monthly_reports",
    "constraint_records",
    "annual_targets",
    "submissions",
    "item_scores",
    "adjustments",
    "award_records",
    "evaluations",
    "panel_members",
    "score_sheets",
]


def _num(value, fmt="{:,.1f}") -> str:
    return "—" if value is None else fmt.format(value)


def _rows(results: dict):
    for r in results["results"]:
        if r["median_ms"] is None:
            continue
        yield r


def non_constant(results: dict) -> list[dict]:
    """Targets measured at two page sizes whose query count differs."""
    by_name: dict[tuple, dict[int, dict]] = {}
    for r in results["results"]:
        if r["page_size"]:
            by_name.setdefault((r["group"], r["name"], r["extra"].get("user")), {})[r["page_size"]] = r
    found = []
    for (group, name, user), sizes in by_name.items():
        if len(sizes) == 2:
            small, large = (sizes[k] for k in sorted(sizes))
            if small["queries"] != large["queries"]:
                found.append(
                    {
                        "group": group,
                        "name": name,
                        "user": user,
                        "queries_50": small["queries"],
                        "queries_500": large["queries"],
                        "most_repeated_sql": large["extra"].get("most_repeated_sql", ""),
                        "most_repeated": large["extra"].get("most_repeated"),
                    }
                )
    return found


def table(results: dict) -> str:
    head = f"{'类别':<4} {'测量项':<46} {'每页':>4} {'中位数ms':>10} {'p95 ms':>10} {'查询':>5} {'行':>5} {'倍数':>8}  基线"
    lines = ["", "=" * 120, f"压测结果（{results['started_at']}，用时 {results['duration_s']} s）", head, "-" * 120]
    for r in _rows(results):
        lines.append(
            f"{r['group']:<4} {r['name'][:46]:<46} {str(r['page_size'] or ''):>4} {_num(r['median_ms']):>10} "
            f"{_num(r['p95_ms']):>10} {_num(r['queries'], '{}'):>5} {_num(r['rows'], '{}'):>5} "
            f"{_num(r['ratio'], '{:,.1f}×'):>8}  {r['baseline']}"
        )
    lines.append("-" * 120)
    for r in results["results"]:
        if r["group"] == "报告" and "合计" in r["name"]:
            e = r["extra"]
            lines.append(
                f"{r['name']}: 峰值内存 tracemalloc {e.get('tracemalloc_peak_mb')} MB，子进程 maxrss {e.get('maxrss_mb')} MB"
                f"（空闲进程 {_num(e.get('idle_maxrss_mb'))} MB），PDF {e.get('pdf_pages')} 页"
            )
    bad = non_constant(results)
    if bad:
        lines.append("查询数随每页行数变化的：")
        for b in bad:
            lines.append(f"  {b['group']} {b['name']}: 50 行 {b['queries_50']} 次查询，500 行 {b['queries_500']} 次")
    else:
        lines.append("所有列表在每页 50 与 500 行时查询数相同。")
    return "\n".join(lines)


def markdown(results: dict) -> str:
    env = results["environment"]
    ds = results["dataset"]
    out = [
        "# 压测结果（bench）",
        "",
        f"- 时间：{results['started_at']}，测量用时 {results['duration_s']} s",
        f"- 环境：{env['cpus']} 核，Python {env['python']}，Django {env['django']}，{env['postgresql']}，"
        f"数据库 `{env['database']}`",
        f"- 负载（1/5/15 分钟）：开始 {tuple(round(x, 2) for x in results['load_average_before'])}，"
        f"结束 {tuple(round(x, 2) for x in results['load_average_after'])}",
        f"- 基线（最小认证接口 GET /api/v1/regions/<id>/）中位数：{results['baseline_ms']} ms",
        f"- 考评月份：{results['year']} 年 {results['month']} 月",
        "",
        "## 数据集",
        "",
        "| 表 | 行数 |",
        "|---|---:|",
    ]
    counts = ds["counts"]  # jsonb reorders keys: print them in the loader's order
    for name in sorted(counts, key=lambda n: COUNT_ORDER.index(n) if n in COUNT_ORDER else len(COUNT_ORDER)):
        out.append(f"| {name} | {counts[name]:,} |")
    out += [
        "",
        "载入耗时（" + ("本次复用已有数据集，以下为当初载入时的记录" if ds.get("reused") else "本次载入") + "）：",
        "",
    ]
    out += ["| 表 | 行数 | 秒 |", "|---|---:|---:|"]
    for load in ds["loads"]:
        out.append(f"| {load['table']} | {load['rows']:,} | {load['seconds']:.1f} |")
    out += [
        "",
        "## 测量",
        "",
        "| 类别 | 测量项 | 每页 | 中位数 ms | p95 ms | 查询数 | 行 | 倍数 | 基线 | 最慢 SQL ms |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for r in _rows(results):
        out.append(
            f"| {r['group']} | {r['name']} | {r['page_size'] or ''} | {_num(r['median_ms'])} | {_num(r['p95_ms'])} | "
            f"{_num(r['queries'], '{}')} | {_num(r['rows'], '{}')} | {_num(r['ratio'], '{:,.1f}×')} | {r['baseline']} | "
            f"{_num(r['extra'].get('slowest_query_ms'))} |"
        )
    out += ["", "## 报告生成的内存", ""]
    for r in results["results"]:
        if r["group"] == "报告" and "合计" in r["name"]:
            e = r["extra"]
            out.append(
                f"- {r['name']}：tracemalloc 峰值 {e.get('tracemalloc_peak_mb')} MB；子进程 maxrss {e.get('maxrss_mb')} MB"
                f"（仅初始化 Django 的进程 {_num(e.get('idle_maxrss_mb'))} MB）；PDF {e.get('pdf_pages')} 页、"
                f"{e.get('pdf_bytes', 0):,} 字节；Excel {e.get('xlsx_cells', 0):,} 个单元格、{e.get('xlsx_bytes', 0):,} 字节"
            )
        if r["group"] == "报告" and "error" in r["extra"]:
            out.append(f"- {r['name']}：失败 `{r['extra']['error'][-300:]}`")
    if results.get("throughput"):
        out += ["", "## 吞吐量（gunicorn，127.0.0.1，限时负载）", ""]
        out += [
            "| workers | target | req/s | vs minimal | ok / errors | mean latency ms |",
            "|---:|---|---:|---:|---|---:|",
        ]
        for t in results["throughput"]:
            if "error" in t:
                out.append(f"| — | 失败：{t['error'][-200:]} | | | | |")
                continue
            out.append(
                f"| {t['workers']} | {t['name']} `{t['path']}` | {t['rps']:,.1f} | {t['ratio']:.0%} | "
                f"{t['requests']} / {t['errors']} | {t['mean_latency_ms']} |"
            )
    if results.get("replica"):
        r = results["replica"]
        out += ["", "## 流复制只读副本", ""]
        if "error" in r:
            out.append(f"失败：`{r['error'][-300:]}`")
        else:
            out.append(
                f"自建主库+副本（{r.get('pair_start_s')} s 启动）；主库载入规模 {r['scale']} 的数据 {r['load_s']} s，"
                f"副本追平 {r['replay_wait_s']} s（pg_is_in_recovery = {r['replica_in_recovery']}）；"
                f"月度通报 {r['generate_s']} s：副本上 {r['queries_on_replica']} 次查询，主库上 {r['queries_on_primary']} 次；"
                f"PDF {r['pdf_bytes']:,} 字节，Excel {r['xlsx_bytes']:,} 字节。"
            )
    bad = non_constant(results)
    out += ["", "## 查询数随每页行数变化的列表", ""]
    if not bad:
        out.append("无：所有列表在每页 50 与 500 行时查询数相同。")
    for b in bad:
        out.append(
            f"- {b['group']} {b['name']}：50 行 {b['queries_50']} 次，500 行 {b['queries_500']} 次；"
            f"重复最多的语句（{b['most_repeated']} 次）：`{b['most_repeated_sql'][:200]}`"
        )
    out.append("")
    return "\n".join(out)


def write(results: dict, directory: Path, stem: str) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    json_path = directory / f"{stem}.json"
    md_path = directory / f"{stem}.md"
    json_path.write_text(json.dumps(results, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
    md_path.write_text(markdown(results), encoding="utf-8")
    return [json_path, md_path]
