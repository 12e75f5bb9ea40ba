"""The reports' metrics on /metrics (core.metrics.register_metrics): runs by status, stuck runs, durations."""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily

from core.metrics import DURATION_BUCKETS
from reports.choices import ArchiveStatus
from reports.models import ReportArchive


def report_metrics():
    now = timezone.now()
    by_status = dict(ReportArchive.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    runs = GaugeMetricFamily("jingpin_report_runs", "Report runs by status", labels=["status"])
    for status in ArchiveStatus.values:
        runs.add_metric([status], by_status.get(status, 0))
    yield runs
    stuck = ReportArchive.objects.stale(now).count()
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
