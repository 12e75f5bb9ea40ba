from celery import shared_task
from django.core.management import call_command


@shared_task
def ping(value: int) -> dict:
    """Round-trip check used by /healthz tests and the real-worker test: returns what it was given."""
    return {"pong": value, "double": value * 2}


@shared_task
def clear_expired_sessions() -> None:
    call_command("clearsessions")
