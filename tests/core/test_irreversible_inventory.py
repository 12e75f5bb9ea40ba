"""Issue 26 point 4: every POST of the web UI is classified as irreversible (asks for a confirmation) or reversible,
so a new action must be classified; every irreversible form asks — on the client (``data-confirm``) or, when the
server validates it first, on the server (``core.confirm``, and then not before validation on the client)."""

from __future__ import annotations

import re

import pytest
from django.template.loader import get_template
from django.urls import URLPattern, URLResolver, get_resolver

from core.irreversible import IRREVERSIBLE, REVERSIBLE, url_names

FORM = re.compile(r"<form\b.*?</form>", re.S)


def _post_url_names(patterns=None, namespace="", prefix=""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            route = prefix + str(p.pattern)
            if route.startswith(("api/", "admin/")):
                continue
            ns = ":".join(filter(None, [namespace, p.namespace]))
            yield from _post_url_names(p.url_patterns, ns, route)
        elif isinstance(p, URLPattern):
            view_class = getattr(p.callback, "view_class", None)
            allowed = getattr(p.callback, "http_method_names", None) or getattr(view_class, "http_method_names", [])
            if view_class is not None and hasattr(view_class, "post") and "post" in allowed:
                yield ":".join(filter(None, [namespace, p.name]))


def test_every_post_url_of_the_web_ui_is_classified():
    posts = set(_post_url_names())
    assert "inspections:notice-return" in posts and "logout" in posts  # the walk sees the app's POSTs
    classified = url_names(IRREVERSIBLE) | url_names(REVERSIBLE)
    assert not (set(IRREVERSIBLE) & set(REVERSIBLE))
    assert sorted(posts - classified) == [], "新的 POST 地址须在 core/irreversible.py 中归类（不可撤销或可撤销）"
    assert sorted(classified - posts) == [], "core/irreversible.py 列出了已不存在的地址"


def _forms(entry):
    source = get_template(entry.template).template.source
    return [block for block in FORM.findall(source) if entry.needle in block]


@pytest.mark.parametrize("key", sorted(IRREVERSIBLE))
def test_every_irreversible_form_asks_for_a_confirmation(key):
    entry = IRREVERSIBLE[key]
    forms = _forms(entry)
    if entry.elsewhere and not any("data-confirm" in form for form in forms):
        pytest.skip(entry.elsewhere)
    assert forms, f"{key}: no form with {entry.needle!r} in {entry.template}"
    for form in forms:
        if entry.server:  # asked after the server's validation (core.confirm), never before it
            assert "data-confirm" not in form, key
        else:
            assert "data-confirm=" in form, f"{key}（{entry.what}）: the form or its button lacks data-confirm"
