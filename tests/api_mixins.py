"""Reusable API test mixins (NetBox-style): an endpoint test declares its URL and data, the mixin tests."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import api_client_for


def query_count(client, url) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries), response


class ListQueryCountMixin:
    """The list endpoint makes the same number of queries at two page sizes (constant in rows)."""

    list_url: str = ""

    def make_rows(self, n: int):  # pragma: no cover - subclasses implement
        raise NotImplementedError

    def reader(self):
        raise NotImplementedError

    def test_list_query_count_constant_in_page_size(self, db, settings):
        settings.DASHBOARD_CACHE_SECONDS = 0  # the list's own queries, no kept count or rows (core.panel_cache)
        self.make_rows(12)
        client = api_client_for(self.reader())
        small, r1 = query_count(client, f"{self.list_url}?page_size=3")
        large, r2 = query_count(client, f"{self.list_url}?page_size=12")
        assert len(r1.json()["results"]) == 3
        assert len(r2.json()["results"]) >= 12
        assert small == large, f"{self.list_url}: {small} queries for 3 rows, {large} for 12"


class AnonymousMixin:
    anonymous_urls: tuple[str, ...] = ()

    @pytest.mark.django_db
    def test_anonymous_is_refused(self, api):
        for url in self.anonymous_urls:
            response = api.get(url)
            assert response.status_code in (401, 403), url
