"""Report requests, the archive and its Celery task: dedup, claiming, retries, failures, scope."""

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone

from reports import services
from reports.models import ReportArchive
from reports.tasks import generate_report
from tests.conftest import api_client_for, at

pytestmark = pytest.mark.django_db

JUNE = {"year": 2023, "month": 6}


def test_a_request_creates_a_queued_archive_and_the_task_completes_it(
    city_admin, fake_generator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        archive, created = services.request_report("monthly_bulletin", JUNE, user=city_admin)
    assert created and archive.status == "queued" and archive.requested_by == city_admin
    jobs = [cb for cb in callbacks if cb.__module__ == "core.outbox"]  # (the cache's version tokens: on commit too)
    assert len(jobs) == 1
    jobs[0]()  # the Celery task (eager in tests)
    archive.refresh_from_db()
    assert archive.status == "done" and archive.progress == 100 and archive.attempts == 1
    assert archive.pdf.read().startswith(b"%PDF") and archive.xlsx.name.endswith(".xlsx")


def test_two_identical_requests_within_a_minute_return_the_same_archive(
    city_admin, fake_generator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first, created1 = services.request_report("monthly_bulletin", JUNE, user=city_admin)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second, created2 = services.request_report("monthly_bulletin", dict(JUNE), user=city_admin)
    assert (created1, created2) == (True, False)
    assert first.pk == second.pk and not callbacks
    assert ReportArchive.objects.count() == 1 and fake_generator.calls == 1


def test_the_same_request_after_a_minute_builds_a_new_archive(
    city_admin, fake_generator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first, _ = services.request_report("monthly_bulletin", JUNE, user=city_admin)
    ReportArchive.objects.filter(pk=first.pk).update(requested_at=timezone.now() - timedelta(seconds=61))
    with django_capture_on_commit_callbacks(execute=True):
        second, created = services.request_report("monthly_bulletin", JUNE, user=city_admin)
    assert created and second.pk != first.pk


def test_a_future_month_is_refused_and_nothing_is_created(city_admin, clock):
    from django.core.exceptions import ValidationError

    clock.move_to(at(2024, 12, 31, 23, 0))  # the last evening of 2024 in Shanghai
    year, month = 2025, 1
    with pytest.raises(ValidationError) as exc:
        services.request_report("monthly_bulletin", {"year": year, "month": month}, user=city_admin)
    assert "未来月份" in str(exc.value)
    assert not ReportArchive.objects.exists()


def test_a_duplicated_task_never_produces_two_file_sets(city_admin, fake_generator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        archive, _ = services.request_report("monthly_bulletin", JUNE, user=city_admin)
    archive.refresh_from_db()
    pdf_name = archive.pdf.name
    assert generate_report.delay(archive.pk).get() == "skipped"
    archive.refresh_from_db()
    assert archive.pdf.name == pdf_name and fake_generator.calls == 1 and archive.attempts == 1


def test_a_transient_error_is_retried_and_then_succeeds(city_admin, fake_generator, django_capture_on_commit_callbacks):
    fake_generator.fail_with = [OperationalError("server closed the connection unexpectedly")]
    with django_capture_on_commit_callbacks(execute=True):
        archive, _ = services.request_report("monthly_bulletin", JUNE, user=city_admin)
    archive.refresh_from_db()
    assert archive.status == "done" and archive.attempts == 2 and fake_generator.calls == 2
    assert archive.error == ""


def test_an_error_that_persists_after_the_retries_marks_the_archive_failed(
    city_admin, fake_generator, django_capture_on_commit_callbacks
):
    fake_generator.fail_with = [OperationalError("db down")] * 4
    with django_capture_on_commit_callbacks(execute=True):
        services.request_report("monthly_bulletin", JUNE, user=city_admin)
    archive = ReportArchive.objects.get()
    assert archive.status == "failed" and "多次重试后仍不可用" in archive.error
    assert not archive.pdf and not archive.xlsx


def test_a_programming_error_fails_at_once_with_a_clear_message(
    city_admin, fake_generator, django_capture_on_commit_callbacks
):
    fake_generator.fail_with = [ValueError("模板缺少数据")]
    with django_capture_on_commit_callbacks(execute=True):
        services.request_report("monthly_bulletin", JUNE, user=city_admin)
    archive = ReportArchive.objects.get()
    assert archive.status == "failed" and archive.error == "生成失败：模板缺少数据" and fake_generator.calls == 1


def test_a_failed_request_can_be_requested_again_at_once(
    city_admin, fake_generator, django_capture_on_commit_callbacks
):
    fake_generator.fail_with = [ValueError("x")]
    with django_capture_on_commit_callbacks(execute=True):
        services.request_report("monthly_bulletin", JUNE, user=city_admin)
    with django_capture_on_commit_callbacks(execute=True):
        archive, created = services.request_report("monthly_bulletin", JUNE, user=city_admin)
    assert created
    archive.refresh_from_db()
    assert archive.status == "done"


def _running_archive(heartbeat_age=timedelta(0), **extra):
    beat = timezone.now() - heartbeat_age
    return ReportArchive.objects.create(
        report_type="monthly_bulletin",
        params=JUNE,
        params_key="2023-06",
        title="t",
        status="running",
        started_at=beat,
        heartbeat_at=beat,
        claim_token="dead-worker",
        attempts=1,
        **extra,
    )


def test_a_running_archive_with_a_live_heartbeat_is_not_taken_by_a_second_task(fake_generator):
    archive = _running_archive(heartbeat_age=timedelta(seconds=30))
    assert services.run_archive(archive.pk) == "skipped"
    assert fake_generator.calls == 0


def test_a_task_takes_over_a_run_whose_heartbeat_stopped(fake_generator):
    archive = _running_archive(heartbeat_age=timedelta(seconds=61))
    assert services.run_archive(archive.pk) == "done"
    archive.refresh_from_db()
    assert archive.status == "done" and archive.attempts == 2


def test_a_retry_carrying_its_claim_takes_its_own_archive_back(fake_generator):
    archive = _running_archive()
    assert services.run_archive(archive.pk, token="someone-else") == "skipped"
    assert services.run_archive(archive.pk, token="dead-worker") == "done"


def test_a_run_whose_claim_was_taken_over_discards_its_result(fake_generator, monkeypatch, settings):
    archive = ReportArchive.objects.create(report_type="monthly_bulletin", params=JUNE, params_key="2023-06", title="t")
    original = fake_generator.generate

    def generate_then_lose_claim(self, progress=lambda pct: None):
        result = original(self, progress)
        ReportArchive.objects.filter(pk=archive.pk).update(claim_token="another-run")
        return result

    monkeypatch.setattr(fake_generator, "generate", generate_then_lose_claim)
    assert services.run_archive(archive.pk) == "skipped"
    archive.refresh_from_db()
    assert archive.status == "running" and not archive.pdf
    assert not [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]  # its temporary files are gone


def test_the_sweep_requeues_a_run_whose_worker_died(fake_generator, django_capture_on_commit_callbacks):
    archive = _running_archive(heartbeat_age=timedelta(minutes=2))
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.sweep()
    assert counts["requeued"] == 1
    archive.refresh_from_db()
    # Requeued through the outbox; the eager task ran it at once.
    assert archive.status == "done" and archive.attempts == 2 and fake_generator.calls == 1


def test_the_sweep_fails_a_run_that_died_too_often(fake_generator, settings):
    archive = _running_archive(heartbeat_age=timedelta(minutes=2))
    ReportArchive.objects.filter(pk=archive.pk).update(attempts=settings.REPORT_MAX_ATTEMPTS)
    assert services.sweep()["failed"] == 1
    archive.refresh_from_db()
    assert archive.status == "failed" and "生成中断" in archive.error and fake_generator.calls == 0


def test_the_sweep_leaves_live_runs_and_recent_queued_archives_alone(fake_generator):
    running = _running_archive(heartbeat_age=timedelta(seconds=20))
    queued = ReportArchive.objects.create(
        report_type="monthly_bulletin", params=JUNE, params_key="2023-06", title="q", enqueued_at=timezone.now()
    )
    assert services.sweep() == {"failed": 0, "requeued": 0, "resent": 0, "removed": 0, "moved": 0}
    running.refresh_from_db()
    queued.refresh_from_db()
    assert (running.status, queued.status) == ("running", "queued")


def test_the_sweep_resends_a_queued_archive_whose_job_was_lost(fake_generator, django_capture_on_commit_callbacks):
    long_ago = timezone.now() - timedelta(hours=1)
    archive = ReportArchive.objects.create(
        report_type="monthly_bulletin", params=JUNE, params_key="2023-06", title="q", enqueued_at=long_ago
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.sweep()["resent"] == 1
    archive.refresh_from_db()
    assert archive.status == "done"


def test_a_queued_archive_still_waiting_in_the_outbox_is_not_sent_twice(fake_generator):
    from core.models import OutboxMessage

    long_ago = timezone.now() - timedelta(hours=1)
    archive = ReportArchive.objects.create(
        report_type="monthly_bulletin", params=JUNE, params_key="2023-06", title="q", enqueued_at=long_ago
    )
    OutboxMessage.objects.create(task=services.GENERATE_TASK, args=[archive.pk], available_at=timezone.now())
    assert services.sweep()["resent"] == 0
    assert OutboxMessage.objects.count() == 1


def test_files_no_archive_references_are_removed_and_a_committed_move_is_finished(
    city_admin, fake_generator, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        archive, _ = services.request_report("monthly_bulletin", JUNE, user=city_admin)
    archive.refresh_from_db()
    media = settings.MEDIA_ROOT
    pdf_path = media / archive.pdf.name
    # A process died after the commit, before moving its PDF into place: the file is still under its temporary name.
    pdf_path.rename(media / f"{archive.pdf.name}{services.TMP_MARK}{archive.claim_token}")
    orphan_dir = media / "reports" / "monthly_bulletin" / "999"
    orphan_dir.mkdir(parents=True)
    (orphan_dir / "lost.pdf").write_bytes(b"%PDF-1.7 lost")
    (orphan_dir / f"lost.xlsx{services.TMP_MARK}deadbeef").write_bytes(b"PK")
    counts = services.cleanup_files()
    assert counts == {"removed": 2, "moved": 1}
    files = sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file())
    assert files == sorted([archive.pdf.name, archive.xlsx.name])
    assert pdf_path.read_bytes().startswith(b"%PDF")


def test_a_rerun_writes_one_file_pair_without_suffixes(fake_generator, settings):
    archive = _running_archive(heartbeat_age=timedelta(minutes=5))
    assert services.run_archive(archive.pk) == "done"
    ReportArchive.objects.filter(pk=archive.pk).update(
        status="running", heartbeat_at=timezone.now() - timedelta(hours=1)
    )
    assert services.run_archive(archive.pk) == "done"
    archive.refresh_from_db()
    files = sorted(p.name for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())
    assert files == sorted([archive.pdf.name.rsplit("/", 1)[1], archive.xlsx.name.rsplit("/", 1)[1]])


# --- scope and the API ------------------------------------------------------------------------------
def test_county_staff_see_only_finished_reports_with_published_data(
    city_admin, county_user, fake_generator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        done, _ = services.request_report("monthly_bulletin", JUNE, user=city_admin)
    queued = ReportArchive.objects.create(
        report_type="monthly_bulletin", params={"year": 2023, "month": 5}, params_key="2023-05", title="排队中"
    )
    client = api_client_for(county_user)
    ids = [a["id"] for a in client.get("/api/v1/reports/").json()["results"]]
    assert ids == [done.pk]
    assert client.get(f"/api/v1/reports/{queued.pk}/").status_code == 404
    response = client.get(f"/api/v1/reports/{done.pk}/download/pdf/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


def test_county_staff_cannot_request_reports(county_user):
    response = api_client_for(county_user).post("/api/v1/reports/", {"report_type": "monthly_bulletin", **JUNE})
    assert response.status_code == 403 and not ReportArchive.objects.exists()


def test_units_and_experts_see_no_reports(outsider):
    assert api_client_for(outsider).get("/api/v1/reports/").status_code == 403


def test_api_request_status_and_download(city_admin, fake_generator, django_capture_on_commit_callbacks):
    client = api_client_for(city_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/reports/", {"report_type": "monthly_bulletin", **JUNE}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    status = client.get(f"/api/v1/reports/{body['id']}/").json()
    assert status["status"] == "done" and status["status_display"] == "已完成" and status["progress"] == 100
    assert client.get(status["xlsx_url"]).status_code == 200
    again = client.post("/api/v1/reports/", {"report_type": "monthly_bulletin", **JUNE}, format="json")
    assert again.status_code == 200 and again.json()["id"] == body["id"]


def test_api_bad_request_is_a_chinese_field_error(city_admin):
    response = api_client_for(city_admin).post(
        "/api/v1/reports/", {"report_type": "monthly_bulletin", "year": 2023}, format="json"
    )
    assert response.status_code == 400 and response.json()["month"] == ["请填写1-12之间的月份。"]


def test_report_list_query_count_is_constant(city_admin, django_assert_max_num_queries):
    from tests.api_mixins import query_count

    def make(n, start):
        for i in range(n):
            ReportArchive.objects.create(
                report_type="annual_report",
                params={"year": 2000 + start + i},
                params_key=str(2000 + start + i),
                title="x",
                requested_by=city_admin,
            )

    client = api_client_for(city_admin)
    make(3, 0)
    small, _ = query_count(client, "/api/v1/reports/?page_size=3")
    make(9, 10)
    large, response = query_count(client, "/api/v1/reports/?page_size=12")
    assert len(response.json()["results"]) == 12 and small == large


def test_a_program_fault_is_named_as_such_not_as_a_bare_python_error(
    city_admin, fake_generator, django_capture_on_commit_callbacks
):
    fake_generator.fail_with = [KeyError("county_id")]
    with django_capture_on_commit_callbacks(execute=True):
        services.request_report("monthly_bulletin", JUNE, user=city_admin)
    archive = ReportArchive.objects.get()
    assert archive.status == "failed"
    assert archive.error == "生成失败：程序内部错误（KeyError），已记入日志，请联系系统管理员后重新生成。"
    assert "county_id" not in archive.error


def test_a_full_disk_says_so(city_admin, fake_generator, django_capture_on_commit_callbacks):
    fake_generator.fail_with = [OSError(28, "No space left on device")]
    with django_capture_on_commit_callbacks(execute=True):
        services.request_report("monthly_bulletin", JUNE, user=city_admin)
    assert (
        ReportArchive.objects.get().error
        == "生成失败：报表文件无法写入（磁盘空间或权限），请联系系统管理员后重新生成。"
    )


@pytest.mark.parametrize(
    ("status", "heartbeat_age", "attempts", "note"),
    [
        ("running", timedelta(seconds=5), 1, ""),  # beating: the bar says it all
        ("running", timedelta(seconds=24), 1, ""),  # two beats (10 s) and the 5 s margin not yet passed
        ("running", timedelta(seconds=26), 1, "生成中断，正在自动重试（第2次）。"),
        ("running", timedelta(seconds=26), 2, "生成中断，正在自动重试（第3次）。"),
        ("running", timedelta(seconds=26), 5, "生成中断，已重试5次仍未完成，即将标记为失败。"),
        ("running", timedelta(seconds=5), 3, "第3次生成"),
        ("queued", timedelta(seconds=90), 1, "生成中断，正在自动重试（第2次）。"),
        ("queued", timedelta(seconds=90), 0, ""),
    ],
)
def test_the_report_page_says_what_happens_once_the_heartbeat_is_stale(status, heartbeat_age, attempts, note, settings):
    settings.REPORT_HEARTBEAT_SECONDS = 10
    settings.REPORT_MAX_ATTEMPTS = 5
    archive = _running_archive(heartbeat_age)
    ReportArchive.objects.filter(pk=archive.pk).update(status=status, attempts=attempts)
    archive.refresh_from_db()
    assert archive.status_note() == note


def test_the_status_row_shows_the_interruption_instead_of_a_frozen_bar(client, city_admin, settings):
    settings.REPORT_HEARTBEAT_SECONDS = 10
    archive = _running_archive(timedelta(seconds=40), progress=40)
    client.force_login(city_admin)
    html = client.get(f"/reports/{archive.pk}/status/").content.decode()
    assert "生成中断，正在自动重试（第2次）。" in html
