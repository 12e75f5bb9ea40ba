"""Page-number pagination whose count of an unfiltered list of a huge table is the planner's estimate.

``COUNT(*)`` over a table of millions of rows (the monthly reports) costs more than the page itself. For a list
with no ``WHERE`` at all (the city's unfiltered list) the count comes from ``pg_class.reltuples`` (kept by
autovacuum/ANALYZE) when that estimate is at least ``settings.EXACT_COUNT_LIMIT`` rows; the response then says
``"count_is_estimate": true``. Filtered or scoped lists, and small tables, are always counted exactly.
With a cache every process shares (``LIST_CACHE``), the count of an unfiltered list of a big table is kept until a
row of the table is inserted or deleted (core.panel_cache.cached_count): a city's unfiltered list of 100,000
projects does not count them per page.
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

from core.panel_cache import cached_count


def table_count(queryset, limit: int) -> tuple[int, bool] | None:
    """For a queryset without any filter: ``(planner estimate, True)`` when the table holds at least ``limit``
    rows by the planner's statistics, else ``(exact COUNT(*), False)`` — in ONE query either way (the list costs
    no more queries than with Django's count). None for a filtered queryset or another database."""
    if not _unfiltered(queryset):
        return None
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    table = queryset.model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT CASE WHEN c.reltuples >= %s THEN c.reltuples::bigint "
            f"ELSE (SELECT COUNT(*) FROM {connection.ops.quote_name(table)}) END, c.reltuples >= %s "
            "FROM pg_class c WHERE c.oid = to_regclass(%s)",
            [limit, limit, table],
        )
        row = cursor.fetchone()
    return (int(row[0]), bool(row[1])) if row else None


def _unfiltered(queryset) -> bool:
    query = queryset.query
    return not (query.where or query.distinct or query.combinator or query.is_sliced)


class EstimatedCountPaginator(Paginator):
    """Django's paginator; ``count`` is the planner's estimate for an unfiltered list of a huge table."""

    count_is_estimate = False

    @cached_property
    def count(self) -> int:
        limit = settings.EXACT_COUNT_LIMIT
        if limit and hasattr(self.object_list, "query") and _unfiltered(self.object_list):
            queryset = self.object_list
            counted = cached_count(queryset.model, lambda: table_count(queryset, limit), limit)
            if counted is not None:
                count, self.count_is_estimate = counted
                return count
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
