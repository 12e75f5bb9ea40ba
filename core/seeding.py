"""Reference data and demo data: each app may provide ``<app>/seed.py`` with

* ``seed_reference(out)`` — data every deployment needs (regions, rubric, award catalogue, templates);
* ``seed_demo(out)`` — the demo data set of the embedded mode.

Both must be idempotent. They run in APP_ORDER so later apps can rely on earlier ones.
"""

from __future__ import annotations

import importlib

from django.db import transaction

APP_ORDER = ["accounts", "projects", "evaluation", "awards", "assessment", "reports"]


def _modules():
    for app in APP_ORDER:
        try:
            yield importlib.import_module(f"{app}.seed")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.seed":
                raise


def run(kind: str, out) -> None:
    assert kind in ("seed_reference", "seed_demo")
    for module in _modules():
        func = getattr(module, kind, None)
        if func is not None:
            with transaction.atomic():
                func(out)
