"""Reference data and demo data: each app may provide ``<app>/seed.py`` with

* ``seed_reference(out)`` — data every deployment needs (regions, rubric, award catalogue, templates);
* ``seed_demo(out)`` — the demo data set of the embedded mode, built relative to ``demo_today()``;
* ``demo_summary(out)`` — optional, printed once the demo data is in (e.g. the demo accounts).

Both must be idempotent. They run in APP_ORDER so later apps can rely on earlier ones.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
from contextvars import ContextVar
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from config.apps import SEED_ORDER

APP_ORDER = SEED_ORDER  # config/apps.py: the one list of the apps (plain names, so core imports no app)

_today: ContextVar[dt.date | None] = ContextVar("demo_today", default=None)


def demo_today() -> dt.date:
    """The day the demo data is built around: ``seed_demo --today`` or else today (Asia/Shanghai)."""
    return _today.get() or timezone.localdate()


# The hour of a past demo day at which ``seed_demo --today`` runs (the demo tests' DEMO_NOW is 10:00 too).
DEMO_HOUR = 10


@contextlib.contextmanager
def clock_at(today: dt.date | None):
    """The clock of ``seed_demo --today``: on an earlier day it stands at DEMO_HOUR (Asia/Shanghai) of that day and
    ticks from there, so whatever the services and models stamp "now" (``auto_now``, ``timezone.now()``, their
    "later than today" checks) belongs to that day and not to the real time; on today nothing changes."""
    if today is None or today >= timezone.localdate():
        yield
        return
    import time_machine  # a runtime dependency for this alone (requirements.txt)

    start = dt.datetime.combine(today, dt.time(DEMO_HOUR), tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(start, tick=True):
        yield


def demo_years(today: dt.date | None = None) -> tuple[int, int]:
    """(previous year, current year) of the demo: the previous year is complete and published."""
    today = today or demo_today()
    return today.year - 1, today.year


def _modules():
    for app in APP_ORDER:
        try:
            yield importlib.import_module(f"{app}.seed")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.seed":
                raise


def summarise(out) -> None:
    """Each app's ``demo_summary(out)``, in APP_ORDER (core names no app: it looks the hooks up)."""
    for module in _modules():
        func = getattr(module, "demo_summary", None)
        if func is not None:
            func(out)


def run(kind: str, out, *, today: dt.date | None = None) -> None:
    assert kind in ("seed_reference", "seed_demo")
    token = _today.set(today)
    try:
        for module in _modules():
            func = getattr(module, kind, None)
            if func is not None:
                with transaction.atomic():
                    func(out)
    finally:
        _today.reset(token)
