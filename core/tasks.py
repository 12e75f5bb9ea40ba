from celery import shared_task
from django.core.management import call_command

from core.outbox import dispatch_pending, purge_sent


@shared_task
def ping(value: int) -> dict:
    """Round-trip check used by /healthz tests and the real-worker test: returns what it was given."""
    return {"pong": value, "double": value * 2}


@shared_task
def clear_expired_sessions() -> None:
    call_command("clearsessions")


@shared_task
def dispatch_outbox() -> int:
    """Beat (every OUTBOX_DISPATCH_SECONDS) and every worker start: deliver what the outbox still holds."""
    sent = dispatch_pending(ignore_backoff=True)
    purge_sent()
    return sent


@shared_task
def refresh_panels(labels: list[str] | None = None) -> int:
    """After a committed change: recompute the 驾驶舱 panels people look at that read these models."""
    from core.panel_cache import refresh

    return refresh(labels)


@shared_task
def refresh_panel(names: list[str], user_id: int, query: str = "") -> None:
    """Recompute one scope's panels: a request was served their older values (marked 更新中)."""
    from core.panel_cache import refresh_one

    refresh_one(names, user_id, query)
