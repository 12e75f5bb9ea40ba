"""Report requests and their execution, safe against duplicated, retried and killed tasks.

* ``request_report`` validates the parameters and, under an advisory lock on (type, parameters) so that any
  number of web workers agree, returns the archive of an identical request made in the last minute (a double
  click or a repeated API call never creates two) or creates a queued archive; its Celery job goes through the
  transactional outbox (``core.outbox``), written in the same transaction, so it is never lost when the broker is
  down and the request never waits for the broker.
* ``run_archive`` claims the archive with a conditional UPDATE (queued → running, with a fresh claim token), keeps a
  heartbeat while it builds both files, writes them under temporary names (``….tmp-<token>``), and in one
  transaction checks that its claim still holds and marks the archive done; only after the commit are the files
  moved into place (removed instead when anything failed). A half-written file is never served, a second run for
  the same archive finds nothing to claim, and a superseded run discards its files.
* ``sweep`` (beat every minute, and each worker start) puts runs whose heartbeat stopped (killed worker, lost
  database) back in the queue, or marks them 失败 after ``REPORT_MAX_ATTEMPTS``; re-sends queued archives whose job
  never reached a worker; and removes report files that no archive references.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from core import outbox
from core.locks import advisory_xact_lock
from reports.choices import ArchiveStatus, ReportType
from reports.generators import get_generator
from reports.models import ReportArchive, heartbeat_every, max_attempts, stale_after

log = logging.getLogger(__name__)

DEDUP_WINDOW = timedelta(seconds=60)
TMP_MARK = ".tmp-"
GENERATE_TASK = "reports.tasks.generate_report"


def queue_stale_after() -> timedelta:
    return timedelta(seconds=float(settings.REPORT_QUEUE_STALE_SECONDS))


def failure_reason(exc: BaseException) -> str:
    """Why a run failed, for the clerk: a rule's own message as it is; a program fault named as such (its traceback
    is in the worker's log), never a bare Python error text."""
    if isinstance(exc, ValidationError):
        return "生成失败：" + "；".join(exc.messages)
    if isinstance(exc, MemoryError):
        return "生成失败：报表生成进程内存不足，请联系系统管理员调整后重新生成。"
    if isinstance(exc, OSError):
        return "生成失败：报表文件无法写入（磁盘空间或权限），请联系系统管理员后重新生成。"
    text = str(exc)
    if isinstance(exc, ValueError) and any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return f"生成失败：{text}"
    return f"生成失败：程序内部错误（{type(exc).__name__}），已记入日志，请联系系统管理员后重新生成。"


# --- requesting --------------------------------------------------------------------------------------
def request_report(report_type: str, params: dict, *, user=None, scheduled: bool = False) -> tuple[ReportArchive, bool]:
    """Create (or reuse) an archive for this request and queue its job. Returns (archive, created)."""
    if report_type not in ReportType.values:
        raise ValidationError({"report_type": "未知的报表类型。"})
    generator = get_generator(report_type)
    clean = generator.validate_params(params)
    key = generator.params_key(clean)
    with transaction.atomic():
        # Two web workers asking for the same report at once: the second waits here, then finds the first.
        advisory_xact_lock(f"report:{report_type}:{key}")
        now = timezone.now()
        recent = (
            ReportArchive.objects.filter(report_type=report_type, params_key=key, requested_at__gte=now - DEDUP_WINDOW)
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
            enqueued_at=now,
        )
        outbox.enqueue(GENERATE_TASK, archive.pk)
    return archive, True


def _requeue(archive_id: int) -> None:
    """Send the archive's job again (through the outbox: survives a broker outage)."""
    ReportArchive.objects.filter(pk=archive_id).update(enqueued_at=timezone.now())
    outbox.enqueue(GENERATE_TASK, archive_id)


# --- running -----------------------------------------------------------------------------------------
def claim(archive_id: int, *, token: str | None = None) -> str | None:
    """Atomically take the archive for this run; returns the new claim token, or None when there is nothing to
    claim (done, failed, or running elsewhere with a live heartbeat). A run may also take over a running archive
    whose heartbeat stopped, and a retry of the same run (``token``: its previous claim) its own archive."""
    now = timezone.now()
    claimable = Q(status=ArchiveStatus.QUEUED) | Q(status=ArchiveStatus.RUNNING, heartbeat_at__lt=now - stale_after())
    if token:
        claimable |= Q(status=ArchiveStatus.RUNNING, claim_token=token)
    new_token = uuid.uuid4().hex
    updated = ReportArchive.objects.filter(claimable, pk=archive_id).update(
        status=ArchiveStatus.RUNNING,
        started_at=now,
        heartbeat_at=now,
        progress=5,
        error="",
        attempts=F("attempts") + 1,
        claim_token=new_token,
    )
    return new_token if updated == 1 else None


def set_progress(archive_id: int, token: str, pct: int) -> None:
    ReportArchive.objects.filter(pk=archive_id, status=ArchiveStatus.RUNNING, claim_token=token).update(
        progress=pct, heartbeat_at=timezone.now()
    )


class Heartbeat:
    """Touches the archive's ``heartbeat_at`` from a thread while the (CPU-bound) generator runs."""

    def __init__(self, archive_id: int, token: str):
        self.archive_id, self.token = archive_id, token
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{archive_id}", daemon=True)

    def _run(self) -> None:
        try:
            while not self._stop.wait(heartbeat_every()):
                try:
                    ReportArchive.objects.filter(
                        pk=self.archive_id, status=ArchiveStatus.RUNNING, claim_token=self.token
                    ).update(heartbeat_at=timezone.now())
                except Exception:  # noqa: BLE001 - a missed beat only makes the run look stale sooner
                    log.warning("report archive %s: heartbeat failed", self.archive_id, exc_info=True)
                    _drop_broken_connection()
        finally:
            connection.close()

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=30)


def _media_path(name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / name


def _write_tmp(name: str, token: str, data: bytes) -> Path:
    path = _media_path(f"{name}{TMP_MARK}{token}")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    return path


def _drop_broken_connection(force: bool = False) -> None:
    """After a database error: close this thread's connection if it is broken (or ``force``), so the next query
    opens a new one. Never inside a transaction (that connection is the caller's to roll back)."""
    if connection.in_atomic_block or connection.connection is None:
        return
    if force or not connection.is_usable():
        connection.close()


def release_for_retry(archive_id: int, token: str, error: str) -> None:
    """A transient error: give the archive back to the queue so the retried task can claim it. The database may
    be the thing that failed: drop the broken connection and try a few times; if it still fails, the sweep puts the
    archive back once its heartbeat is stale."""
    for attempt in range(3):
        try:
            _drop_broken_connection(force=attempt > 0)
            ReportArchive.objects.filter(pk=archive_id, status=ArchiveStatus.RUNNING, claim_token=token).update(
                status=ArchiveStatus.QUEUED, progress=0, error=f"暂时性错误，稍后重试：{error}"[:1000]
            )
            return
        except Exception:  # noqa: BLE001
            log.warning("report archive %s: release for retry failed (try %s)", archive_id, attempt + 1, exc_info=True)
            time.sleep(1 + attempt)


def mark_failed(archive_id: int, error: str) -> bool:
    """The archive fails with ``error`` (Chinese); reconnects if needed. False when the database is unreachable."""
    for attempt in range(3):
        try:
            _drop_broken_connection(force=attempt > 0)
            ReportArchive.objects.filter(pk=archive_id).exclude(status=ArchiveStatus.DONE).update(
                status=ArchiveStatus.FAILED, error=error[:2000], finished_at=timezone.now()
            )
            return True
        except Exception:  # noqa: BLE001
            log.warning("report archive %s: mark failed did not reach the database", archive_id, exc_info=True)
            time.sleep(1 + attempt)
    return False


def run_archive(archive_id: int, *, token: str | None = None) -> str:
    """Build the archive's files. Returns what happened: 'done' or 'skipped' (nothing to claim)."""
    current_run.token = None
    token = claim(archive_id, token=token)
    if token is None:
        log.info("report archive %s: nothing to claim (done, failed or running elsewhere)", archive_id)
        return "skipped"
    current_run.token = token
    archive = ReportArchive.objects.get(pk=archive_id)
    generator = get_generator(archive.report_type)(**archive.params)
    with Heartbeat(archive_id, token):
        result = generator.generate(progress=lambda pct: set_progress(archive_id, token, pct))
    pdf_name = ReportArchive._meta.get_field("pdf").generate_filename(archive, f"{result.filename}.pdf")
    xlsx_name = ReportArchive._meta.get_field("xlsx").generate_filename(archive, f"{result.filename}.xlsx")
    tmp_files = [(_write_tmp(pdf_name, token, result.pdf), pdf_name)]
    tmp_files.append((_write_tmp(xlsx_name, token, result.xlsx), xlsx_name))
    try:
        with transaction.atomic():
            locked = ReportArchive.objects.select_for_update().get(pk=archive_id)
            if locked.status != ArchiveStatus.RUNNING or locked.claim_token != token:
                log.info("report archive %s: claimed by another run meanwhile; result discarded", archive_id)
                _remove(path for path, _ in tmp_files)
                return "skipped"
            replaced = [
                name for name in (locked.pdf.name, locked.xlsx.name) if name and name not in (pdf_name, xlsx_name)
            ]
            locked.pdf.name = pdf_name
            locked.xlsx.name = xlsx_name
            locked.status = ArchiveStatus.DONE
            locked.progress = 100
            locked.summary = result.summary
            locked.has_published_data = result.has_published_data
            locked.finished_at = timezone.now()
            locked.error = ""
            locked.save()
    except BaseException:
        _remove(path for path, _ in tmp_files)
        raise
    # Committed: move the files into place. Should this process die right here, the sweep finishes the move.
    for path, name in tmp_files:
        try:
            os.replace(path, _media_path(name))
        except FileNotFoundError:
            if not _media_path(name).exists():  # the sweep did not move it for us either
                raise
    _remove(_media_path(name) for name in replaced)  # an earlier run's files under other names
    return "done"


class _CurrentRun(threading.local):
    token: str | None = None


current_run = _CurrentRun()


def _remove(paths) -> None:
    for path in paths:
        try:
            os.remove(path)
        except FileNotFoundError:
            pass


# --- the sweep -----------------------------------------------------------------------------------------
def recover_stale_runs() -> dict[str, int]:
    """Runs whose heartbeat stopped go back to the queue (or fail after REPORT_MAX_ATTEMPTS); queued archives whose
    job never reached a worker are sent again. Returns counts."""
    now = timezone.now()
    failed = (
        ReportArchive.objects.stale(now)
        .filter(attempts__gte=max_attempts())
        .update(
            status=ArchiveStatus.FAILED,
            error=f"生成中断：工作进程已{max_attempts()}次在生成过程中退出，请检查后重新生成。",
            finished_at=now,
        )
    )
    requeued = 0
    for archive_id in ReportArchive.objects.stale(now).values_list("pk", flat=True):
        with transaction.atomic():
            if (
                ReportArchive.objects.stale(now)
                .filter(pk=archive_id)
                .update(
                    status=ArchiveStatus.QUEUED,
                    progress=0,
                    claim_token="",
                    error="生成中断（工作进程退出或数据库连接中断），已自动重新排队。",
                )
            ):
                _requeue(archive_id)
                requeued += 1
    resent = 0
    lost = ReportArchive.objects.filter(status=ArchiveStatus.QUEUED).filter(
        Q(enqueued_at__lt=now - queue_stale_after())
        | Q(enqueued_at__isnull=True, requested_at__lt=now - queue_stale_after())
    )
    pending_ids = {
        args[0] for args in outbox.pending().filter(task=GENERATE_TASK).values_list("args", flat=True) if args
    }
    for archive_id in lost.values_list("pk", flat=True):
        if archive_id in pending_ids:
            continue  # still waiting for the broker in the outbox
        with transaction.atomic():
            _requeue(archive_id)
        resent += 1
    return {"failed": failed, "requeued": requeued, "resent": resent}


def cleanup_files() -> dict[str, int]:
    """Report files on disk that no archive references are removed; a committed run whose files were not moved
    into place yet (its process died right after the commit) is finished. Temporary files of a live run stay."""
    root = _media_path("reports")
    if not root.is_dir():
        return {"removed": 0, "moved": 0}
    referenced: set[str] = set()
    for pdf, xlsx in ReportArchive.objects.exclude(pdf="", xlsx="").values_list("pdf", "xlsx"):
        referenced.update(name for name in (pdf, xlsx) if name)
    removed = moved = 0
    base = Path(settings.MEDIA_ROOT)
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        name = path.relative_to(base).as_posix()
        if TMP_MARK in path.name:
            final, _, token = name.rpartition(TMP_MARK)
            archive = ReportArchive.objects.filter(claim_token=token).only("status", "pdf", "xlsx").first()
            if archive is not None and archive.status == ArchiveStatus.RUNNING:
                continue  # a live run is writing it
            if (
                archive is not None
                and archive.status == ArchiveStatus.DONE
                and final in (archive.pdf.name, archive.xlsx.name)
            ):
                if not _media_path(final).exists():
                    os.replace(path, _media_path(final))
                    moved += 1
                    continue
            _remove([path])
            removed += 1
        elif name not in referenced and not ReportArchive.objects.filter(Q(pdf=name) | Q(xlsx=name)).exists():
            _remove([path])
            removed += 1
    return {"removed": removed, "moved": moved}


def sweep() -> dict[str, int]:
    """Beat every minute and each worker start: recover stale runs, re-send lost jobs, clean up files."""
    counts = recover_stale_runs()
    counts.update(cleanup_files())
    if any(counts.values()):
        log.info("report sweep: %s", counts)
    return counts
