"""运行状态 (/operations/, core/operations.py): the city admin sees the worker's and beat's restarts with a crash-loop
warning, the report runs that lost their worker or failed, the outbox, broker, cache and database."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.operations import duration_text, exit_status_text
from reports.choices import ArchiveStatus
from reports.models import ReportArchive
from tests.conftest import DEMO_NOW
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/operations/"
NOW = DEMO_NOW.timestamp()


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def cell(response, testid: str) -> str:
    """The text of the element (or the row) with ``data-testid=testid``."""
    html = response.content.decode()
    match = re.search(rf'<(\w+)[^>]*data-testid="{testid}"[^>]*>(.*?)</\1>', html, re.S)
    assert match, f"no {testid}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(2))).strip()


def row_counts(response, process: str) -> tuple[int, int, int]:
    html = response.content.decode()
    row = re.search(rf'data-testid="restarts-{process}">(.*?)</tr>', html, re.S).group(1)
    return tuple(int(re.search(rf'data-testid="{k}">(\d+)<', row).group(1)) for k in ("hour", "day", "total"))


@pytest.fixture
def state(settings, tmp_path):
    settings.STATE_DIR = str(tmp_path)
    return tmp_path


@pytest.fixture
def city(client, city_admin):
    client.force_login(city_admin)
    return client


def get_at(client, moment=DEMO_NOW):
    with time_machine.travel(moment, tick=False):
        response = client.get(URL)
    assert response.status_code == 200
    return response


# --- who may see it ----------------------------------------------------------------------------------------------


def test_only_the_city_admin_sees_the_page(client, city_admin, county_user, outsider, state):
    client.force_login(city_admin)
    assert client.get(URL).status_code == 200
    expert = UserFactory(role="expert", username="expert")
    for user in (county_user, outsider, expert):
        client.force_login(user)
        assert client.get(URL).status_code == 403, user.role


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_self_refresh_after_the_session_ended_sends_the_page_to_the_login_page(client):
    response = client.get(URL, HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"].startswith(reverse("login"))


def test_the_page_refreshes_its_own_block(city, state):
    html = get_at(city).content.decode()
    assert 'id="ops-status"' in html and 'hx-select="#ops-status"' in html and 'hx-trigger="every 30s"' in html


def test_the_city_admin_menu_has_the_link_and_the_county_menu_not(client, city_admin, county_user, state):
    client.force_login(city_admin)
    assert f'href="{URL}"' in client.get("/").content.decode()
    client.force_login(county_user)
    assert f'href="{URL}"' not in client.get("/").content.decode()


# --- worker and beat restarts ------------------------------------------------------------------------------------


def test_restarts_are_counted_per_window_and_the_last_one_is_shown(city, state):
    (state / "restarts.log").write_text(
        f"{NOW - 3 * 86400:.0f} worker 1\n"  # three days ago: total only
        f"{NOW - 5 * 3600:.0f} worker 1\n"  # 24 h
        f"{NOW - 40 * 60:.0f} worker 1\n"  # the last hour
        f"{NOW - 20 * 60:.0f} worker 137\n"  # the last hour, the last one
        f"{NOW - 2 * 3600:.0f} beat 2\n"
    )
    response = get_at(city)
    assert row_counts(response, "worker") == (2, 3, 4)
    assert row_counts(response, "beat") == (0, 1, 1)
    worker = cell(response, "restarts-worker")
    assert "2024-03-12 09:40:00" in worker  # Asia/Shanghai
    assert "137（被信号 9 终止：SIGKILL" in worker
    assert 'data-testid="crash-loop"' not in response.content.decode()


def test_four_restarts_in_fifteen_minutes_is_a_crash_loop_and_three_are_not(city, state):
    # the alert rule's "more than 3 in 15 min" (docs/alerts.yml), the page's default threshold
    log = state / "restarts.log"
    log.write_text(
        f"{NOW - 14 * 60:.0f} worker 1\n{NOW - 9 * 60:.0f} worker 1\n{NOW - 5 * 60:.0f} worker 1\n"
        f"{NOW - 30 * 60:.0f} beat 1\n"
    )
    assert 'data-testid="crash-loop"' not in get_at(city).content.decode()

    log.write_text(log.read_text() + f"{NOW - 60:.0f} worker 1\n")
    response = get_at(city)
    alert = cell(response, "crash-loop")
    assert "崩溃循环：Celery worker" in alert and "重启了 4 次" in alert
    assert "15 分钟内重启 4 次及以上视为崩溃循环" in text(response)
    assert "docker compose logs --tail=200 worker" in text(response)
    assert response.content.decode().count('data-testid="crash-loop"') == 1  # not the beat

    # fifteen minutes after the first of the four, only three remain in the window
    assert 'data-testid="crash-loop"' not in get_at(city, DEMO_NOW + timedelta(minutes=1)).content.decode()


def test_the_crash_loop_threshold_is_a_setting(city, state, settings):
    settings.CRASH_LOOP_RESTARTS = 2
    settings.CRASH_LOOP_SECONDS = 300
    (state / "restarts.log").write_text(f"{NOW - 200:.0f} beat 1\n{NOW - 100:.0f} beat 1\n")
    response = get_at(city)
    assert "崩溃循环：Celery beat" in cell(response, "crash-loop")
    assert "5 分钟内重启 2 次及以上视为崩溃循环" in text(response)


def test_bad_lines_are_ignored_and_counted(city, state):
    (state / "restarts.log").write_bytes(
        f"{NOW - 60:.0f} worker 1\n".encode()
        + b"garbage\n"
        + b"not-a-time worker 1\n"
        + b"nan worker 1\n"
        + b"1e300 worker 1\n"
        + f"{NOW - 120:.0f}\n".encode()  # no process
        + b"\xff\xfe binary\n"
        + b"\n"
        + f"{NOW - 30:.0f} beat 2 extra words\n".encode()
    )
    response = get_at(city)
    assert row_counts(response, "worker") == (1, 1, 1)
    assert row_counts(response, "beat") == (1, 1, 1)
    assert "已忽略 6 行格式不符的记录" in cell(response, "restarts-bad-lines")


def test_metrics_count_the_same_valid_lines(client, state, settings):
    settings.METRICS_TOKEN = "t"
    (state / "restarts.log").write_text(f"{NOW:.0f} worker 1\ngarbage worker\n{NOW:.0f} beat 1\n")
    body = client.get("/metrics", HTTP_X_METRICS_TOKEN="t").content.decode()
    assert 'jingpin_worker_restarts_total{process="worker"} 1.0' in body


def test_no_restart_file_says_no_restarts(city, settings, tmp_path):
    settings.STATE_DIR = str(tmp_path / "never-written")
    response = get_at(city)
    assert "无重启记录" in cell(response, "restarts-none")
    assert row_counts(response, "worker") == (0, 0, 0)


def test_no_state_dir_says_not_configured(city, settings):
    settings.STATE_DIR = ""
    response = get_at(city)
    assert "未配置" in cell(response, "restarts-unconfigured")


# --- report runs -------------------------------------------------------------------------------------------------

ARCHIVE = {"report_type": "monthly_bulletin", "params_key": "k"}


def test_stale_and_failed_report_runs_are_listed_with_their_note_and_reason(city, state):
    with time_machine.travel(DEMO_NOW, tick=False):
        now = timezone.now()
        ReportArchive.objects.create(
            **ARCHIVE,
            title="心跳丢失的通报",
            status=ArchiveStatus.RUNNING,
            attempts=1,
            started_at=now - timedelta(minutes=5),
            heartbeat_at=now - timedelta(minutes=2),
        )
        ReportArchive.objects.create(
            **ARCHIVE,
            title="正在生成的通报",
            status=ArchiveStatus.RUNNING,
            attempts=1,
            started_at=now - timedelta(minutes=1),
            heartbeat_at=now,
        )
        ReportArchive.objects.create(**ARCHIVE, title="排队的通报", status=ArchiveStatus.QUEUED)
        ReportArchive.objects.create(
            **ARCHIVE,
            title="今天失败的报告",
            status=ArchiveStatus.FAILED,
            error="磁盘空间不足，无法保存报表文件。",
            finished_at=now - timedelta(hours=3),
        )
        ReportArchive.objects.create(
            **ARCHIVE,
            title="上周失败的报告",
            status=ArchiveStatus.FAILED,
            error="旧的原因",
            finished_at=now - timedelta(days=7),
        )
    response = get_at(city)
    assert cell(response, "reports-running") == "2"
    assert cell(response, "reports-queued") == "1"
    assert cell(response, "reports-stale") == "1"
    assert cell(response, "reports-failed") == "1"
    page = text(response)
    assert "心跳丢失的通报" in page and "生成中断，正在自动重试（第2次）。" in page
    assert "正在生成的通报" not in page
    assert "今天失败的报告" in page and "磁盘空间不足，无法保存报表文件。" in page
    assert "上周失败的报告" not in page and "旧的原因" not in page


def test_no_trouble_says_so(city, state):
    assert "没有中断或失败的报表。" in text(get_at(city))


# --- outbox, broker, cache, database -----------------------------------------------------------------------------


def test_outbox_backlog_broker_cache_and_database_are_shown(city, state, settings):
    from core import outbox

    settings.CELERY_TASK_ALWAYS_EAGER = True  # embedded mode, whatever broker the run has (CI has a real Redis)

    with time_machine.travel(DEMO_NOW - timedelta(seconds=90), tick=False):
        outbox.enqueue("core.tasks.ping", 1, countdown=600)
        outbox.enqueue("core.tasks.ping", 2, countdown=600)
    response = get_at(city)
    assert "2 条" in cell(response, "infra-outbox") and cell(response, "outbox-oldest") == "1 分 30 秒"
    assert cell(response, "ops-summary") == "一切正常"  # 90 s is no backlog yet
    later = get_at(city, DEMO_NOW + timedelta(minutes=10))
    assert cell(later, "outbox-oldest") == "11 分 30 秒" and "待投递任务积压 2 条" in cell(later, "ops-summary")
    assert "正常" in cell(response, "infra-database")
    assert "可连接" in cell(response, "infra-broker") and "嵌入模式" in cell(response, "infra-broker")
    assert re.search(r"缓存调用失败 \d+ 次", cell(response, "infra-cache"))


def test_a_broker_that_does_not_answer_is_shown_as_down(city, state, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = get_at(city)
    assert "不可连接" in cell(response, "infra-broker")
    assert "消息队列不可连接" in cell(response, "ops-summary")


def test_the_first_line_says_all_is_well_or_what_needs_attention(city, state):
    assert cell(get_at(city), "ops-summary") == "一切正常"
    (state / "restarts.log").write_text("".join(f"{NOW - m * 60:.0f} beat 1\n" for m in (1, 2, 3, 4)))
    with time_machine.travel(DEMO_NOW - timedelta(hours=1), tick=False):
        ReportArchive.objects.create(**ARCHIVE, title="t", status=ArchiveStatus.FAILED, finished_at=timezone.now())
    summary = cell(get_at(city), "ops-summary")
    assert summary == "需要处理：Celery beat（定时任务）崩溃循环；报表 24 小时内失败 1 个"


@pytest.mark.parametrize(
    "seconds, expected",
    [(0, "0 秒"), (59, "59 秒"), (90, "1 分 30 秒"), (7500, "2 小时 5 分"), (200000, "2 天 7 小时")],
)
def test_durations_read_in_chinese(seconds, expected):
    assert duration_text(seconds) == expected


@pytest.mark.parametrize(
    "status, expected", [("1", "1"), ("137", "137（被信号 9 终止：SIGKILL，常见于内存不足被系统终止）"), ("?", "?")]
)
def test_exit_statuses_read_in_chinese(status, expected):
    assert exit_status_text(status) == expected
