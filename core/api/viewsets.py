"""Base viewsets: scope, eager loading and Excel export in one place, so endpoints stay 3-4 lines."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action

from core.api.permissions import RolePermission
from core.api.schema import EXPORT_SUMMARY
from core.db import replica_reads
from core.exports import xlsx_response


class ScopedViewSetMixin:
    """``queryset.visible_to(request.user)`` plus select/prefetch: constant queries per list page."""

    permission_classes = [RolePermission]
    lookup_value_regex = "[0-9]+"  # ids are integers: /points-ledger/abc/ is a 404, never a ValueError
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    # Lists may use a leaner representation (no nested children) than the detail: its serializer and what it
    # loads. None = the same as the detail.
    list_serializer_class = None
    list_select_related: tuple[str, ...] | None = None
    list_prefetch_related: tuple[str, ...] | None = None
    export_columns: list = []
    export_filename = "export"

    def get_queryset(self):
        qs = self.queryset.model.objects.visible_to(self.request.user)
        if self.queryset.query.order_by:
            qs = qs.order_by(*self.queryset.query.order_by)
        listing = self._listing()
        select = self.list_select_related if listing and self.list_select_related is not None else self.select_related
        prefetch = (
            self.list_prefetch_related if listing and self.list_prefetch_related is not None else self.prefetch_related
        )
        if select:
            qs = qs.select_related(*select)
        if prefetch:
            qs = qs.prefetch_related(*prefetch)
        return qs

    def _listing(self) -> bool:
        return getattr(self, "action", None) == "list"

    def get_serializer_class(self):
        if self.list_serializer_class is not None and self._listing():
            return self.list_serializer_class
        return super().get_serializer_class()

    @extend_schema(
        summary=EXPORT_SUMMARY,
        responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY},
    )
    @action(detail=False, methods=["get"], url_path="export")
    def export(self, request, *args, **kwargs):
        qs = self.filter_queryset(self.get_queryset())
        return xlsx_response(self.export_filename, [(self.export_filename, self.export_columns, qs)])


class ReplicaListMixin:
    """A list only reads: its queries go to the replica when one is configured (core.db). Authentication has
    run on the primary before (``initial()``), so a session created a moment ago is found."""

    def list(self, request, *args, **kwargs):
        with replica_reads():
            return super().list(request, *args, **kwargs)


class ScopedReadOnlyViewSet(ScopedViewSetMixin, ReplicaListMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(
    ScopedViewSetMixin,
    ReplicaListMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """List/retrieve/create/update; no delete by default (records are kept, history matters)."""
