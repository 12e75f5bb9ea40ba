"""Page-number pagination whose count of an unfiltered list of a huge table is the planner's estimate.

``COUNT(*)`` over a table of millions of rows (the monthly reports) costs more than the page itself. For a list
with no ``WHERE`` at all (the city's unfiltered list) the count comes from ``pg_class.reltuples`` (kept by
autovacuum/ANALYZE) when that estimate is at least ``settings.EXACT_COUNT_LIMIT`` rows; the response then says
``"count_is_estimate": true``. Filtered or scoped lists, and small tables, are always counted exactly.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

ESTIMATE_TTL = 60.0  # seconds a process reuses a table's estimate (it moves only with ANALYZE anyway)
_estimates: dict[tuple[str, str], tuple[float, int | None]] = {}


def planner_estimate(queryset) -> int | None:
    """The planner's row estimate of ``queryset``'s table when the queryset has no filter; else None."""
    query = queryset.query
    if query.where or query.distinct or query.combinator or query.is_sliced:
        return None
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    key = (queryset.db, queryset.model._meta.db_table)
    cached = _estimates.get(key)
    if cached and time.monotonic() - cached[0] < ESTIMATE_TTL:
        return cached[1]
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)", [key[1]])
        row = cursor.fetchone()
    estimate = row[0] if row and row[0] is not None and row[0] >= 0 else None
    _estimates[key] = (time.monotonic(), estimate)
    return estimate


class EstimatedCountPaginator(Paginator):
    """Django's paginator; ``count`` is the planner's estimate for an unfiltered list of a huge table."""

    count_is_estimate = False

    @cached_property
    def count(self) -> int:
        limit = getattr(settings, "EXACT_COUNT_LIMIT", 500_000)
        if limit and hasattr(self.object_list, "query"):
            estimate = planner_estimate(self.object_list)
            if estimate is not None and estimate >= limit:
                self.count_is_estimate = True
                return estimate
        return super().count


class StandardPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    django_paginator_class = EstimatedCountPaginator

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        if self.page.paginator.count_is_estimate:
            response.data = {"count": response.data["count"], "count_is_estimate": True, **response.data}
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count_is_estimate"] = {
            "type": "boolean",
            "description": "仅在未筛选的超大表列表中出现：count 为数据库统计估算值（筛选后的列表总是精确计数）",
        }
        return schema
