"""Request ids in every log line, JSON logs, the Celery hand-over of the id, and Sentry (README, "Observability").

* When a request starts (Django's request_started signal) its id is the caller's ``X-Request-ID`` (a proxy's or a
  client's, when it is a plain token of at most 128 characters) or a new one, kept in a context variable until the
  request finishes; ``RequestIdMiddleware`` returns it on the response.
* ``RequestIdFilter`` (on the console handler, settings.LOGGING) writes it into every log record as
  ``request_id`` ("-" outside a request or task); ``LOG_FORMAT=json`` prints each record as one JSON object.
* A task sent while a request id is current carries it in the message headers (``request_id``; the outbox stores
  it with the row, so a message delivered later by the dispatcher still has it); the worker makes it current while
  the task runs, so the task's log lines show the id of the request that asked for the work.
* ``setup_sentry()`` initialises sentry-sdk (Django and Celery integrations) only when ``SENTRY_DSN`` is set, and
  sends no personal data (``NO_PERSONAL_DATA``): no user, IP addresses, cookies, headers, bodies or local variables.
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid

from django.conf import settings

HEADER = "X-Request-ID"
TASK_HEADER = "request_id"
_VALID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("jingpin_request_id", default=None)


def current_request_id() -> str | None:
    return _current.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


def clean_request_id(value: str | None) -> str | None:
    """The caller's id when it is safe to log and echo (no spaces, quotes or line breaks), else None."""
    value = (value or "").strip()
    return value if _VALID.match(value) else None


def _on_request_started(sender=None, environ=None, **kwargs):
    """The id is current from the very start of the request (WSGI): Django's own "Not Found"/"Internal Server
    Error" lines (django.request), written after the middleware returned, carry it too."""
    header = (environ or {}).get("HTTP_X_REQUEST_ID")
    _current.set(clean_request_id(header) or new_request_id())


def _on_request_finished(sender=None, **kwargs):
    _current.set(None)


def connect_request_signals() -> None:
    from django.core.signals import request_finished, request_started

    request_started.connect(_on_request_started, dispatch_uid="jingpin-request-id-start")
    request_finished.connect(_on_request_finished, dispatch_uid="jingpin-request-id-finish")


class RequestIdMiddleware:
    """Puts the request's id on ``request.request_id`` and the response; makes one when the request_started
    signal did not (an ASGI server)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = _current.get()
        token = None
        if request_id is None:
            request_id = clean_request_id(request.headers.get(HEADER)) or new_request_id()
            token = _current.set(request_id)
        request.request_id = request_id
        try:
            response = self.get_response(request)
        finally:
            if token is not None:
                _current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds ``record.request_id`` (the current request's or task's id, "-" when there is none)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _current.get() or "-"
        return True


def json_formatter(**kwargs):
    """The JSON formatter of ``LOG_FORMAT=json`` (python-json-logger): one object per line."""
    from pythonjsonlogger.json import JsonFormatter

    return JsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(process)d",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger", "process": "pid"},
        json_ensure_ascii=False,
        **kwargs,
    )


# --- Celery: the id travels with the task ---------------------------------------------------------------------


def task_headers() -> dict:
    """Headers for a task sent now (empty outside a request)."""
    request_id = _current.get()
    return {TASK_HEADER: request_id} if request_id else {}


def _on_before_publish(sender=None, headers=None, **kwargs):
    if headers is not None and not headers.get(TASK_HEADER):
        request_id = _current.get()
        if request_id:
            headers[TASK_HEADER] = request_id


_task_tokens: dict[str, list[contextvars.Token]] = {}


def _header_of(task) -> str | None:
    request = getattr(task, "request", None)
    if request is None:
        return None
    value = getattr(request, TASK_HEADER, None)  # protocol 2: custom headers become request attributes
    if not value and isinstance(getattr(request, "headers", None), dict):
        value = request.headers.get(TASK_HEADER)  # eager apply(headers=...)
    return clean_request_id(value)


def _on_task_prerun(task_id=None, task=None, **kwargs):
    request_id = _header_of(task)
    if request_id and task_id:
        _task_tokens.setdefault(task_id, []).append(_current.set(request_id))


def _on_task_postrun(task_id=None, **kwargs):
    tokens = _task_tokens.get(task_id)
    if tokens:
        token = tokens.pop()
        if not tokens:
            _task_tokens.pop(task_id, None)
        try:
            _current.reset(token)
        except ValueError:  # set in another context (should not happen): just clear it
            _current.set(None)


def _on_setup_logging(**kwargs):
    """The worker and beat use the project's logging (settings.LOGGING) instead of Celery's own format: the same
    JSON lines with the request id. (Connected, Celery configures no logging of its own.)"""
    import logging.config

    logging.config.dictConfig(settings.LOGGING)


def connect_celery_signals() -> None:
    from celery.signals import before_task_publish, setup_logging, task_postrun, task_prerun

    before_task_publish.connect(_on_before_publish, weak=False, dispatch_uid="jingpin-request-id-publish")
    task_prerun.connect(_on_task_prerun, weak=False, dispatch_uid="jingpin-request-id-prerun")
    task_postrun.connect(_on_task_postrun, weak=False, dispatch_uid="jingpin-request-id-postrun")
    setup_logging.connect(_on_setup_logging, weak=False, dispatch_uid="jingpin-logging")


# --- Sentry ---------------------------------------------------------------------------------------------------


NO_PERSONAL_DATA = {
    "user_info": False,
    "cookies": {"mode": "off"},
    "http_headers": {"request": {"mode": "off"}},
    "http_bodies": [],
    "url_query_params": {"mode": "off"},
    "database_query_data": False,
    "queues": False,
    "stack_frame_variables": False,
}


def setup_sentry() -> bool:
    """Initialise error reporting when ``SENTRY_DSN`` is set; True if it was."""
    dsn = settings.SENTRY_DSN
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=settings.SENTRY_ENVIRONMENT or settings.DJANGO_ENV,
        release=settings.SENTRY_RELEASE or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        # No personal data leaves the bureau (sentry-sdk 3's data_collection replaces send_default_pii=False): no
        # user, IP addresses, cookies, request headers or query strings, no form bodies (complaints hold names and
        # phone numbers), no SQL parameters, no task arguments, no local variables of stack frames.
        data_collection=NO_PERSONAL_DATA,
        traces_sample_rate=float(settings.SENTRY_TRACES_SAMPLE_RATE),
    )
    return True
