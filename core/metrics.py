"""``/metrics`` for Prometheus (README, "Observability").

django-prometheus counts requests, responses by status and latency by view, and database queries and errors
(its database backends, settings ``METRICS_DB``). The ``jingpin_*`` metrics below are read from the database, the
broker and the supervisor's state file when Prometheus scrapes, so every gunicorn worker answers the same numbers:

* ``jingpin_outbox_pending`` / ``jingpin_outbox_oldest_pending_seconds`` — work committed but not yet handed to
  the broker (core.outbox);
* ``jingpin_celery_queue_length{queue}`` — messages waiting on the broker (Redis ``LLEN``; 0 in embedded mode),
  ``jingpin_broker_up``;
* ``jingpin_report_runs{status}``, ``jingpin_report_runs_stuck`` (running with a heartbeat older than
  ``REPORT_STALE_SECONDS``), ``jingpin_report_duration_seconds{report_type}`` (histogram of finished runs,
  started → finished);
* ``jingpin_worker_restarts_total{process}`` — restarts of the Celery worker/beat by scripts/serve-production
  (one line each in ``$STATE_DIR/restarts.log``);
* ``jingpin_cache_failures_total`` — failed cache calls in the web processes (core.cache), a multiprocess counter.

Not public: the caller needs ``METRICS_TOKEN`` (``Authorization: Bearer …`` or ``X-Metrics-Token``) or an address
in ``METRICS_ALLOWED_IPS``; anyone else gets the 404 page.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import CounterMetricFamily

from core import outbox
from core.clientip import client_ip

log = logging.getLogger(__name__)

# Seconds: a monthly bulletin takes seconds, the province-scale annual report about a minute (docs/performance.md).
DURATION_BUCKETS = (1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800)

CACHE_FAILURES = Counter("jingpin_cache_failures", "Failed cache calls (the app went on without the cache)")


def record_cache_failure() -> None:
    try:
        CACHE_FAILURES.inc()
    except Exception:  # noqa: BLE001 - a metric never breaks the request
        log.debug("cache failure counter not updated", exc_info=True)


# --- Access ---------------------------------------------------------------------------------------------------


def _token_ok(request) -> bool:
    expected = settings.METRICS_TOKEN or ""
    if not expected:
        return False
    given = request.headers.get("X-Metrics-Token", "")
    auth = request.headers.get("Authorization", "")
    if auth.lower().startswith("bearer "):
        given = auth[7:].strip()
    return bool(given) and hmac.compare_digest(given.encode(), expected.encode())


def _address_ok(request) -> bool:
    address = client_ip(request)
    if not address:
        return False
    ip = ipaddress.ip_address(address)
    for allowed in settings.METRICS_ALLOWED_IPS:
        try:
            if ip in ipaddress.ip_network(allowed, strict=False):
                return True
        except ValueError:
            continue
    return False


def allowed(request) -> bool:
    return _token_ok(request) or _address_ok(request)


# --- Scrape-time metrics --------------------------------------------------------------------------------------


def restarts_file() -> Path | None:
    state_dir = settings.STATE_DIR or ""
    return Path(state_dir) / "restarts.log" if state_dir else None


@dataclass(frozen=True)
class Restart:
    at: float  # epoch seconds
    process: str
    status: str  # the exit status as written ("1", "137", …)


def restart_events(path: Path | None = None) -> tuple[list[Restart], int]:
    """The restarts serve-production recorded (lines ``<epoch> <process> <exit status>``), oldest first, and how many
    lines were not such a line (ignored). None/missing file: none."""
    path = path if path is not None else restarts_file()
    if path is None or not path.is_file():
        return [], 0
    events, bad = [], 0
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split()
        if not parts:
            continue
        try:
            at = float(parts[0])
            valid = len(parts) >= 2 and 0 <= at < 1e11 and parts[1].isidentifier()  # no NaN, inf or year 5000
        except ValueError:
            valid = False
        if not valid:
            bad += 1
            continue
        events.append(Restart(at, parts[1], parts[2] if len(parts) >= 3 else "?"))
    events.sort(key=lambda e: e.at)
    return events, bad


def read_restarts() -> dict[str, int]:
    """Restarts per supervised process (``restart_events``; lines that are not ``<epoch> <process> …`` are skipped)."""
    counts: dict[str, int] = {}
    for event in restart_events()[0]:
        counts[event.process] = counts.get(event.process, 0) + 1
    return counts


def queue_lengths() -> dict[str, int] | None:
    """Messages waiting per queue on a Redis broker; {} in embedded mode; None when the broker does not answer."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {}
    url = settings.CELERY_BROKER_URL or ""
    if not url.startswith(("redis://", "rediss://")):
        return {}
    import redis

    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            return {queue: int(client.llen(queue))}
        finally:
            client.close()
    except redis.RedisError as exc:
        log.warning("metrics: broker queue length unavailable: %s", exc)
        return None


_sources: list = []


def register_metrics(source) -> None:
    """An app adds metric families computed at scrape time (a callable yielding them), from its ready()."""
    if source not in _sources:
        _sources.append(source)


class JingpinCollector:
    """The ``jingpin_*`` metrics, computed at scrape time."""

    def collect(self):
        yield from self._outbox()
        yield from self._broker()
        for source in _sources:  # the apps' own metrics (register_metrics in their AppConfig.ready())
            yield from source()
        restarts = CounterMetricFamily(
            "jingpin_worker_restarts",
            "Crash restarts of a supervised process (scripts/serve-production)",
            labels=["process"],
        )
        counts = read_restarts()
        for process in sorted(set(counts) | {"worker", "beat"}):
            restarts.add_metric([process], counts.get(process, 0))
        yield restarts

    def _outbox(self):
        count, oldest_seconds = outbox.backlog()
        yield GaugeMetricFamily("jingpin_outbox_pending", "Outbox messages not yet handed to the broker", value=count)
        yield GaugeMetricFamily(
            "jingpin_outbox_oldest_pending_seconds",
            "Age of the oldest outbox message not yet handed to the broker (0 when none)",
            value=oldest_seconds,
        )

    def _broker(self):
        lengths = queue_lengths()
        yield GaugeMetricFamily(
            "jingpin_broker_up", "Whether the Celery broker answered (1) or not (0)", value=0 if lengths is None else 1
        )
        family = GaugeMetricFamily("jingpin_celery_queue_length", "Tasks waiting on the broker", labels=["queue"])
        queue = settings.CELERY_TASK_DEFAULT_QUEUE
        for name, length in (lengths or {queue: 0}).items():
            family.add_metric([name], length)
        if lengths is not None:
            yield family


_custom = CollectorRegistry(auto_describe=False)
_custom.register(JingpinCollector())


def _process_registry():
    """django-prometheus's request and database metrics: every gunicorn worker's (multiprocess mode) or this one's."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


@never_cache
def metrics(request):
    if not allowed(request):
        raise Http404
    body = generate_latest(_process_registry()) + generate_latest(_custom)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
