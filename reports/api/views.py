from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts import roles
from core.api.viewsets import ScopedReadOnlyViewSet
from core.exports import Column
from reports import services
from reports.api.serializers import ReportArchiveSerializer, ReportRequestSerializer
from reports.filters import ReportArchiveFilter
from reports.models import ReportArchive


class ReportArchiveViewSet(ScopedReadOnlyViewSet):
    """报表档案：市局可申请生成；县局可查看和下载已发布数据的报表。"""

    queryset = ReportArchive.objects.order_by("-requested_at", "-pk")
    serializer_class = ReportArchiveSerializer
    filterset_class = ReportArchiveFilter
    select_related = ("requested_by",)
    read_roles = roles.MANAGERS
    write_roles = roles.CITY_ADMINS
    export_filename = "报表档案"
    export_columns = [
        Column("报表", "title"),
        Column("状态", "get_status_display"),
        Column("申请时间", "requested_at", "datetime"),
        Column("完成时间", "finished_at", "datetime"),
    ]

    @extend_schema(
        request=ReportRequestSerializer,
        responses={201: ReportArchiveSerializer, 200: ReportArchiveSerializer},
        summary="申请生成报表（一分钟内相同申请返回同一档案）",
    )
    def create(self, request, *args, **kwargs):
        serializer = ReportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        archive, created = services.request_report(
            serializer.validated_data["report_type"], serializer.params(), user=request.user
        )
        archive.refresh_from_db()
        return Response(
            ReportArchiveSerializer(archive, context={"request": request}).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY}, summary="下载 PDF 或 Excel 文件")
    @action(detail=True, methods=["get"], url_path=r"download/(?P<kind>pdf|xlsx)")
    def download(self, request, pk=None, kind=None):
        archive = self.get_object()
        field = archive.pdf if kind == "pdf" else archive.xlsx
        if not archive.is_done or not field:
            raise Http404
        return FileResponse(field.open("rb"), as_attachment=True, filename=f"{archive.title}.{kind}")
