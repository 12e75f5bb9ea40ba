"""Every phone field of every form is an ``<input type="tel">`` (the phone keypad on a phone)."""

import importlib
import pkgutil
import re
import sys

from django import forms
from django.apps import apps
from django.conf import settings

PHONE_NAME = re.compile(r"phone|mobile|(^|_)tel($|_)|电话")


def _ours(module_name: str) -> bool:
    path = str(getattr(sys.modules.get(module_name), "__file__", "") or "")
    return path.startswith(str(settings.BASE_DIR)) and "/.venv/" not in path and "/tests/" not in path


def _project_forms():
    """Every form class of the project's apps (their forms/filters/views modules imported first)."""
    for config in apps.get_app_configs():
        if not _ours(config.module.__name__):
            continue
        for module in pkgutil.iter_modules([config.path]):
            if module.name in {"forms", "filters", "views"}:
                importlib.import_module(f"{config.name}.{module.name}")
    seen, stack = set(), [forms.BaseForm]
    while stack:
        for sub in stack.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
    return [c for c in seen if _ours(c.__module__)]


def _phone_fields():
    for form in _project_forms():
        for name, field in getattr(form, "base_fields", {}).items():
            if PHONE_NAME.search(name) or PHONE_NAME.search(str(field.label or "")):
                yield form, name, field


def test_the_scan_finds_the_known_phone_fields():
    found = {(f.__name__, n) for f, n, _ in _phone_fields()}
    assert {("PublicComplaintForm", "phone"), ("StaffEntryForm", "phone"), ("UserForm", "phone")} <= found, found


def test_every_phone_field_renders_type_tel():
    wrong = [
        f"{form.__module__}.{form.__name__}.{name}: {type(field.widget).__name__}"
        for form, name, field in _phone_fields()
        if getattr(field.widget, "input_type", None) != "tel"
    ]
    assert not wrong, wrong


def test_the_phone_widget_renders_the_phone_keypad_attributes():
    from complaints.forms import PublicComplaintForm

    rendered = str(PublicComplaintForm.base_fields["phone"].widget.render("phone", ""))
    assert 'type="tel"' in rendered and 'inputmode="tel"' in rendered and 'autocomplete="tel"' in rendered
