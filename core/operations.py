"""运行状态 (``/operations/``): the city admin's view of the background machinery (README, "Observability").

What /metrics gives the monitoring system, in words for the bureau's admin: the Celery worker's and beat's crash
restarts (``$STATE_DIR/restarts.log``, written by scripts/serve-production) with a crash-loop warning, the apps'
own background work (sections registered in core.registry, e.g. the report runs from reports' ready()), the outbox
backlog, the broker and its queue, the cache and the database. A plain GET page; it refreshes itself every
``REFRESH_SECONDS`` (htmx, the main block only).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.utils import timezone
from django.views.generic import TemplateView

from core import cache, metrics, outbox
from core.registry import status_sections
from core.views import CityAdminRequiredMixin, cache_probe, health_checks

REFRESH_SECONDS = 30
OUTBOX_LATE_SECONDS = 600  # an outbox message older than this is a backlog (docs/alerts.yml: 10 min)
SUPERVISED = {"worker": "Celery worker（后台任务）", "beat": "Celery beat（定时任务）"}
SIGNALS = {9: "SIGKILL，常见于内存不足被系统终止", 15: "SIGTERM", 6: "SIGABRT", 11: "SIGSEGV"}


@dataclass(frozen=True)
class CrashLoop:
    restarts: int
    seconds: int

    @property
    def minutes(self) -> int:
        return max(1, round(self.seconds / 60))


def crash_loop_threshold() -> CrashLoop:
    """``CRASH_LOOP_RESTARTS`` restarts within ``CRASH_LOOP_SECONDS`` (settings; 4 in 900 s, the alert rule's
    "more than 3 in 15 min" in docs/alerts.yml) is a crash loop."""
    return CrashLoop(int(settings.CRASH_LOOP_RESTARTS), int(settings.CRASH_LOOP_SECONDS))


def exit_status_text(status: str) -> str:
    """``137`` → ``137（被信号 9 终止：SIGKILL，常见于内存不足被系统终止）``."""
    try:
        code = int(status)
    except ValueError:
        return status
    if code > 128 and code - 128 in SIGNALS:
        return f"{code}（被信号 {code - 128} 终止：{SIGNALS[code - 128]}）"
    if code > 128:
        return f"{code}（被信号 {code - 128} 终止）"
    return str(code)


def duration_text(seconds: int) -> str:
    """``90`` → ``1 分 30 秒``, ``7500`` → ``2 小时 5 分``, ``200000`` → ``2 天 7 小时``."""
    seconds = max(0, int(seconds))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} 天 {hours} 小时"
    if hours:
        return f"{hours} 小时 {minutes} 分"
    if minutes:
        return f"{minutes} 分 {secs} 秒"
    return f"{secs} 秒"


@dataclass(frozen=True)
class ProcessRestarts:
    process: str
    label: str
    last_hour: int
    last_day: int
    total: int
    recent: int  # within the crash-loop window
    crash_loop: bool
    last_at: datetime | None
    last_status: str


def restart_summary(now: datetime | None = None) -> dict:
    """Per supervised process: restarts in the last hour, 24 h and in all, the last one, and whether it is in a
    crash loop. ``state``: ``unconfigured`` (no STATE_DIR), ``missing`` (no restarts.log: nothing was ever
    restarted), ``unreadable`` or ``ok``."""
    now = now or timezone.now()
    threshold = crash_loop_threshold()
    path = metrics.restarts_file()
    summary = {"path": str(path) if path else "", "threshold": threshold, "bad_lines": 0, "processes": []}
    if path is None:
        return {**summary, "state": "unconfigured"}
    try:
        events, bad = metrics.restart_events(path)
    except OSError as exc:
        return {**summary, "state": "unreadable", "error": str(exc)[:200]}
    state = "ok" if Path(path).is_file() else "missing"
    epoch = now.timestamp()
    processes = []
    for process in [*SUPERVISED, *sorted({e.process for e in events} - set(SUPERVISED))]:
        own = [e for e in events if e.process == process]
        recent = sum(1 for e in own if e.at > epoch - threshold.seconds)
        last = own[-1] if own else None
        processes.append(
            ProcessRestarts(
                process=process,
                label=SUPERVISED.get(process, process),
                last_hour=sum(1 for e in own if e.at > epoch - 3600),
                last_day=sum(1 for e in own if e.at > epoch - 86400),
                total=len(own),
                recent=recent,
                crash_loop=recent >= threshold.restarts,
                last_at=datetime.fromtimestamp(last.at, tz=UTC) if last else None,
                last_status=exit_status_text(last.status) if last else "",
            )
        )
    return {
        **summary,
        "state": state,
        "bad_lines": bad,
        "processes": processes,
        "crash_loop": [p for p in processes if p.crash_loop],
    }


def infrastructure() -> dict:
    """Database, broker and queue, outbox backlog, cache: what /healthz checks plus the numbers /metrics gives."""
    checks = health_checks()
    database_ok = checks["database"]["status"] == "ok"
    lengths = metrics.queue_lengths() if checks["broker"]["status"] == "ok" else None
    pending, oldest_seconds = outbox.backlog() if database_ok else (None, None)
    return {
        "database": checks["database"],
        "broker": checks["broker"],
        "eager": bool(settings.CELERY_TASK_ALWAYS_EAGER),
        "queues": sorted((lengths or {}).items()),
        "fonts": checks["fonts"],
        "outbox_pending": pending,
        "outbox_oldest": duration_text(oldest_seconds) if oldest_seconds else "",
        "outbox_oldest_seconds": oldest_seconds or 0,
        "cache_up": cache_probe(),
        "cache_failures": cache.failures(),
    }


def problems(restarts: dict, infra: dict, section_problems: list) -> list[str]:
    """What needs the admin's attention, in a few words each (the page's first line); empty: all is well."""
    found = [f"{p.label}崩溃循环" for p in restarts.get("crash_loop", [])]
    if restarts["state"] in ("unconfigured", "unreadable"):
        found.append("重启记录未配置" if restarts["state"] == "unconfigured" else "重启记录无法读取")
    for key, label in (("database", "数据库异常"), ("broker", "消息队列不可连接"), ("fonts", "PDF 中文字体缺失")):
        if infra[key]["status"] != "ok":
            found.append(label)
    found += [problem for problem in section_problems if problem]
    if infra["outbox_oldest_seconds"] > OUTBOX_LATE_SECONDS:
        found.append(f"待投递任务积压 {infra['outbox_pending']} 条")
    return found


class OperationsView(CityAdminRequiredMixin, TemplateView):
    """运行状态: city admin only (others 403, anonymous to the login page)."""

    template_name = "core/operations.html"

    def dispatch(self, request, *args, **kwargs):
        if request.headers.get("HX-Request") and not request.user.is_authenticated:
            # the self-refresh after the session ended: the whole page goes to the login page (not the login form
            # swapped into the block, or the block emptied)
            response = HttpResponse(status=204)
            response["HX-Redirect"] = redirect_to_login(request.get_full_path()).url
            return response
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        now = timezone.now()
        sections = [
            {"key": section.key, "template": section.template, "ctx": section.context(now)}
            for section in status_sections()
        ]
        restarts, infra = restart_summary(now), infrastructure()
        return super().get_context_data(
            now=now,
            restarts=restarts,
            infra=infra,
            sections=sections,
            problems=problems(restarts, infra, [section["ctx"].get("problem") for section in sections]),
            refresh_seconds=REFRESH_SECONDS,
            **kwargs,
        )
