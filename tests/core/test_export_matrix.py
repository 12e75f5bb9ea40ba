"""No leak by export: for every API list with an export, and every role, the export holds exactly the rows the
role's list holds (same scope, same filters), and an expert's export never holds an evaluation result."""

from __future__ import annotations

import io
from io import BytesIO

import pytest
from django.core.management import call_command
from django.urls import get_resolver
from openpyxl import load_workbook

from accounts.models import User
from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db

RESULT_HEADERS = {"总分", "结果", "一票否决", "示范项目", "专家人数", "已提交评分表"}


def export_urls() -> list[str]:
    """Every ``…/export/`` list action of the API router."""
    urls = set()

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, route)
            elif route.startswith("api/v1/") and route.endswith("export/$") and "<" not in route and "(?P" not in route:
                urls.add("/" + route.replace("^", "").replace("$", "").replace("\\", ""))

    walk(get_resolver().url_patterns)
    return sorted(urls)


def test_every_export_holds_the_rows_of_the_roles_list_and_nothing_else():
    call_command("seed_demo", stdout=io.StringIO())
    urls = export_urls()
    assert len(urls) >= 15, urls
    users = [
        User.objects.filter(role=role).order_by("pk").first()
        for role in ("city_admin", "county_staff", "unit_user", "expert")
    ]
    checked = 0
    for user in users:
        client = api_client_for(user)
        for url in urls:
            export = client.get(url)
            listing = client.get(url.removesuffix("export/"))
            assert export.status_code in (200, 403, 404), (user.username, url, export.status_code)
            assert (export.status_code == 200) == (listing.status_code == 200), (user.username, url)
            if export.status_code != 200:
                continue
            ws = load_workbook(BytesIO(export.content)).active
            headers = {c.value for c in ws[1]}
            rows = sum(1 for row in ws.iter_rows(min_row=2, values_only=True) if any(v not in (None, "") for v in row))
            body = listing.json()
            count = body["count"] if isinstance(body, dict) and "count" in body else len(body)
            assert rows == count, (user.username, url, rows, count)
            if user.role == "expert":
                assert not headers & RESULT_HEADERS, (url, headers & RESULT_HEADERS)
            checked += 1
    assert checked >= 4 * 5
