"""The measurements: API and web latencies with query counts, the set-based computations, report builds.

Requests go through Django's test ``Client`` in-process (the full middleware, authentication, DRF, templates),
signed in with ``force_login``. Each target is run once with ``CaptureQueriesContext`` (query count, the slowest
statement, the most repeated statement shape), then timed ``runs`` times or until its time budget is spent.
``settings.DEBUG`` is off while timing, as in production.

Every timing carries a ratio to a baseline measured in the same run, so results compare across machines:
requests and computations → the minimal authenticated endpoint (GET /api/v1/regions/<id>/); PDF → WeasyPrint
rendering a static table of the same size; Excel → openpyxl writing the same number of cells.
"""

from __future__ import annotations

import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import django
from django.conf import settings
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext

ROOT = Path(__file__).resolve().parent.parent
YEAR, MONTH = 2023, 6
PAGE_SIZES = (50, 500)


@dataclass
class Result:
    group: str  # API / 页面 / 计算 / 报告 / 基线
    name: str
    target: str
    page_size: int | None = None
    runs: int = 0
    median_ms: float | None = None
    p95_ms: float | None = None
    min_ms: float | None = None
    queries: int | None = None
    rows: int | None = None
    status: int | None = None
    baseline: str = ""
    ratio: float | None = None
    extra: dict = field(default_factory=dict)


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


_NUMBERS = re.compile(r"\b\d+(\.\d+)?\b")
_STRINGS = re.compile(r"'[^']*'")


def _shape(sql: str) -> str:
    return _NUMBERS.sub("?", _STRINGS.sub("?", sql))


def _query_facts(captured) -> dict:
    if not captured:
        return {}
    slowest = max(captured, key=lambda q: float(q.get("time") or 0))
    shapes = Counter(_shape(q["sql"]) for q in captured)
    shape, repeats = shapes.most_common(1)[0]
    return {
        "db_ms": round(sum(float(q.get("time") or 0) for q in captured) * 1000, 1),
        "slowest_query_ms": round(float(slowest.get("time") or 0) * 1000, 1),
        "slowest_sql": slowest["sql"][:400],
        "most_repeated": repeats,
        "most_repeated_sql": shape[:300] if repeats > 1 else "",
    }


class Timer:
    def __init__(self, runs: int, budget: float, log: Callable[[str], None]):
        self.runs, self.budget, self.log = runs, budget, log

    def measure(self, call: Callable[[], object]) -> tuple[list[float], object, list]:
        """One counted run (queries captured), then timed runs within the budget. Returns seconds."""
        settings.DEBUG = True
        # request_started resets connection.queries_log; start from an empty log so the capture stays aligned.
        reset_queries()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            value = call()
        first = time.perf_counter() - started
        captured = list(ctx.captured_queries)  # a view on connection.queries: copy before the next request resets it
        settings.DEBUG = False
        if first >= self.budget / 2:
            return [first], value, captured  # slow: the counted run is the sample
        n = max(3, min(self.runs, int(self.budget / max(first, 1e-4))))
        samples = []
        deadline = time.perf_counter() + self.budget
        for _ in range(n):
            started = time.perf_counter()
            call()
            samples.append(time.perf_counter() - started)
            if time.perf_counter() > deadline and len(samples) >= 3:
                break
        return samples, value, captured


def _fill(result: Result, samples: list[float]) -> Result:
    result.runs = len(samples)
    result.median_ms = round(statistics.median(samples) * 1000, 2)
    result.p95_ms = round(_p95(samples) * 1000, 2)
    result.min_ms = round(min(samples) * 1000, 2)
    return result


class Bench:
    def __init__(self, runs: int, budget: float, log: Callable[[str], None]):
        from accounts.models import Region, User

        self.timer = Timer(runs, budget, log)
        self.log = log
        self.results: list[Result] = []
        from bench.loader import measured_county

        self.admin = User.objects.get(username="bench_admin")
        county = measured_county()
        self.county_id = (
            county["id"] if county else Region.objects.filter(level="county").values_list("pk", flat=True)[0]
        )
        # the county's own bench user (its to-dos are loaded for it), else any staff member of the county
        staff = User.objects.filter(role=User.Role.COUNTY_STAFF, region_id=self.county_id)
        self.staff = staff.filter(username=f"bench_{county['code']}").first() if county else None
        self.staff = self.staff or staff.first()
        self.clients = {}

    def client(self, user) -> Client:
        if user.pk not in self.clients:
            client = Client()
            client.force_login(user)
            self.clients[user.pk] = client
        return self.clients[user.pk]

    def add(self, result: Result) -> Result:
        self.results.append(result)
        q = f"{result.queries:>4}" if result.queries is not None else "   —"
        self.log(
            f"  {result.group:<4} {result.name:<34} {str(result.page_size or ''):>4} "
            f"median {result.median_ms or 0:>9.1f} ms  p95 {result.p95_ms or 0:>9.1f} ms  queries {q}  "
            f"(n={result.runs})"
        )
        return result

    # --- requests -------------------------------------------------------------------------------
    def request(
        self, group: str, name: str, url: str, *, user=None, page_size: int | None = None, api=True, once=False
    ):
        user = user or self.admin
        client = self.client(user)
        if page_size:
            url = f"{url}{'&' if '?' in url else '?'}page_size={page_size}"
        headers = {"HTTP_ACCEPT": "application/json"} if api else {}

        def call():
            return client.get(url, **headers)

        if page_size:
            # A list's counted run starts with an empty cache, so its query count is the list's own (the kept count
            # of an unfiltered list, the ledger's rows); the timed runs then read what it kept, as users would.
            from django.core.cache import cache

            cache.clear()
        if once:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = call()
                samples = [time.perf_counter() - started]
        else:
            samples, response, captured = self.timer.measure(call)
        rows = None
        if api and response.status_code == 200 and response.get("Content-Type", "").startswith("application/json"):
            body = response.json()
            if isinstance(body, dict) and isinstance(body.get("results"), list):
                rows = len(body["results"])
            elif isinstance(body, list):
                rows = len(body)
        elif not api and response.status_code == 200:
            rows = response.content.count(b"<tr")
        result = Result(
            group=group,
            name=name,
            target=url,
            page_size=page_size,
            queries=len(captured),
            rows=rows,
            status=response.status_code,
            extra={**_query_facts(captured), "bytes": len(response.content), "user": user.username},
        )
        if response.status_code != 200:
            result.extra["error"] = response.content[:300].decode("utf-8", "replace")
        return self.add(_fill(result, samples))

    # --- functions ------------------------------------------------------------------------------
    def function(self, name: str, target: str, call: Callable[[], object], rows: Callable[[object], int] = len):
        samples, value, captured = self.timer.measure(call)
        result = Result(
            group="计算",
            name=name,
            target=target,
            queries=len(captured),
            rows=rows(value),
            extra=_query_facts(captured),
        )
        return self.add(_fill(result, samples))


# --------------------------------------------------------------------------------------------------
def measure_requests(bench: Bench) -> Result:
    from accounts.models import Region

    region_id = Region.objects.filter(level=Region.Level.COUNTY).values_list("pk", flat=True).first()
    base = bench.request("基线", "最小认证接口 regions/<id>", f"/api/v1/regions/{region_id}/")
    api = [
        ("项目 projects", "/api/v1/projects/"),
        ("参建单位 participants", "/api/v1/participants/"),
        ("约束记录 constraint-records", "/api/v1/constraint-records/"),
        ("项目月报 monthly-reports", "/api/v1/monthly-reports/"),
        ("奖励记录 award-records", "/api/v1/award-records/"),
        ("积分台账 points-ledger", "/api/v1/points-ledger/"),
        ("精品工程评价 evaluations", "/api/v1/evaluations/"),
        ("精品工程库 jingpin-library", "/api/v1/jingpin-library/"),
        ("单位 enterprises", "/api/v1/enterprises/"),
        ("考评报送 submissions", "/api/v1/assessment/submissions/"),
    ]
    for name, url in api:
        for size in PAGE_SIZES:
            bench.request("API", name, url, page_size=size)
    bench.request("API", "月度排名 assessment/ranking", f"/api/v1/assessment/ranking/?year={YEAR}&month={MONTH}")
    bench.request("API", "年度得分 assessment/annual-scores", f"/api/v1/assessment/annual-scores/?year={YEAR}")
    # What a county sees: the scope filter on the county's own rows.
    if bench.staff:
        for name, url in [
            ("项目（县局）projects", "/api/v1/projects/"),
            ("项目月报（县局）monthly-reports", "/api/v1/monthly-reports/"),
        ]:
            for size in PAGE_SIZES:
                bench.request("API", name, url, page_size=size, user=bench.staff)
    # Filtered lists people use: one county's reports of one month, one year's awards.
    bench.request(
        "API",
        "项目月报 按县+年月筛选",
        f"/api/v1/monthly-reports/?county={bench.county_id}&year={YEAR}&month={MONTH}",
        page_size=50,
    )
    bench.request("API", "奖励记录 按年度筛选", f"/api/v1/award-records/?year={YEAR}", page_size=50)

    pages = [
        ("项目库 /projects/list/", "/projects/list/"),
        ("项目月报 /projects/reports/", "/projects/reports/"),
        ("奖励记录 /awards/records/", "/awards/records/"),
        ("积分台账 /awards/ledger/", "/awards/ledger/"),
        ("考评报送 /assessment/", "/assessment/"),
        ("精品工程评价 /evaluation/", "/evaluation/"),
    ]
    measure_dashboard(bench)
    for name, url in pages:
        for size in PAGE_SIZES:
            bench.request("页面", name, url, page_size=size, api=False)
    measure_credit(bench)
    measure_last_round(bench)
    measure_programme(bench)
    bench.request("页面", "月度排名 /assessment/ranking/", f"/assessment/ranking/?year={YEAR}&month={MONTH}", api=False)
    bench.request("页面", "年度得分 /assessment/annual/", f"/assessment/annual/?year={YEAR}", api=False)
    return base


def measure_dashboard(bench: Bench) -> None:
    """The 驾驶舱 (core.panel_cache): its panels are cached per scope and recomputed by the worker once a change of
    their data commits. Measured: the very first view of a scope (nothing computed yet: the page shows placeholders,
    ``DASHBOARD_LAZY_PANELS``) and the slowest of the panel fragments those placeholders load (each computes one
    panel), the worker's recompute after a change, the first view after it, the first view while the recompute is
    still pending (the older value is served, marked 更新中) and the steady view."""
    from django.core.cache import cache

    from config.celery import app
    from core import panel_cache
    from core.registry import panels_for

    changed = ("assessment.submission", "projects.project", "awards.awardrecord")
    cache.clear()
    for label, user in [("市局", bench.admin), ("县局", bench.staff)]:
        if user is None:
            continue
        bench.request("页面", f"驾驶舱 / （{label}，该范围首次打开）", "/", api=False, user=user, once=True)
        # Each placeholder's fragment on the scope's first view (an empty cache): the slowest one is what a user
        # waits for before the whole page is filled in (the browser loads them side by side).
        fragments = []
        for panel in panels_for(user):
            cache.clear()
            url = f"/dashboard/panels/{panel.key}/"
            fragments.append(bench.request("页面", f"驾驶舱面板片段 {panel.key}", url, api=False, user=user, once=True))
            bench.results.pop()
        slowest = max(fragments, key=lambda r: r.median_ms or 0)
        slowest.name = f"驾驶舱面板片段（最慢一个，首次；{label}）"
        bench.add(slowest)
        cache.clear()
        for panel in panels_for(user):  # the fragments ran: the scope's panels are in the cache
            bench.client(user).get(f"/dashboard/panels/{panel.key}/")

        def change():
            for name in changed:
                panel_cache._set_version(name)

        def refresh():
            change()
            return [None] * panel_cache.refresh(list(changed))  # what the worker's task does

        bench.function(f"驾驶舱面板重算（worker，变更后；{label}与已打开的范围）", "panel_cache.refresh", refresh)
        change()
        panel_cache.refresh(list(changed))  # the worker ran after the change
        bench.request("页面", f"驾驶舱 / （{label}，变更后首次）", "/", api=False, user=user, once=True)
        # The recompute not yet done: served the older value (更新中); the request only asks for the recompute.
        # (Celery reads its settings through Django's: app.conf.task_always_eager itself cannot be set here.)
        eager, stale = settings.CELERY_TASK_ALWAYS_EAGER, settings.DASHBOARD_SERVE_STALE
        settings.CELERY_TASK_ALWAYS_EAGER, settings.DASHBOARD_SERVE_STALE = False, True  # a worker (that is busy)
        try:
            assert not app.conf.task_always_eager
            change()
            bench.request("页面", f"驾驶舱 / （{label}，变更后重算未完成）", "/", api=False, user=user, once=True)
        finally:
            settings.CELERY_TASK_ALWAYS_EAGER, settings.DASHBOARD_SERVE_STALE = eager, stale
        panel_cache.refresh()
        bench.request("页面", f"驾驶舱 / （{label}）", "/", api=False, user=user)


def measure_credit(bench: Bench) -> None:
    """诚信档案 at province scale: the record page of the enterprise with the most entries (as its own unit user
    would open it too), the enterprise list, the lists and the entries API."""
    from django.db.models import Count

    from credit.models import CreditEntry

    top = CreditEntry.objects.values("enterprise_id").annotate(n=Count("pk")).order_by("-n", "enterprise_id").first()
    if top is None:
        return
    enterprise_id = top["enterprise_id"]
    bench.request(
        "页面",
        f"诚信档案 /credit/enterprises/<id>/（{top['n']}条记录）",
        f"/credit/enterprises/{enterprise_id}/",
        api=False,
    )
    for size in PAGE_SIZES:
        bench.request(
            "页面", "诚信档案单位列表 /credit/enterprises/", "/credit/enterprises/", page_size=size, api=False
        )
    for size in PAGE_SIZES:
        bench.request("API", "信用记录 credit-entries", "/api/v1/credit-entries/", page_size=size)
    bench.request("API", "信用记录 按单位筛选", f"/api/v1/credit-entries/?enterprise={enterprise_id}", page_size=50)
    for name, url in [
        ("当前信用等级 credit-standings", "/api/v1/credit-standings/"),
        ("重点监管名单 credit-watchlist", "/api/v1/credit-watchlist/"),
    ]:
        for size in PAGE_SIZES:
            bench.request("API", name, url, page_size=size)
    bench.request("页面", "重点监管名单 /credit/lists/watchlist/", "/credit/lists/watchlist/", api=False)
    bench.request("页面", "信用黑名单（公开）/disclosure/credit/blacklist/", "/disclosure/credit/blacklist/", api=False)
    bench.request("页面", "信用红榜（公开）/disclosure/credit/redlist/", "/disclosure/credit/redlist/", api=False)


def measure_last_round(bench: Bench) -> None:
    """The pages of the last round over the loaded users, complaints and to-dos (bench.loader's extra sections):
    user management and the complaint ledger at 50 and 500 rows (the city, and the county the bench measures),
    the complaint analysis of the loaded complaints' last full year, and the to-do inboxes (open to-dos by
    deadline, 50 and 500 a page)."""
    from bench.loader import NOW

    for name, url in [
        ("用户管理 /accounts/users/", "/accounts/users/"),
        ("投诉举报台账 /complaints/", "/complaints/"),
    ]:
        for size in PAGE_SIZES:
            bench.request("页面", name, url, page_size=size, api=False)
    if bench.staff:
        for size in PAGE_SIZES:
            bench.request(
                "页面", "投诉举报台账（县局）/complaints/", "/complaints/", page_size=size, api=False, user=bench.staff
            )
    year = NOW.year - 1
    bench.request(
        "页面", f"投诉分析 /complaints/analysis/（{year}年）", f"/complaints/analysis/?year={year}", api=False
    )
    if bench.staff:
        bench.request(
            "页面",
            f"投诉分析（县局）/complaints/analysis/（{year}年）",
            f"/complaints/analysis/?year={year}",
            api=False,
            user=bench.staff,
        )
    for size in PAGE_SIZES:
        bench.request(
            "页面",
            "待办 /reports/notifications/todos/（市局）",
            "/reports/notifications/todos/",
            page_size=size,
            api=False,
        )
    if bench.staff:
        bench.request(
            "页面",
            "待办 /reports/notifications/todos/（县局）",
            "/reports/notifications/todos/",
            page_size=50,
            api=False,
            user=bench.staff,
        )


def measure_programme(bench: Bench) -> None:
    """The programme duties over the loaded milestones and goal rules (bench.loader's ``milestones`` and
    ``goal_rules``): 进度滞后项目 and 未达目标项目, pages and API lists at 50 and 500 rows (the city; the laggards
    also for the county the bench measures), and the dashboard's 进度滞后与项目目标 panel computed for the city
    (``programme_panel.uncached``: what a scope's first view, or the worker after a change, computes)."""
    from django.test import RequestFactory

    from projects.dashboard import programme_panel

    for name, url, api in [
        ("进度滞后项目 /projects/laggards/", "/projects/laggards/", False),
        ("未达目标项目 /projects/goals/", "/projects/goals/", False),
        ("进度滞后 milestone-laggards", "/api/v1/milestone-laggards/", True),
        ("未达目标 unmet-goals", "/api/v1/unmet-goals/", True),
    ]:
        for size in PAGE_SIZES:
            bench.request("API" if api else "页面", name, url, page_size=size, api=api)
    if bench.staff:
        bench.request(
            "页面", "进度滞后项目（县局）/projects/laggards/", "/projects/laggards/", page_size=50, api=False,
            user=bench.staff,
        )  # fmt: skip
    request = RequestFactory().get("/")
    request.user = bench.admin
    bench.function(
        "进度滞后与项目目标面板 programme_panel（市局）",
        "projects.dashboard.programme_panel",
        lambda: programme_panel.uncached(request),
        rows=lambda ctx: len(ctx["rows"]),
    )


def measure_computations(bench: Bench) -> None:
    from django.db.models import Count, Sum
    from django.db.models.functions import Coalesce

    from accounts.models import Region
    from assessment.prefill import COUNTY_FIGURE_FIELDS, ZERO, counties_month_figures, county_month_figures
    from assessment.ranking import annual_scores, monthly_ranking, status_grid, target_progress
    from awards.querysets import EnterpriseLedger
    from projects.choices import ReportStatus
    from projects.models import MonthlyReport
    from projects.services import cultivation_ratios

    counties = list(Region.objects.filter(level=Region.Level.COUNTY).order_by("order", "code"))
    ids = [c.pk for c in counties]
    bench.function(
        f"月度排名 monthly_ranking({YEAR}, {MONTH})",
        "assessment.ranking.monthly_ranking",
        lambda: monthly_ranking(YEAR, MONTH),
    )
    bench.function(f"年度得分 annual_scores({YEAR})", "assessment.ranking.annual_scores", lambda: annual_scores(YEAR))
    bench.function(f"报送状态 status_grid({YEAR})", "assessment.ranking.status_grid", lambda: status_grid(YEAR))
    bench.function(
        f"目标进度 target_progress({YEAR})", "assessment.ranking.target_progress", lambda: target_progress(YEAR)
    )
    bench.function(
        f"县汇总 counties_month_figures（{len(ids)}县，1-{MONTH}月累计，一条分组查询）",
        "assessment.prefill.counties_month_figures",
        lambda: counties_month_figures(YEAR, MONTH, ids),
    )
    bench.function(
        f"县汇总 counties_month_figures（{len(ids)}县，仅{MONTH}月）",
        "assessment.prefill.counties_month_figures(cumulative=False)",
        lambda: counties_month_figures(YEAR, MONTH, ids, cumulative=False),
    )
    bench.function(
        "单县汇总 county_month_figures（预填一个县）",
        "assessment.prefill.county_month_figures",
        lambda: county_month_figures(ids[0], YEAR, MONTH),
        rows=lambda figures: 1,
    )

    sums = {f: Coalesce(Sum(f), ZERO) for fields in COUNTY_FIGURE_FIELDS.values() for f in fields}

    def grouped():
        return list(
            MonthlyReport.objects.filter(year=YEAR, month__lte=MONTH, status=ReportStatus.ACCEPTED)
            .values("project__county_id")
            .annotate(report_count=Count("pk"), **sums)
            .order_by()
        )

    bench.function(
        "参照：经项目表连接的分组查询（1-6月累计）",
        "bench: MonthlyReport…values('project__county_id').annotate()",
        grouped,
    )
    bench.function(
        f"培育比例 cultivation_ratios({YEAR})",
        "projects.services.cultivation_ratios",
        lambda: cultivation_ratios(YEAR, counties),
    )
    bench.function(
        f"积分台账前10 EnterpriseLedger({YEAR}).ranked()[:10]",
        "awards.querysets.EnterpriseLedger.ranked",
        lambda: list(EnterpriseLedger(YEAR).ranked()[:10]),
    )


# --------------------------------------------------------------------------------------------------
def _child(args: list[str], timeout: float = 1800) -> dict:
    env = {**os.environ}
    proc = subprocess.run(
        [sys.executable, "-m", "bench.child", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if proc.returncode != 0:
        return {"error": (proc.stderr or proc.stdout)[-1500:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


REPORT_KINDS = ("monthly_bulletin", "annual_report", "pilot_bulletin")


def measure_reports(bench: Bench, log, kinds: tuple[str, ...] = REPORT_KINDS) -> None:
    """Every report type: time per phase and peak memory (the child's max RSS, and tracemalloc in its own run)."""
    idle = _child(["idle"])
    bench.results.append(
        Result(group="基线", name="空闲进程（Django 已初始化）", target="bench.child idle", extra=idle)
    )
    reports = [
        ("月度通报 MonthlyBulletin", "monthly_bulletin", {"year": YEAR, "month": MONTH}),
        ("年度报告 AnnualReport", "annual_report", {"year": YEAR}),
        ("试点通报 PilotBulletin", "pilot_bulletin", {"year": YEAR}),
    ]
    for name, kind, params in [r for r in reports if r[1] in kinds]:
        log(f"  报告 {name} {params} …")
        run = _child(["report", kind, json.dumps(params)])
        if "error" in run:
            bench.results.append(Result(group="报告", name=name, target=kind, extra=run))
            log("    失败：" + run["error"][-400:])
            continue
        runs = [run]
        if run["total_s"] < bench.timer.budget / 3:
            runs += [_child(["report", kind, json.dumps(params)]) for _ in range(2)]
            runs = [r for r in runs if "error" not in r]
        mem = _child(["memory", kind, json.dumps(params)])
        rows = run["html_rows"]
        cols = max(1, round(run["html_cells"] / max(rows, 1)))
        base = _child(["baseline", json.dumps({"rows": rows, "cols": cols, "cells": run["xlsx_cells"]})])

        def med(key, runs=runs):
            return statistics.median(r[key] for r in runs)

        extra_common = {
            "runs_detail": runs,
            "memory": mem,
            "baseline": base,
            "idle_maxrss_mb": idle.get("maxrss_mb"),
        }
        for phase, key, base_key, base_name in [
            ("数据收集 collect()", "collect_s", None, "最小认证接口"),
            ("PDF（模板+WeasyPrint）", "pdf_s", "weasyprint_s", f"WeasyPrint 静态表格 {rows}行×{cols}列"),
            ("Excel（openpyxl）", "excel_s", "openpyxl_s", f"openpyxl 写 {run['xlsx_cells']} 个单元格"),
            ("合计 generate()", "total_s", None, "WeasyPrint+openpyxl 基线之和"),
        ]:
            seconds = med(key)
            result = Result(
                group="报告",
                name=f"{name} · {phase}",
                target=f"reports.generators.get_generator('{kind}')(**{params}).generate()",
                runs=len(runs),
                median_ms=round(seconds * 1000, 1),
                p95_ms=round(max(r[key] for r in runs) * 1000, 1),
                min_ms=round(min(r[key] for r in runs) * 1000, 1),
                queries=run["collect_queries"] if key in ("collect_s", "total_s") else None,
                rows=run["html_rows"],
                baseline=base_name,
            )
            if base_key and base_key in base:
                result.ratio = round(seconds / base[base_key], 2) if base[base_key] else None
            elif key == "total_s" and "weasyprint_s" in base:
                result.ratio = round(seconds / (base["weasyprint_s"] + base["openpyxl_s"]), 2)
            if key == "total_s":
                result.extra = {
                    **extra_common,
                    "tracemalloc_peak_mb": round(mem.get("tracemalloc_peak_mb", 0), 1),
                    "maxrss_mb": round(run["maxrss_mb"], 1),
                    "pdf_pages": run.get("pdf_pages"),
                    "pdf_bytes": run["pdf_bytes"],
                    "xlsx_bytes": run["xlsx_bytes"],
                    "xlsx_cells": run["xlsx_cells"],
                }
            bench.add(result)
        bench.results.append(
            Result(
                group="基线",
                name=f"{name} 的基线",
                target="bench.child baseline",
                extra=base,
            )
        )


# --------------------------------------------------------------------------------------------------
def environment() -> dict:
    with connection.cursor() as cur:
        cur.execute("SELECT version()")
        pg = cur.fetchone()[0]
        settings_rows = {}
        for name in ("shared_buffers", "work_mem", "effective_cache_size", "max_parallel_workers_per_gather"):
            cur.execute(f"SHOW {name}")
            settings_rows[name] = cur.fetchone()[0]
    return {
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": pg.split(" on ")[0],
        "postgresql_settings": settings_rows,
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "database": settings.DATABASES["default"]["NAME"],
    }


THROUGHPUT_TARGETS = [
    ("最小认证接口 regions/<id>", "/api/v1/regions/{region}/"),
    ("项目 projects ×50", "/api/v1/projects/?page_size=50"),
    ("项目月报 monthly-reports ×50", "/api/v1/monthly-reports/?page_size=50"),
    ("考评报送 submissions ×50", "/api/v1/assessment/submissions/?page_size=50"),
    ("精品工程评价 evaluations ×50", "/api/v1/evaluations/?page_size=50"),
]


def measure_throughput(bench: Bench, seconds: float, log) -> list[dict]:
    from accounts.models import Region
    from bench import throughput

    region = Region.objects.filter(level=Region.Level.COUNTY).values_list("pk", flat=True).first()
    targets = [(name, path.format(region=region)) for name, path in THROUGHPUT_TARGETS]
    url = os.environ["DATABASE_URL"]
    try:
        return throughput.measure(url, bench.admin, targets, seconds=seconds, log=log)
    except Exception as exc:  # noqa: BLE001 - reported in the results, the rest of the bench goes on
        log(f"  吞吐量测量失败：{exc}")
        return [{"error": str(exc)}]


def measure_replica(scale: float, log) -> dict:
    """Our own primary + streaming replica (bench.replica), a small data set, the bulletin built from the replica."""
    from bench import replica

    if not replica.available():
        return {"error": "initdb/pg_ctl/pg_basebackup 不可用"}
    started = time.perf_counter()
    try:
        with replica.StreamingPair(log=lambda m: log("  " + m)) as pair:
            pair_start = round(time.perf_counter() - started, 1)
            conn = pair.connect()  # autocommit (no `with conn`: psycopg2 would open a transaction)
            with conn.cursor() as cur:
                cur.execute("CREATE DATABASE jp_bench_replica")
            conn.close()
            env = {
                **os.environ,
                "DATABASE_URL": pair.primary_url("jp_bench_replica"),
                "REPLICA_DATABASE_URL": pair.replica_url("jp_bench_replica"),
            }
            proc = subprocess.run(
                [sys.executable, "-m", "bench.child", "replica-report", str(scale)],
                cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200,
            )  # fmt: skip
            if proc.returncode != 0:
                log("  失败：" + (proc.stderr or proc.stdout)[-600:])
                return {"error": (proc.stderr or proc.stdout)[-1500:]}
            result = json.loads(proc.stdout.strip().splitlines()[-1])
            result["pair_start_s"] = pair_start
            log(
                f"  副本上生成月度通报 {result['generate_s']} s：副本 {result['queries_on_replica']} 次查询，"
                f"主库 {result['queries_on_primary']} 次"
            )
            return result
    except Exception as exc:  # noqa: BLE001
        log(f"  失败：{exc}")
        return {"error": str(exc)}


def run_all(
    *,
    dataset: dict,
    runs: int,
    budget: float,
    skip_reports: bool,
    log=print,
    computations_only: bool = False,
    throughput_seconds: float = 5.0,
    replica_scale: float = 0.002,
    scaleout_only: bool = False,
) -> dict:
    started = time.time()
    load_before = os.getloadavg()
    bench = Bench(runs, budget, log)
    throughput_rows, replica_result = [], None
    if computations_only or scaleout_only:
        region_id = bench.county_id
        base = bench.request("基线", "最小认证接口 regions/<id>", f"/api/v1/regions/{region_id}/")
    else:
        log("测量接口和页面：")
        base = measure_requests(bench)
    if not scaleout_only:
        log("测量计算：")
        measure_computations(bench)
    if not skip_reports and not scaleout_only:
        log("测量报告生成（子进程）：")
        # National scale (--computations-only): the monthly bulletin over every county, next to the computations.
        measure_reports(bench, log, ("monthly_bulletin",) if computations_only else REPORT_KINDS)
    if throughput_seconds and not computations_only:
        log("吞吐量（gunicorn 2 / 4 workers）：")
        throughput_rows = measure_throughput(bench, throughput_seconds, log)
    if replica_scale and not computations_only:
        log("流复制只读副本：")
        replica_result = measure_replica(replica_scale, log)
    for r in bench.results:
        if r.group in ("API", "页面", "计算") and r.median_ms is not None and base.median_ms:
            r.baseline = "最小认证接口"
            r.ratio = round(r.median_ms / base.median_ms, 1)
        if r.group == "报告" and r.ratio is None and r.median_ms is not None and base.median_ms:
            r.ratio = round(r.median_ms / base.median_ms, 1)
    settings.DEBUG = False
    return {
        "started_at": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(started)),
        "duration_s": round(time.time() - started, 1),
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "environment": environment(),
        "dataset": dataset,
        "year": YEAR,
        "month": MONTH,
        "baseline_ms": base.median_ms,
        "results": [asdict(r) for r in bench.results],
        "throughput": throughput_rows,
        "replica": replica_result,
    }
