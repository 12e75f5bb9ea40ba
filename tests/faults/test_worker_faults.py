"""Fault drills on the real stack: workers killed mid-report, the database cut mid-report.

Each drill runs real Celery worker (and beat) processes against the test database and the real broker, on a
private queue; reports are slowed down (tests/faults/worker_app.py) so the fault lands in the middle of a run.
Recovery settings are shortened through the environment (heartbeat 1 s, stale after 4 s, sweep every 3 s); the
mechanism is the production one.
"""

from __future__ import annotations

import io
import json
import os
import random
import time

import pytest
from django.core.management import call_command

from reports import services
from reports.choices import ArchiveStatus
from reports.models import ReportArchive
from tests.conftest import OUTPUT_DIR
from tests.faults.conftest import database_url, files_on_disk, wait_until
from tests.faults.proxy import FaultProxy

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

MONTHS = [(year, month) for year in (2022, 2023) for month in range(1, 13)]


@pytest.fixture(autouse=True)
def _jobs_left_to_the_workers(monkeypatch):
    """The test process only writes the outbox; the drill's workers deliver it (as they do at start)."""
    monkeypatch.setattr("core.outbox._deliver_after_commit", lambda message_id: None)
    call_command("seed_reference", stdout=io.StringIO())


def status_of(archive_id: int) -> str:
    return ReportArchive.objects.filter(pk=archive_id).values_list("status", flat=True).get()


def assert_one_file_pair_each_and_no_orphans(archives) -> None:
    expected = sorted(name for a in archives for name in (a.pdf.name, a.xlsx.name))
    assert files_on_disk() == expected
    for archive in archives:
        assert archive.pdf.name.endswith(".pdf") and archive.xlsx.name.endswith(".xlsx")


def test_workers_killed_mid_report_lose_no_report_and_leave_no_orphan_file(fault_env, processes, tmp_path):
    kills = int(os.environ.get("FAULT_KILLS", "20"))
    env = {**fault_env, "FAULT_SLOW_REPORT_SECONDS": "2"}
    archive_ids = []
    for i in range(kills):
        year, month = MONTHS[i % len(MONTHS)]
        archive, _ = services.request_report("monthly_bulletin", {"year": year, "month": month})
        archive_ids.append(archive.pk)
        worker = processes.worker(env, label=f"worker{i}")
        wait_until(
            lambda pk=archive.pk: status_of(pk) == ArchiveStatus.RUNNING, 90, 0.1, f"archive {archive.pk} running"
        )
        time.sleep(random.uniform(0.2, 2.5))  # somewhere in the run: generating, writing, or just done
        processes.kill(worker)  # SIGKILL of the whole worker
    killed_running = ReportArchive.objects.filter(pk__in=archive_ids, status=ArchiveStatus.RUNNING).count()

    restarted = time.monotonic()
    processes.beat(fault_env, tmp_path)
    processes.worker(env, label="worker-final")
    wait_until(
        lambda: ReportArchive.objects.filter(pk__in=archive_ids, status=ArchiveStatus.DONE).count() == kills,
        300,
        1,
        f"all {kills} archives 已完成 within 5 minutes of the restart",
    )
    recovered_in = time.monotonic() - restarted
    archives = list(ReportArchive.objects.filter(pk__in=archive_ids))
    # The sweep removes what killed runs left on disk (temporary files of a run that never committed).
    wait_until(lambda: not [f for f in files_on_disk() if services.TMP_MARK in f], 60, 1, "temporary files removed")
    assert_one_file_pair_each_and_no_orphans(archives)
    assert all(a.attempts >= 1 and a.error == "" for a in archives)
    (OUTPUT_DIR / "fault-killed-workers.json").write_text(
        json.dumps(
            {
                "kills": kills,
                "running_when_killed": killed_running,
                "all_done_after_restart_s": round(recovered_in, 1),
                "attempts": sorted(a.attempts for a in archives),
            }
        )
    )


def test_database_cut_mid_report_ends_done_or_failed_never_stuck(fault_env, processes, tmp_path):
    from django.db import connection

    db = connection.settings_dict
    with FaultProxy((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432))) as proxy:
        env = {
            **fault_env,
            "FAULT_SLOW_REPORT_SECONDS": "3",
            "DATABASE_URL": database_url("127.0.0.1", proxy.port),
        }
        processes.beat(fault_env, tmp_path)
        processes.worker(env)
        outcomes = {}
        for label, fault in (("restart", "reset"), ("outage", "cut")):
            year, month = MONTHS[len(outcomes)]
            archive, _ = services.request_report("monthly_bulletin", {"year": year, "month": month})
            # The worker delivers the outbox on its start and from beat's dispatcher.
            wait_until(lambda pk=archive.pk: status_of(pk) == ArchiveStatus.RUNNING, 90, 0.1, "archive running")
            time.sleep(1)
            started = time.monotonic()
            if fault == "reset":
                proxy.reset()  # PostgreSQL restarted: every connection dropped, new ones accepted
            else:
                proxy.cut()  # PostgreSQL down for 8 s
                time.sleep(8)
                proxy.resume()
            final = wait_until(
                lambda pk=archive.pk: status_of(pk) in (ArchiveStatus.DONE, ArchiveStatus.FAILED) and status_of(pk),
                300,
                1,
                f"archive ends 已完成 or 失败 after the database {label}",
            )
            archive.refresh_from_db()
            outcomes[label] = {"status": final, "seconds": round(time.monotonic() - started, 1), "error": archive.error}
            if final == ArchiveStatus.FAILED:
                assert archive.error.startswith("生成失败"), archive.error
        archives = [a for a in ReportArchive.objects.all() if a.status == ArchiveStatus.DONE]
        wait_until(lambda: not [f for f in files_on_disk() if services.TMP_MARK in f], 60, 1, "temporary files removed")
        assert_one_file_pair_each_and_no_orphans(archives)
        (OUTPUT_DIR / "fault-database-cut.json").write_text(json.dumps(outcomes, ensure_ascii=False))
