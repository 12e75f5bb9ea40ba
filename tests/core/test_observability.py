"""Observability (README, "Observability"): /metrics only for the monitoring network and with numbers read from the
data, JSON log lines carrying the request id into the tasks the request queued, Sentry only with SENTRY_DSN."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
import yaml
from celery import shared_task
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from core import cache as core_cache
from core import observability, outbox
from core.models import OutboxMessage
from reports.choices import ArchiveStatus
from reports.models import ReportArchive
from tests.conftest import DEMO_NOW

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@shared_task(name="tests.core.test_observability.log_in_task")
def log_in_task(text: str) -> str:
    logging.getLogger("jingpin.test.task").info("task ran: %s", text)
    return text


def scrape(client, **headers) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", **headers)
    assert response.status_code == 200, response.status_code
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples, name, **labels):
    return samples[(name, tuple(sorted(labels.items())))]


# --- /metrics: who may read it ---------------------------------------------------------------------------------


@pytest.fixture
def closed(settings):
    """Nobody by address; the monitoring system's token only."""
    settings.METRICS_ALLOWED_IPS = []
    settings.METRICS_TOKEN = "s3cret-token"
    return settings


def test_metrics_refuses_without_token_or_allowed_address(client, closed):
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert client.get("/metrics", HTTP_X_METRICS_TOKEN="s3cret-toke").status_code == 404
    closed.METRICS_TOKEN = ""  # no token configured: an empty bearer is no key
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_metrics_answers_with_the_token(client, closed):
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token").status_code == 200
    assert client.get("/metrics", HTTP_X_METRICS_TOKEN="s3cret-token").status_code == 200


def test_metrics_answers_an_allowed_address_or_network(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200  # the default: the host itself
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 404
    settings.METRICS_ALLOWED_IPS = ["10.1.0.0/16"]
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.2.0.1").status_code == 404


# --- /metrics: the numbers -------------------------------------------------------------------------------------


def test_metrics_values_follow_the_data(client, settings, tmp_path):
    settings.STATE_DIR = str(tmp_path)
    # A queue of its own: on a real broker (CI) the default queue may hold other runs' messages.
    settings.CELERY_TASK_DEFAULT_QUEUE = f"metrics-test-{tmp_path.name}"
    (tmp_path / "restarts.log").write_text(
        "1765000000 worker 1\n1765000060 worker 1\n1765000200 beat 137\n1765000300 worker 2\n"
    )
    with time_machine.travel(DEMO_NOW, tick=False) as clock:
        now = timezone.now()
        outbox.enqueue("core.tasks.ping", 1, countdown=60)  # pending (due later)
        clock.shift(timedelta(seconds=30))
        outbox.enqueue("core.tasks.ping", 2, countdown=60)
        OutboxMessage.objects.create(task="core.tasks.ping", args=[3], available_at=now, sent_at=now)  # sent
        archive = {"report_type": "monthly_bulletin", "params_key": "k", "title": "t"}
        ReportArchive.objects.create(**archive, status=ArchiveStatus.QUEUED)
        ReportArchive.objects.create(**archive, status=ArchiveStatus.FAILED)
        ReportArchive.objects.create(  # heartbeat 2 minutes old: stuck (REPORT_STALE_SECONDS 60)
            **archive,
            status=ArchiveStatus.RUNNING,
            started_at=now - timedelta(minutes=5),
            heartbeat_at=now - timedelta(minutes=2),
        )
        ReportArchive.objects.create(  # beating
            **archive, status=ArchiveStatus.RUNNING, started_at=now - timedelta(minutes=5), heartbeat_at=timezone.now()
        )
        ReportArchive.objects.create(
            **archive, status=ArchiveStatus.DONE, started_at=now, finished_at=now + timedelta(seconds=12)
        )
        ReportArchive.objects.create(
            **archive, status=ArchiveStatus.DONE, started_at=now, finished_at=now + timedelta(seconds=45)
        )
        clock.shift(timedelta(seconds=60))
        samples = scrape(client)

    assert value(samples, "jingpin_outbox_pending") == 2
    assert value(samples, "jingpin_outbox_oldest_pending_seconds") == 90
    assert value(samples, "jingpin_celery_queue_length", queue=settings.CELERY_TASK_DEFAULT_QUEUE) == 0
    assert value(samples, "jingpin_broker_up") == 1
    for status, count in {"queued": 1, "running": 2, "done": 2, "failed": 1}.items():
        assert value(samples, "jingpin_report_runs", status=status) == count
    assert value(samples, "jingpin_report_runs_stuck") == 1
    duration = "jingpin_report_duration_seconds"
    assert value(samples, f"{duration}_count", report_type="monthly_bulletin") == 2
    assert value(samples, f"{duration}_sum", report_type="monthly_bulletin") == 57
    assert value(samples, f"{duration}_bucket", report_type="monthly_bulletin", le="10.0") == 0
    assert value(samples, f"{duration}_bucket", report_type="monthly_bulletin", le="20.0") == 1
    assert value(samples, f"{duration}_bucket", report_type="monthly_bulletin", le="60.0") == 2
    assert value(samples, "jingpin_worker_restarts_total", process="worker") == 3
    assert value(samples, "jingpin_worker_restarts_total", process="beat") == 1


def test_no_restart_file_is_zero_restarts(client, settings, tmp_path):
    settings.STATE_DIR = str(tmp_path / "never-written")
    samples = scrape(client)
    assert value(samples, "jingpin_worker_restarts_total", process="worker") == 0
    assert (
        value(samples, "jingpin_outbox_pending") == 0 and value(samples, "jingpin_outbox_oldest_pending_seconds") == 0
    )


def test_cache_failures_and_request_metrics_are_counted(client):
    before = value(scrape(client), "jingpin_cache_failures_total")
    core_cache._failed("get", ConnectionError("refused"))
    core_cache.reset()
    assert client.get("/no-such-page/").status_code == 404
    samples = scrape(client)
    assert value(samples, "jingpin_cache_failures_total") == before + 1
    by_status = [k for k in samples if k[0] == "django_http_responses_total_by_status_view_method_total"]
    assert any(dict(labels).get("status") == "404" for _, labels in by_status)


def test_queue_length_is_read_from_a_redis_broker(client, settings):
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        pytest.skip("needs the Redis broker (CI sets CELERY_BROKER_URL)")
    import uuid

    import redis

    queue = f"metrics-test-{uuid.uuid4().hex}"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = url
    settings.CELERY_TASK_DEFAULT_QUEUE = queue
    r = redis.Redis.from_url(url)
    try:
        r.rpush(queue, "a", "b", "c")
        assert value(scrape(client), "jingpin_celery_queue_length", queue=queue) == 3
    finally:
        r.delete(queue)


def test_alert_rules_parse_and_name_only_metrics_that_exist(client):
    rules = yaml.safe_load((ROOT / "docs" / "alerts.yml").read_text(encoding="utf-8"))
    alerts = {rule["alert"]: rule for group in rules["groups"] for rule in group["rules"]}
    # The brief's list: 5xx > 1 % for 5 min, outbox > 50 for 5 min, oldest outbox > 10 min, queue depth, stuck
    # report, worker restarts > 3 in 15 min.
    assert {"JingpinHigh5xxRate", "JingpinOutboxBacklog", "JingpinOutboxStale", "JingpinQueueDepth"} <= set(alerts)
    assert {"JingpinReportStuck", "JingpinWorkerRestartLoop"} <= set(alerts)
    assert "> 0.01" in alerts["JingpinHigh5xxRate"]["expr"] and alerts["JingpinHigh5xxRate"]["for"] == "5m"
    assert "> 50" in alerts["JingpinOutboxBacklog"]["expr"] and alerts["JingpinOutboxBacklog"]["for"] == "5m"
    assert "> 600" in alerts["JingpinOutboxStale"]["expr"]
    assert "[15m]) > 3" in alerts["JingpinWorkerRestartLoop"]["expr"]
    # One truth: the 运行状态 page's crash loop (at least CRASH_LOOP_RESTARTS in CRASH_LOOP_SECONDS) is the alert's rule.
    window, more_than = re.search(r"\[(\d+)m\]\) > (\d+)", alerts["JingpinWorkerRestartLoop"]["expr"]).groups()
    source = (ROOT / "config" / "settings.py").read_text(encoding="utf-8")
    default = {
        k: int(re.search(rf'envint\("{k}", (\d+)\)', source).group(1))
        for k in ("CRASH_LOOP_RESTARTS", "CRASH_LOOP_SECONDS")
    }
    assert default == {"CRASH_LOOP_RESTARTS": int(more_than) + 1, "CRASH_LOOP_SECONDS": int(window) * 60}
    for rule in alerts.values():
        assert rule["labels"]["severity"] in ("page", "warning") and rule["annotations"]["summary"]
    client.get("/no-such-page/")  # at least one response counted
    exposed = {name for name, _ in scrape(client)}
    for rule in alerts.values():
        for metric in re.findall(r"\b(?:jingpin|django)_[a-z0-9_]+", rule["expr"]):
            assert metric in exposed, f"{rule['alert']}: {metric} is not on /metrics"


# --- Request ids in the logs and in the tasks ------------------------------------------------------------------


@pytest.fixture
def json_log():
    """The production log format (LOG_FORMAT=json: core.observability's formatter and filter) captured."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(observability.json_formatter())
    handler.addFilter(observability.RequestIdFilter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(old_level)


def test_a_request_log_line_in_json_has_the_given_request_id(client, json_log):
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-4711")
    assert response.status_code == 404 and response["X-Request-ID"] == "req-4711"
    lines = [line for line in json_log() if line["logger"] == "django.request"]
    assert lines and lines[0]["request_id"] == "req-4711" and lines[0]["level"] == "WARNING"
    assert "Not Found" in lines[0]["message"]


def test_a_request_without_or_with_an_unsafe_id_gets_a_new_one(client):
    made = client.get("/no-such-page/")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    replaced = client.get("/no-such-page/", HTTP_X_REQUEST_ID='x" injected\\n')["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", replaced) and replaced != made
    assert observability.current_request_id() is None  # nothing leaks past the request


@pytest.mark.urls("tests.core.observability_urls")
def test_a_task_queued_in_a_request_logs_the_same_request_id(client, json_log, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get("/test-queue-task/", HTTP_X_REQUEST_ID="req-task-1").status_code == 200
    message = OutboxMessage.objects.get(task="tests.core.test_observability.log_in_task")
    assert message.request_id == "req-task-1" and message.sent_at is not None
    by_logger = {line["logger"]: line for line in json_log()}
    assert by_logger["jingpin.test"]["request_id"] == "req-task-1"
    assert by_logger["jingpin.test.task"]["message"] == "task ran: from the request"
    assert by_logger["jingpin.test.task"]["request_id"] == "req-task-1"
    assert observability.current_request_id() is None


def test_a_message_sent_later_by_the_dispatcher_carries_the_request_id_in_its_headers(monkeypatch):
    from config.celery import app
    from tests.conftest import set_eager

    sent = []
    monkeypatch.setattr(app, "send_task", lambda name, **options: sent.append((name, options)))
    token = observability._current.set("req-later")
    try:
        message = outbox.enqueue("core.tasks.ping", 5, countdown=60)
    finally:
        observability._current.reset(token)
    OutboxMessage.objects.filter(pk=message.pk).update(available_at=timezone.now())
    set_eager(False)
    try:
        assert outbox.dispatch_pending() == 1
    finally:
        set_eager(True)
    assert sent[0][1]["headers"] == {"request_id": "req-later"}


def test_log_format_json_setting_prints_one_json_object_per_line():
    code = (
        "import django, logging; django.setup();"
        "from core.observability import _current; _current.set('req-json');"
        "logging.getLogger('jingpin.check').warning('审核 %s', 1)"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SENTRY_DSN")}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", LOG_FORMAT="json")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    line = json.loads(done.stderr.strip().splitlines()[-1])
    assert line["message"] == "审核 1" and line["request_id"] == "req-json" and line["level"] == "WARNING"
    assert line["logger"] == "jingpin.check" and line["time"]


# --- Sentry ----------------------------------------------------------------------------------------------------


@pytest.fixture
def sentry_calls(monkeypatch):
    import sentry_sdk

    calls = []
    monkeypatch.setattr(sentry_sdk, "init", lambda **options: calls.append(options))  # no network, no global hooks
    return calls


def test_sentry_is_not_initialised_without_a_dsn(settings, sentry_calls):
    settings.SENTRY_DSN = ""
    assert observability.setup_sentry() is False
    assert sentry_calls == []


def test_sentry_is_initialised_with_a_dsn_and_sends_no_personal_data(settings, sentry_calls):
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    settings.SENTRY_DSN = "https://key@sentry.example.invalid/3"
    assert observability.setup_sentry() is True
    (options,) = sentry_calls
    assert options["dsn"] == "https://key@sentry.example.invalid/3"
    assert {type(i) for i in options["integrations"]} == {DjangoIntegration, CeleryIntegration}
    collection = options["data_collection"]
    assert collection["user_info"] is False and collection["http_bodies"] == []
    assert collection["cookies"] == {"mode": "off"} and collection["stack_frame_variables"] is False
    assert collection["http_headers"] == {"request": {"mode": "off"}} and collection["database_query_data"] is False


# --- Worker restarts: scripts/serve-production records them, /metrics counts them --------------------------------


def test_serve_production_records_each_crash_restart_for_metrics(client, settings, tmp_path):
    crashing = tmp_path / "crashing-python"
    crashing.write_text("#!/bin/sh\nexit 3\n")  # stands in for `python -m celery … worker` that dies at once
    crashing.chmod(0o755)
    state = tmp_path / "state"
    env = {**os.environ, "PYTHON": str(crashing), "STATE_DIR": str(state), "SUPERVISE_MAX_DELAY": "1"}
    supervisor = subprocess.Popen(
        [str(ROOT / "scripts" / "serve-production"), "worker"], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True
    )
    log_file = state / "restarts.log"
    try:
        for _ in range(200):  # until two restarts are recorded (each after a 1 s back-off); bounded
            if log_file.exists() and len(log_file.read_text().splitlines()) >= 2:
                break
            try:
                supervisor.wait(timeout=0.1)
            except subprocess.TimeoutExpired:
                continue
            break
    finally:
        supervisor.terminate()
        supervisor.communicate(timeout=30)
    lines = log_file.read_text().splitlines()
    assert len(lines) >= 2 and all(line.split()[1:] == ["worker", "3"] for line in lines)
    settings.STATE_DIR = str(state)
    assert value(scrape(client), "jingpin_worker_restarts_total", process="worker") == len(lines)
