"""The transactional outbox (see core.models.OutboxMessage).

``enqueue(task_name, *args)`` writes the row in the caller's transaction and, once that transaction commits,
tries to publish it right away. Publishing never raises into the caller and never waits long: the broker has
short connect/socket timeouts and publishing does not retry (``retry=False``). What could not be published stays
pending for ``dispatch_pending()``, which beat runs every ``OUTBOX_DISPATCH_SECONDS`` and every worker runs when
it starts.

In embedded mode (no broker, Celery eager) the task runs in-process after the commit, as before.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from importlib import import_module

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.models import OutboxMessage
from core.observability import TASK_HEADER, current_request_id

log = logging.getLogger(__name__)

LOCK_FOR = timedelta(seconds=30)
MAX_BACKOFF = timedelta(minutes=5)


def enqueue(task: str, *args, countdown: int = 0, **kwargs) -> OutboxMessage:
    """Record a task to send after the current transaction commits (or now, in autocommit)."""
    message = OutboxMessage.objects.create(
        task=task,
        args=list(args),
        kwargs=kwargs,
        available_at=timezone.now() + timedelta(seconds=countdown),
        request_id=current_request_id() or "",
    )
    if countdown <= 0:
        message_id = message.pk
        transaction.on_commit(lambda: _deliver_after_commit(message_id))
    return message


def _deliver_after_commit(message_id: int) -> None:
    try:
        deliver(message_id)
    except Exception:  # noqa: BLE001 - the committed change stands; the dispatcher will try again
        log.exception("outbox message %s: delivery after commit failed; left for the dispatcher", message_id)


def _claim(message_id: int) -> OutboxMessage | None:
    now = timezone.now()
    claimed = (
        OutboxMessage.objects.filter(pk=message_id, sent_at__isnull=True, available_at__lte=now)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .update(locked_until=now + LOCK_FOR)
    )
    return OutboxMessage.objects.get(pk=message_id) if claimed else None


SENT, SKIPPED, FAILED = "sent", "skipped", "failed"


def deliver(message_id: int) -> str:
    """Publish one pending message unless another process is on it: 'sent', 'skipped' or 'failed'."""
    message = _claim(message_id)
    if message is None:
        return SKIPPED
    from config.celery import app

    try:
        if app.conf.task_always_eager:
            import_module(message.task.rpartition(".")[0])  # registers the task (a shell or command may not have)
            # Mark it sent first: the eager task runs here and may itself enqueue (and deliver) more messages.
            _mark_sent(message)
            result = app.tasks[message.task].apply(
                args=message.args, kwargs=message.kwargs, throw=False, headers=_headers(message)
            )
            if result.failed():
                log.warning("outbox message %s (%s): eager run failed: %r", message.pk, message.task, result.result)
            return SENT
        app.send_task(
            message.task,
            args=message.args,
            kwargs=message.kwargs,
            retry=False,
            ignore_result=True,
            **({"headers": _headers(message)} if message.request_id else {}),
        )
    except Exception as exc:  # noqa: BLE001 - broker down or unreachable: try again later
        _mark_failed(message, exc)
        return FAILED
    _mark_sent(message)
    return SENT


def _headers(message: OutboxMessage) -> dict:
    """The request id of the request that wrote the message travels with the task (core.observability)."""
    return {TASK_HEADER: message.request_id} if message.request_id else {}


def _mark_sent(message: OutboxMessage) -> None:
    OutboxMessage.objects.filter(pk=message.pk).update(
        sent_at=timezone.now(), locked_until=None, attempts=message.attempts + 1
    )


def _mark_failed(message: OutboxMessage, exc: Exception) -> None:
    attempts = message.attempts + 1
    backoff = min(timedelta(seconds=5 * 2 ** min(attempts - 1, 10)), MAX_BACKOFF)
    log.warning("outbox message %s (%s): broker unavailable (%s); retry in %s", message.pk, message.task, exc, backoff)
    OutboxMessage.objects.filter(pk=message.pk).update(
        attempts=attempts,
        last_error=f"{type(exc).__name__}: {exc}"[:2000],
        available_at=timezone.now() + backoff,
        locked_until=None,
    )


def pending():
    return OutboxMessage.objects.filter(sent_at__isnull=True)


def backlog() -> tuple[int, int]:
    """Work committed but not yet handed to the broker: how many messages and the oldest one's age in seconds (0
    when none) — what /healthz and /metrics report."""
    oldest = pending().order_by("created_at").values_list("created_at", flat=True).first()
    return pending().count(), int((timezone.now() - oldest).total_seconds()) if oldest else 0


def dispatch_pending(limit: int = 500, *, ignore_backoff: bool = False) -> int:
    """Deliver what is due (all pending when ``ignore_backoff``: the broker has just been seen up).

    Stops at the first failure: the broker is down, the rest waits for the next round. Returns how many were sent.
    """
    now = timezone.now()
    due = pending()
    if not ignore_backoff:
        due = due.filter(available_at__lte=now)
    else:
        due.filter(available_at__gt=now).update(available_at=now)
    sent = 0
    for message_id in due.order_by("pk").values_list("pk", flat=True)[:limit]:
        outcome = deliver(message_id)
        if outcome == SENT:
            sent += 1
        elif outcome == FAILED:
            break  # the broker is down: the rest waits for the next round
    return sent


def purge_sent(older_than: timedelta = timedelta(days=7)) -> int:
    """Housekeeping: delivered messages older than a week are deleted."""
    deleted, _ = OutboxMessage.objects.filter(sent_at__lt=timezone.now() - older_than).delete()
    return deleted
