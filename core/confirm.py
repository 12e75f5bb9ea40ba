"""Confirmation after validation for irreversible actions (issue 26).

An action the server validates (an expert's score sheet, 退回, 销号 …) is posted in two steps:

1. the first POST runs the action as a *rehearsal* — inside a savepoint that is always rolled back — so every
   rule of the service is checked and nothing is written (outbox rows, audit entries and ``on_commit`` work roll
   back with it). Invalid → the view re-renders its form with the errors as before. Valid → the view re-renders
   the page with ``confirmation(...)`` in its context: ``base.html`` shows a 请确认 section that repeats the posted
   fields as hidden inputs plus ``confirmed=1`` (static/js/confirm.js opens it as the modal at once; without
   JavaScript it is a plain section with 确认 and 返回修改);
2. only the POST carrying ``confirmed=1`` performs the action, and the view redirects as before.

Actions with uploaded files cannot be rehearsed this way (a file is not re-posted from a hidden field); they keep
the client-side ``data-confirm``. The list of every irreversible action is ``core.irreversible``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.models import QuerySet

CONFIRMED_FIELD = "confirmed"
_NOT_REPOSTED = {"csrfmiddlewaretoken", CONFIRMED_FIELD}


def is_confirmed(request) -> bool:
    return request.POST.get(CONFIRMED_FIELD) == "1"


class _Rehearsed(Exception):
    """Raised at the end of a successful rehearsal to roll its savepoint back."""


@contextmanager
def rehearsal(confirmed: bool) -> Iterator[None]:
    """Run the block for real when ``confirmed``; otherwise run it and roll everything it wrote back.

    A ``ValidationError`` (or any other error) raised by the block propagates either way, so the caller handles
    errors exactly as it did before there was a confirmation step.
    """
    if confirmed:
        yield
        return
    try:
        with transaction.atomic():
            yield
            raise _Rehearsed
    except _Rehearsed:
        pass


def confirmation(request, text: str, *, summary: Iterable[str] = (), ok: str = "确认", back: str = "") -> dict:
    """Context for the 请确认 step: ``text`` says what will happen, ``summary`` lists what was entered.

    ``back`` is where 返回修改 leads: an anchor of the form on the re-rendered page, which holds what the user typed
    (the POST url itself is no page to go back to).
    """
    fields = [
        (name, value) for name in request.POST if name not in _NOT_REPOSTED for value in request.POST.getlist(name)
    ]
    return {
        "confirm_step": {
            "text": text,
            "summary": [line for line in summary if line],
            "fields": fields,
            "action": request.get_full_path(),
            "ok": ok,
            "back": back or "#",
        }
    }


def form_summary(form) -> list[str]:
    """「label：value」 for every filled field of a valid form — what the confirmation repeats back."""
    lines = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "", [], ()):
            continue
        choices = dict(getattr(field, "choices", None) or []) if not hasattr(field, "queryset") else {}
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif isinstance(value, bool):
            value = "是" if value else "否"
        elif isinstance(value, (list, tuple, QuerySet)):
            value = "、".join(str(choices.get(v, v)) for v in value)
        elif value in choices:
            value = choices[value]
        lines.append(f"{field.label}：{value}")
    return lines
