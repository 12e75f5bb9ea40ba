"""A Content-Security-Policy on every response: scripts only from this site or inline with the request's nonce;
every inline script in the templates carries the nonce, and no template has an inline event handler or a
``javascript:`` link (the policy would block them). The pages themselves run under it in
tests/browser/test_content_security_policy.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(p for p in ROOT.glob("*/templates/**/*.html") if ".venv" not in p.parts) + sorted(
    (ROOT / "templates").glob("**/*.html")
)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I)
HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I)


def header(response) -> dict[str, str]:
    value = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in value.split(";"))


def test_the_template_scan_sees_the_templates():
    assert len(TEMPLATES) > 100


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_inline_script_carries_the_nonce_and_no_handler_is_inline(path):
    text = path.read_text(encoding="utf-8")
    for attrs in SCRIPT_TAG.findall(text):
        if "src=" in attrs or 'type="application/json"' in attrs or "type='application/json'" in attrs:
            continue
        assert "nonce=" in attrs and ("request.csp_nonce" in attrs), f"{path.name}: <script{attrs}> has no nonce"
    assert not HANDLER.search(text), f"{path.name}: inline event handler {HANDLER.search(text).group(0)!r}"
    assert "javascript:" not in text.lower(), f"{path.name}: javascript: link"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/login/", "/disclosure/", "/complaints/new/", "/healthz", "/api/v1/public/projects/"])
def test_every_response_has_the_policy(client, url):
    policy = header(client.get(url))
    assert policy["default-src"] == "'self'"
    assert re.fullmatch(r"'self' 'nonce-[A-Za-z0-9_-]{22}'", policy["script-src"])
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert "unsafe-inline" not in policy["script-src"] and "unsafe-eval" not in policy["script-src"]


@pytest.mark.django_db
def test_the_nonce_is_fresh_per_request_and_the_page_uses_it(client):
    first, second = client.get(reverse("complaints:public-new")), client.get(reverse("complaints:public-new"))
    nonces = [re.search(r"'nonce-([^']+)'", r["Content-Security-Policy"]).group(1) for r in (first, second)]
    assert nonces[0] != nonces[1]
    assert f'<script nonce="{nonces[0]}">' in first.content.decode()


@pytest.mark.django_db
def test_error_pages_without_the_navigation_carry_the_nonce_too(client, settings):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    body = response.content.decode()
    assert "javascript:" not in body and "data-history-back" in body
    assert all(f'nonce="{nonce}"' in attrs for attrs in SCRIPT_TAG.findall(body) if "src=" not in attrs)


@pytest.mark.django_db
def test_the_api_docs_load_their_start_script_as_a_file(client, city_admin):
    client.force_login(city_admin)
    page = client.get("/api/docs/").content.decode()
    assert [attrs for attrs in SCRIPT_TAG.findall(page) if "src=" not in attrs] == []
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
    redoc = header(client.get("/api/redoc/"))
    assert redoc["worker-src"] == "'self' blob:"
