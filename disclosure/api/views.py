"""Disclosure API: the public's read-only projects (no login) and the staff's publishing."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from accounts.roles import MANAGERS
from core.api.throttling import ScopedRateThrottle
from core.api.viewsets import ScopedReadOnlyViewSet
from disclosure import public, services
from disclosure.api import serializers as s
from disclosure.exports import DISCLOSURE_COLUMNS
from disclosure.filters import ProjectDisclosureFilter, PublicProjectFilter
from disclosure.models import ProjectDisclosure


@extend_schema_view(
    list=extend_schema(summary="公开项目公示列表（无需登录）"),
    retrieve=extend_schema(
        summary="公开项目公示详情（无需登录）",
        description="已撤销公示的项目答复 410：撤销日期和原因（公示页网址印在永久性标志牌的二维码上，不会失效）。",
        responses={200: s.PublicProjectSerializer, 410: s.PublicWithdrawalSerializer},
    ),
)
class PublicProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """项目公示（无需登录）：只含公示字段；按项目名称、县（市、区）、参建单位查询。"""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "public"
    serializer_class = s.PublicProjectSerializer
    filterset_class = PublicProjectFilter
    lookup_field = "public_id"
    lookup_value_regex = "[A-Za-z0-9_-]+"
    queryset = ProjectDisclosure.objects.none()

    def get_queryset(self):
        return public.prefetched(ProjectDisclosure.objects.published()).order_by(
            "project__county__order", "project__code"
        )

    def retrieve(self, request, *args, **kwargs):
        found = self.get_queryset().filter(public_id=kwargs.get(self.lookup_field, "")).exists()
        if not found:
            withdrawn = (
                ProjectDisclosure.objects.withdrawn()
                .select_related("project__county")
                .filter(public_id=kwargs.get(self.lookup_field, ""))
                .first()
            )
            if withdrawn is not None:
                data = s.PublicWithdrawalSerializer(public.withdrawal(withdrawn)).data
                return Response(data, status=status.HTTP_410_GONE)
        return super().retrieve(request, *args, **kwargs)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            public.attach_inspection_results(page)
        return page


class ProjectDisclosureViewSet(ScopedReadOnlyViewSet):
    """项目公示管理：本县（市、区）项目的公示状态；`publish` 公示，`withdraw` 撤销公示（须填写原因）。"""

    queryset = ProjectDisclosure.objects.order_by("project__county__order", "project__code")
    serializer_class = s.ProjectDisclosureSerializer
    filterset_class = ProjectDisclosureFilter
    read_roles = MANAGERS
    write_roles = MANAGERS
    select_related = ("project__county",)
    export_filename = "项目公示"
    export_columns = DISCLOSURE_COLUMNS

    @extend_schema(summary="公示", request=s.PublishInputSerializer, responses=s.ProjectDisclosureSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        disclosure = self.get_object()
        data = s.PublishInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        disclosure = services.publish(
            disclosure.project, user=request.user, location=data.validated_data.get("location")
        )
        return Response(self.get_serializer(disclosure).data)

    @extend_schema(
        summary="撤销公示（须填写原因）", request=s.WithdrawInputSerializer, responses=s.ProjectDisclosureSerializer
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        disclosure = self.get_object()
        data = s.WithdrawInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        disclosure = services.withdraw(disclosure.project, user=request.user, reason=data.validated_data.get("reason"))
        return Response(self.get_serializer(disclosure).data)
