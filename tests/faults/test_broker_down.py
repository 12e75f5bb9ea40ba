"""Redis down: what the users committed answers 2xx at once; the jobs wait in the outbox and run once it is back.

A gunicorn web server and a Celery worker reach Redis through a FaultProxy; the test cuts it for the outage.
"""

from __future__ import annotations

import json
import time
import urllib.request

import pytest

from accounts.security import issue_token
from assessment.choices import Status
from assessment.models import Submission
from core.models import OutboxMessage
from notifications.models import Notification
from reports.choices import ArchiveStatus
from reports.models import ReportArchive
from tests.assessment.factories import approved, submitted, target
from tests.conftest import OUTPUT_DIR
from tests.factories import UserFactory
from tests.faults.conftest import free_port, redis_address, redis_db, wait_until
from tests.faults.proxy import FaultProxy

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def post(url: str, token: str, payload: dict | None = None) -> tuple[int, dict, float]:
    request = urllib.request.Request(
        url,
        data=json.dumps(payload or {}).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        method="POST",
    )
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}"), time.monotonic() - started
    except urllib.error.HTTPError as exc:
        return exc.code, {"body": exc.read().decode(errors="replace")[:500]}, time.monotonic() - started


def test_redis_down_while_a_month_is_published_and_a_report_requested(
    fault_env, processes, tmp_path, county, county_user, city_admin, monkeypatch
):
    monkeypatch.setattr("core.outbox._deliver_after_commit", lambda message_id: None)
    target(county, 2023)
    to_publish = approved(county, county_user, city_admin, month=6)
    to_return = submitted(county, county_user, month=7)
    OutboxMessage.objects.all().delete()  # the set-up's own notices are not part of the drill
    _, token = issue_token(city_admin, "故障演练")
    UserFactory(role="county_staff", region=county, username="second_staff")  # two people to notify

    with FaultProxy(redis_address()) as proxy:
        broker = f"redis://127.0.0.1:{proxy.port}{redis_db()}"
        env = {**fault_env, "CELERY_BROKER_URL": broker, "CELERY_RESULT_BACKEND": broker}
        port = free_port()
        processes.web(env, port)
        processes.worker(env)
        base = f"http://127.0.0.1:{port}/api/v1"
        for _ in range(6):  # both gunicorn workers warmed up (imports, first connection) before the outage
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=30).read()

        proxy.cut()  # Redis down
        outage_started = time.monotonic()
        answers = {
            "publish": post(f"{base}/assessment/submissions/{to_publish.pk}/publish/", token),
            "return": post(
                f"{base}/assessment/submissions/{to_return.pk}/return/", token, {"general": "请补充佐证材料。"}
            ),
            "report": post(f"{base}/reports/", token, {"report_type": "monthly_bulletin", "year": 2023, "month": 6}),
        }
        for name, (code, body, _) in answers.items():
            assert 200 <= code < 300, (name, code, body)
        assert Submission.objects.get(pk=to_publish.pk).status == Status.PUBLISHED
        assert Submission.objects.get(pk=to_return.pk).status == Status.RETURNED
        archive = ReportArchive.objects.get()
        assert archive.status == ArchiveStatus.QUEUED
        assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 3  # both notices and the report job
        assert not Notification.objects.exists()

        time.sleep(max(0.0, 60 - (time.monotonic() - outage_started)) if _long_outage() else 5)
        proxy.resume()  # Redis back: the worker reconnects, beat's dispatcher delivers the outbox
        processes.beat(env, tmp_path)
        wait_until(
            lambda: (
                Notification.objects.count() == 4
                and ReportArchive.objects.filter(status=ArchiveStatus.DONE).count() == 1
            ),
            180,
            1,
            "notices delivered and the report built after Redis came back",
        )
        time.sleep(3 * int(fault_env["OUTBOX_DISPATCH_SECONDS"]))  # a few more dispatcher rounds: nothing twice
    events = sorted(Notification.objects.values_list("recipient__username", "title"))
    assert len(events) == 4 and len(set(events)) == 4, events  # two staff × (returned, published), once each
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
    (OUTPUT_DIR / "fault-broker-down.json").write_text(
        json.dumps({name: {"status": code, "seconds": round(s, 3)} for name, (code, _, s) in answers.items()})
    )


def _long_outage() -> bool:
    import os

    return os.environ.get("FAULT_LONG_OUTAGE") == "1"
