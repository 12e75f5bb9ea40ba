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
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, generate_latest
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.metrics_core import CounterMetricFamily

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
    expected = getattr(settings, "METRICS_TOKEN", "") or ""
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
    for allowed in getattr(settings, "METRICS_ALLOWED_IPS", []):
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
    state_dir = getattr(settings, "STATE_DIR", "") or ""
    return Path(state_dir) / "restarts.log" if state_dir else None


def read_restarts() -> dict[str, int]:
    """Restarts per supervised process, from the lines ``<epoch> <process> <exit status>`` serve-production appends."""
    path = restarts_file()
    counts: dict[str, int] = {}
    if path is None or not path.exists():
        return counts
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            counts[parts[1]] = counts.get(parts[1], 0) + 1
    return counts


def queue_lengths() -> dict[str, int] | None:
    """Messages waiting per queue on a Redis broker; {} in embedded mode; None when the broker does not answer."""
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return {}
    url = getattr(settings, "CELERY_BROKER_URL", "") or ""
    if not url.startswith(("redis://", "rediss://")):
        return {}
    import redis

    queue = getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery") or "celery"
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            return {queue: int(client.llen(queue))}
        finally:
            client.close()
    except redis.RedisError as exc:
        log.warning("metrics: broker queue length unavailable: %s", exc)
        return None


class JingpinCollector:
    """The ``jingpin_*`` metrics, computed at scrape time."""

    def collect(self):
        yield from self._outbox()
        yield from self._broker()
        yield from self._reports()
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
        from core.outbox import pending

        now = timezone.now()
        oldest = pending().order_by("created_at").values_list("created_at", flat=True).first()
        yield GaugeMetricFamily(
            "jingpin_outbox_pending", "Outbox messages not yet handed to the broker", value=pending().count()
        )
        yield GaugeMetricFamily(
            "jingpin_outbox_oldest_pending_seconds",
            "Age of the oldest outbox message not yet handed to the broker (0 when none)",
            value=(now - oldest).total_seconds() if oldest else 0,
        )

    def _broker(self):
        lengths = queue_lengths()
        yield GaugeMetricFamily(
            "jingpin_broker_up", "Whether the Celery broker answered (1) or not (0)", value=0 if lengths is None else 1
        )
        family = GaugeMetricFamily("jingpin_celery_queue_length", "Tasks waiting on the broker", labels=["queue"])
        queue = getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery") or "celery"
        for name, length in (lengths or {queue: 0}).items():
            family.add_metric([name], length)
        if lengths is not None:
            yield family

    def _reports(self):
        from django.db.models import Count, Q

        from reports.models import ArchiveStatus, ReportArchive
        from reports.services import stale_after

        now = timezone.now()
        by_status = dict(ReportArchive.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
        runs = GaugeMetricFamily("jingpin_report_runs", "Report runs by status", labels=["status"])
        for status in ArchiveStatus.values:
            runs.add_metric([status], by_status.get(status, 0))
        yield runs
        stale = now - stale_after()
        stuck = ReportArchive.objects.filter(
            Q(status=ArchiveStatus.RUNNING)
            & (Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True, started_at__lt=stale))
        ).count()
        yield GaugeMetricFamily(
            "jingpin_report_runs_stuck",
            "Report runs still running whose heartbeat is older than REPORT_STALE_SECONDS",
            value=stuck,
        )
        histogram = HistogramMetricFamily(
            "jingpin_report_duration_seconds",
            "Duration of finished report runs (started to finished)",
            labels=["report_type"],
        )
        durations: dict[str, list[float]] = {}
        finished = ReportArchive.objects.filter(
            status=ArchiveStatus.DONE, started_at__isnull=False, finished_at__isnull=False
        ).values_list("report_type", "started_at", "finished_at")
        for report_type, started, ended in finished.iterator():
            durations.setdefault(report_type, []).append(max(0.0, (ended - started).total_seconds()))
        for report_type, values in sorted(durations.items()):
            buckets = [(str(float(b)), sum(1 for v in values if v <= b)) for b in DURATION_BUCKETS]
            buckets.append(("+Inf", len(values)))
            histogram.add_metric([report_type], buckets, sum_value=sum(values))
        yield histogram


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
