"""The demo (seed_demo, run at DEMO_NOW) records nothing as created, submitted, sent or decided after its "now":
every date-time of the project's tables is at or before it (deadlines and expiries excepted, they may lie ahead).
The same holds for ``seed_demo --today`` an earlier day while the real clock stands later (issue 26)."""

import datetime as dt
import io

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models
from django.utils import timezone

from tests.conftest import DEMO_NOW, at

FORWARD_LOOKING = ("deadline", "expires", "expiry", "due", "until", "valid_to", "scheduled", "next_", "locked_until")


def _timestamp_fields():
    base = str(settings.BASE_DIR)
    for model in apps.get_models():
        path = apps.get_app_config(model._meta.app_label).path
        if not path.startswith(base) or "/.venv/" in path:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.DateTimeField) and not any(w in field.name for w in FORWARD_LOOKING):
                yield model, field


@pytest.mark.parametrize("now", [DEMO_NOW, at(2024, 12, 2, 9)], ids=["demo-now", "early-december"])
def test_the_demo_has_no_timestamp_after_its_now(db, now):
    # rows the migrations wrote (reference data) were stamped at the real time the test database was built
    before = {model: set(model._default_manager.values_list("pk", flat=True)) for model, _ in _timestamp_fields()}
    # the clock stands still while the demo is seeded: whatever is stamped "now" is exactly `now`
    with time_machine.travel(now, tick=False):
        call_command("seed_demo", stdout=io.StringIO())
    future = []
    for model, field in _timestamp_fields():
        later = model._default_manager.filter(**{f"{field.name}__gt": now}).exclude(pk__in=before[model])
        n = later.count()
        if n:
            latest = later.order_by(f"-{field.name}").values_list(field.name, flat=True).first()
            future.append(f"{model._meta.label}.{field.name}: {n} (latest {latest:%Y-%m-%d %H:%M})")
    assert not future, "\n".join(future)


def _stamped_after(moment, before):
    future = []
    for model, field in _timestamp_fields():
        later = model._default_manager.filter(**{f"{field.name}__gte": moment}).exclude(pk__in=before[model])
        n = later.count()
        if n:
            latest = later.order_by(f"-{field.name}").values_list(field.name, flat=True).first()
            future.append(f"{model._meta.label}.{field.name}: {n} (latest {latest:%Y-%m-%d %H:%M})")
    return future


def test_seed_demo_today_an_earlier_day_runs_through_and_stamps_nothing_after_that_day(db):
    # the real clock is months later and ticks; --today names a past day (it used to fail on the inspections
    # demo's "new deadline later than today" check and stamp created_at … with the real time)
    real_now = at(2026, 12, 7, 15)
    day = dt.date(2025, 6, 15)
    end_of_day = at(2025, 6, 16, 0)
    before = {model: set(model._default_manager.values_list("pk", flat=True)) for model, _ in _timestamp_fields()}
    with time_machine.travel(real_now, tick=True):
        out = io.StringIO()
        call_command("seed_demo", today=day.isoformat(), stdout=out)
        assert "演示数据已就绪" in out.getvalue()
        assert timezone.now() >= real_now  # the clock is back to the real time afterwards
    future = _stamped_after(end_of_day, before)
    assert not future, "\n".join(future)
    # and the demo is that day's: what was stamped "now" carries that day
    assert any(
        model._default_manager.filter(**{f"{field.name}__date": day}).exclude(pk__in=before[model]).exists()
        for model, field in _timestamp_fields()
    )
