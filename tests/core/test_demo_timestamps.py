"""The demo (seed_demo, run at DEMO_NOW) records nothing as created, submitted, sent or decided after its "now":
every date-time of the project's tables is at or before it (deadlines and expiries excepted, they may lie ahead)."""

import io

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models

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
