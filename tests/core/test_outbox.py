"""The transactional outbox: written with the change, sent after the commit, kept while the broker is down."""

from __future__ import annotations

import pytest
from django.db import transaction

from config.celery import app
from core import outbox
from core.models import OutboxMessage
from tests.conftest import set_eager

pytestmark = pytest.mark.django_db


class FlakyBroker:
    """send_task that fails while ``down`` (as kombu does when Redis refuses the connection)."""

    def __init__(self):
        self.down = True
        self.sent: list[tuple] = []

    def send_task(self, name, args=None, kwargs=None, **options):
        if self.down:
            raise ConnectionRefusedError(111, "Connection refused")
        self.sent.append((name, tuple(args or ()), options))


@pytest.fixture
def broker(monkeypatch):
    flaky = FlakyBroker()
    monkeypatch.setattr(app, "send_task", flaky.send_task)
    set_eager(False)
    yield flaky
    set_eager(True)


def test_a_message_is_sent_only_after_the_commit(broker, django_capture_on_commit_callbacks):
    broker.down = False
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            message = outbox.enqueue("core.tasks.ping", 7)
            assert broker.sent == []  # nothing leaves before the commit
    assert broker.sent == [("core.tasks.ping", (7,), {"retry": False, "ignore_result": True})]
    message.refresh_from_db()
    assert message.sent_at is not None and message.attempts == 1


def test_a_rolled_back_change_sends_nothing(broker, django_capture_on_commit_callbacks):
    broker.down = False
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            outbox.enqueue("core.tasks.ping", 7)
            raise RuntimeError("the change failed")
    assert broker.sent == [] and not OutboxMessage.objects.exists()


def test_broker_down_keeps_the_message_and_the_dispatcher_sends_it_once_later(
    broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.enqueue("core.tasks.ping", 1)  # the caller does not see the broker's error
    message.refresh_from_db()
    assert message.sent_at is None and message.attempts == 1 and "Connection refused" in message.last_error
    assert message.available_at > message.created_at  # backed off
    assert outbox.dispatch_pending() == 0  # still backing off
    broker.down = False
    assert outbox.dispatch_pending(ignore_backoff=True) == 1
    assert outbox.dispatch_pending(ignore_backoff=True) == 0
    assert [name for name, _, _ in broker.sent] == ["core.tasks.ping"]
    assert not outbox.pending().exists()


def test_the_dispatcher_stops_at_the_first_failure(broker):
    for i in range(3):
        outbox.enqueue("core.tasks.ping", i)  # inside the test's transaction: not delivered yet
    assert outbox.dispatch_pending() == 0
    # The first failed; the other two were not tried against a broker known to be down.
    assert list(OutboxMessage.objects.order_by("pk").values_list("attempts", flat=True)) == [1, 0, 0]


def test_a_message_locked_by_another_dispatcher_is_not_sent_twice(broker):
    from datetime import timedelta

    from django.utils import timezone

    broker.down = False
    message = OutboxMessage.objects.create(
        task="core.tasks.ping",
        args=[1],
        available_at=timezone.now(),
        locked_until=timezone.now() + timedelta(seconds=30),
    )
    assert outbox.deliver(message.pk) == outbox.SKIPPED and broker.sent == []


def test_eager_mode_runs_the_task_in_process_after_the_commit(django_capture_on_commit_callbacks):
    """The task's effect is there after the commit (not before): clear_expired_sessions removed the expired one."""
    import datetime as dt

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    now = timezone.now()
    Session.objects.create(session_key="expired" * 4, session_data="", expire_date=now - dt.timedelta(days=1))
    Session.objects.create(session_key="current" * 4, session_data="", expire_date=now + dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.enqueue("core.tasks.clear_expired_sessions")
        assert Session.objects.count() == 2  # nothing runs before the commit
    message.refresh_from_db()
    assert message.sent_at is not None
    assert list(Session.objects.values_list("session_key", flat=True)) == ["current" * 4]


def test_healthz_shows_the_outbox_backlog_to_the_monitor(client, broker, settings):
    settings.HEALTHZ_TOKEN = "monitor-token-123"
    outbox.enqueue("core.tasks.ping", 1)
    body = client.get("/healthz", HTTP_X_HEALTHZ_TOKEN="monitor-token-123").json()
    assert body["checks"]["outbox"]["pending"] == 1
