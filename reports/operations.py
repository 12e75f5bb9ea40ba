"""The report runs' section of the 运行状态 page (core.registry.register_status_section, from reports' ready())."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Q

from reports.choices import ArchiveStatus
from reports.models import ReportArchive

FAILED_WINDOW = timedelta(hours=24)
LISTED = 20  # rows shown per list (the counts are complete)


def report_runs_status(now) -> dict:
    """Running and queued runs, the runs whose worker is gone (``ReportArchive.objects.stale``) with the note the 报表
    page shows, and the runs that failed in the last 24 h with their reason."""
    by_status = dict(
        ReportArchive.objects.filter(status__in=[ArchiveStatus.RUNNING, ArchiveStatus.QUEUED])
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    stale = ReportArchive.objects.stale(now).order_by("started_at", "pk")
    since = now - FAILED_WINDOW
    failed = ReportArchive.objects.filter(
        Q(finished_at__gte=since) | Q(finished_at__isnull=True, requested_at__gte=since), status=ArchiveStatus.FAILED
    ).order_by("-finished_at", "-pk")
    stale_count, failed_count = stale.count(), failed.count()
    problem = "；".join(
        text
        for count, text in (
            (stale_count, f"报表心跳丢失 {stale_count} 个"),
            (failed_count, f"报表 24 小时内失败 {failed_count} 个"),
        )
        if count
    )
    return {
        "running": by_status.get(ArchiveStatus.RUNNING, 0),
        "queued": by_status.get(ArchiveStatus.QUEUED, 0),
        "stale_count": stale_count,
        "stale": [(archive, archive.status_note(now)) for archive in stale[:LISTED]],
        "failed_count": failed_count,
        "failed": list(failed[:LISTED]),
        "listed": LISTED,
        "problem": problem,
    }
