"""``…/{id}/history/``: the 变更记录 of one object in the API, the same entries as its web page (core.history).

The object comes from the viewset's ``get_object()``: outside the caller's scope it is a 404 like the detail."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core.history import entry_json, history_entries, paginate, sources_of

_CHANGE = inline_serializer(
    "HistoryChange",
    {"field": serializers.CharField(), "old": serializers.CharField(), "new": serializers.CharField()},
)
_PAGE = inline_serializer(
    "HistoryPage",
    {
        "count": serializers.IntegerField(),
        "page": serializers.IntegerField(),
        "num_pages": serializers.IntegerField(),
        "results": inline_serializer(
            "HistoryEntry",
            {
                "at": serializers.DateTimeField(),
                "user": serializers.CharField(),
                "action": serializers.CharField(help_text="新建 / 修改 / 删除"),
                "object": serializers.CharField(),
                "changes": _CHANGE.__class__(many=True),
            },
            many=True,
        ),
    },
)


def history_action(summary: str):
    """A viewset's ``history`` action (``history = history_action("项目变更记录")``): newest first, 20 a page."""

    @extend_schema(
        summary=summary,
        parameters=[OpenApiParameter("page", int, description="页码（每页 20 条）")],
        responses=_PAGE,
    )
    @action(detail=True, methods=["get"], url_path="history")
    def history(self, request, pk=None):
        page = paginate(history_entries(sources_of(self.get_object())), request.query_params.get("page"))
        return Response(
            {
                "count": page.paginator.count,
                "page": page.number,
                "num_pages": page.paginator.num_pages,
                "results": [entry_json(e) for e in page],
            }
        )

    return history
