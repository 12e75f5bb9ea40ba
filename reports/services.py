"""Report requests and their execution, safe against duplicated and retried tasks.

* ``request_report`` validates the parameters, returns the archive of an identical request made in the last
  minute (so a double click or a repeated API call never creates two), or creates a queued archive and sends
  the Celery task after the transaction commits.
* ``run_archive`` claims the archive with a conditional UPDATE (queued → running; or a running archive whose
  worker died, after ``STALE_AFTER``), builds both files, and only then stores them and marks the archive done
  in one transaction: a half-written file is never served as complete, and a second task for the same archive
  finds nothing to claim.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from reports.generators import get_generator
from reports.models import ArchiveStatus, ReportArchive, ReportType

log = logging.getLogger(__name__)

DEDUP_WINDOW = timedelta(seconds=60)
STALE_AFTER = timedelta(minutes=30)


def request_report(report_type: str, params: dict, user=None, *, scheduled: bool = False) -> tuple[ReportArchive, bool]:
    """Create (or reuse) an archive for this request and queue its task. Returns (archive, created)."""
    if report_type not in ReportType.values:
        raise ValidationError({"report_type": "未知的报表类型。"})
    generator = get_generator(report_type)
    clean = generator.validate_params(params)
    key = generator.params_key(clean)
    now = timezone.now()
    with transaction.atomic():
        recent = (
            ReportArchive.objects.select_for_update()
            .filter(report_type=report_type, params_key=key, requested_at__gte=now - DEDUP_WINDOW)
            .exclude(status=ArchiveStatus.FAILED)
            .order_by("-requested_at")
            .first()
        )
        if recent is not None:
            return recent, False
        archive = ReportArchive.objects.create(
            report_type=report_type,
            params=clean,
            params_key=key,
            title=generator.title_for(clean),
            requested_by=user,
            scheduled=scheduled,
        )
        transaction.on_commit(lambda: _enqueue(archive.pk))
    return archive, True


def _enqueue(archive_id: int) -> None:
    from config.celery import app
    from reports.tasks import generate_report

    if not app.conf.task_always_eager:
        generate_report.delay(archive_id)
        return
    # Embedded mode runs the task in this request. throw=False lets Celery's eager apply() run the retries
    # (with propagation on, the first Retry would escape instead); the outcome, done or 失败 with its message,
    # is on the archive, and the user's request does not turn into a server error.
    result = generate_report.apply(args=(archive_id,), throw=False)
    if result.failed():
        log.warning("report archive %s: eager run failed: %r", archive_id, result.result)


def claim(archive_id: int, *, redelivered: bool = False) -> str | None:
    """Atomically take the archive for this task run; returns the claim token, or None when there is nothing to
    claim (done, failed, or running elsewhere). A redelivered message (its worker died: acks_late) may take over
    a running archive; so may any task once the run is older than STALE_AFTER. Only the holder of the current
    token can store files, so two runs never produce two file sets."""
    now = timezone.now()
    claimable = Q(status=ArchiveStatus.QUEUED) | Q(status=ArchiveStatus.RUNNING, started_at__lt=now - STALE_AFTER)
    if redelivered:
        claimable |= Q(status=ArchiveStatus.RUNNING)
    token = uuid.uuid4().hex
    updated = ReportArchive.objects.filter(claimable, pk=archive_id).update(
        status=ArchiveStatus.RUNNING,
        started_at=now,
        progress=5,
        error="",
        attempts=F("attempts") + 1,
        claim_token=token,
    )
    return token if updated == 1 else None


def set_progress(archive_id: int, pct: int) -> None:
    ReportArchive.objects.filter(pk=archive_id, status=ArchiveStatus.RUNNING).update(progress=pct)


def release_for_retry(archive_id: int, error: str) -> None:
    """A transient error: give the archive back to the queue so the retried task can claim it."""
    ReportArchive.objects.filter(pk=archive_id, status=ArchiveStatus.RUNNING).update(
        status=ArchiveStatus.QUEUED, progress=0, error=f"暂时性错误，稍后重试：{error}"[:1000]
    )


def fail_stale_runs() -> int:
    """Archives left running by a worker that died (and were not redelivered) become 失败 after STALE_AFTER."""
    return ReportArchive.objects.filter(
        status=ArchiveStatus.RUNNING, started_at__lt=timezone.now() - STALE_AFTER
    ).update(status=ArchiveStatus.FAILED, error="生成中断（工作进程退出），请重新生成。", finished_at=timezone.now())


def mark_failed(archive_id: int, error: str) -> None:
    ReportArchive.objects.filter(pk=archive_id).exclude(status=ArchiveStatus.DONE).update(
        status=ArchiveStatus.FAILED, error=error[:2000], finished_at=timezone.now()
    )


def run_archive(archive_id: int, *, redelivered: bool = False) -> str:
    """Build the archive's files. Returns what happened: 'done' or 'skipped' (nothing to claim)."""
    token = claim(archive_id, redelivered=redelivered)
    if token is None:
        log.info("report archive %s: nothing to claim (done, failed or running elsewhere)", archive_id)
        return "skipped"
    archive = ReportArchive.objects.get(pk=archive_id)
    generator = get_generator(archive.report_type)(**archive.params)
    result = generator.generate(progress=lambda pct: set_progress(archive_id, pct))
    with transaction.atomic():
        locked = ReportArchive.objects.select_for_update().get(pk=archive_id)
        if locked.status != ArchiveStatus.RUNNING or locked.claim_token != token:
            log.info("report archive %s: claimed by another run meanwhile; result discarded", archive_id)
            return "skipped"
        for old in (locked.pdf, locked.xlsx):
            if old:
                old.delete(save=False)
        locked.pdf.save(f"{result.filename}.pdf", ContentFile(result.pdf), save=False)
        locked.xlsx.save(f"{result.filename}.xlsx", ContentFile(result.xlsx), save=False)
        locked.status = ArchiveStatus.DONE
        locked.progress = 100
        locked.summary = result.summary
        locked.has_published_data = result.has_published_data
        locked.finished_at = timezone.now()
        locked.error = ""
        locked.save()
    return "done"
