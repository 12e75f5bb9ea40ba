"""Projects REST API: thin viewsets on the scoped base; actions call the services."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import roles
from accounts.models import Region
from core.api.history import history_action
from core.api.pagination import StandardPagination
from core.api.viewsets import ScopedModelViewSet
from core.exports import XLSX_CONTENT_TYPE
from projects import imports, services
from projects.api import serializers as s
from projects.exports import CONSTRAINT_COLUMNS, GOAL_RULE_COLUMNS, PARTICIPANT_COLUMNS, PROJECT_COLUMNS, REPORT_COLUMNS
from projects.filters import ConstraintRecordFilter, MonthlyReportFilter, ParticipantFilter, ProjectFilter
from projects.models import (
    ConstraintRecord,
    GoalRule,
    MonthlyReport,
    Participant,
    Project,
    ProjectMilestone,
    StageChange,
    attach_insurance_warnings,
)

PARTICIPANTS_WITH_ENTERPRISE = Prefetch("participants", queryset=Participant.objects.select_related("enterprise"))


class ProjectViewSet(ScopedModelViewSet):
    """项目库。县局只看到和维护本县项目；参建单位只看到本单位参建的项目。阶段变更见 `stage` 操作。"""

    queryset = Project.objects.order_by("-year", "code")
    serializer_class = s.ProjectSerializer
    filterset_class = ProjectFilter
    write_roles = roles.MANAGERS
    select_related = ("county",)
    prefetch_related = (PARTICIPANTS_WITH_ENTERPRISE,)
    ordering_fields = ["code", "name", "year", "total_investment", "floor_area", "stage", "updated_at"]
    export_filename = "项目库"
    export_columns = PROJECT_COLUMNS

    # The list shows only the participants' insurance warnings: read for the page in one query of plain values
    # (projects.models.attach_insurance_warnings), not every participant with its enterprise.
    list_prefetch_related = ()

    history = history_action("项目变更记录（谁、何时、字段：原值 → 新值，含参建单位）")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None and self.action == "list":
            attach_insurance_warnings(page)
        return page

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                Prefetch("stage_changes", queryset=StageChange.objects.select_related("changed_by")),
                "monthly_reports",
            )
        return qs

    def get_serializer_class(self):
        return s.ProjectDetailSerializer if self.action == "retrieve" else s.ProjectSerializer

    @extend_schema(summary="变更项目阶段", request=s.StageChangeInputSerializer, responses=s.StageChangeSerializer)
    @action(detail=True, methods=["post"])
    def stage(self, request, pk=None):
        project = self.get_object()
        data = s.StageChangeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        change = services.change_stage(
            project,
            data.validated_data["to_stage"],
            user=request.user,
            changed_on=data.validated_data.get("changed_on"),
            note=data.validated_data.get("note", ""),
        )
        return Response(s.StageChangeSerializer(change).data, status=status.HTTP_201_CREATED)


class ParticipantViewSet(ScopedModelViewSet):
    """参建单位（项目 × 单位 × 角色）及其强制保险；`insurance_problem` 给出缺失或过期预警。"""

    queryset = Participant.objects.order_by("project__code", "role", "pk")
    serializer_class = s.ParticipantSerializer
    filterset_class = ParticipantFilter
    write_roles = roles.MANAGERS
    select_related = ("project", "enterprise")
    ordering_fields = ["role", "insurance_valid_until", "joined_on"]
    export_filename = "参建单位"
    export_columns = PARTICIPANT_COLUMNS


class ConstraintRecordViewSet(ScopedModelViewSet):
    """约束记录。参建单位只看到针对本单位的记录；状态变更（待整改→已整改/清退出场）见 `status` 操作。"""

    queryset = ConstraintRecord.objects.order_by("-occurred_on", "-pk")
    serializer_class = s.ConstraintRecordSerializer
    filterset_class = ConstraintRecordFilter
    write_roles = roles.MANAGERS
    select_related = ("participant__project", "participant__enterprise", "status_changed_by")
    ordering_fields = ["occurred_on", "status", "kind"]
    export_filename = "约束记录"
    export_columns = CONSTRAINT_COLUMNS

    @extend_schema(
        summary="变更整改状态", request=s.ConstraintStatusInputSerializer, responses=s.ConstraintRecordSerializer
    )
    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request, pk=None):
        record = self.get_object()
        data = s.ConstraintStatusInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = services.change_constraint_status(
            record, data.validated_data["status"], user=request.user, note=data.validated_data.get("note", "")
        )
        return Response(self.get_serializer(record).data)


class MonthlyReportViewSet(ScopedModelViewSet):
    """项目月报。参建单位填报、修改（草稿/已退回）和提交；县局接收或退回（须填原因）。已接收的月报锁定。"""

    queryset = MonthlyReport.objects.order_by("-year", "-month", "project_id")
    serializer_class = s.MonthlyReportSerializer
    filterset_class = MonthlyReportFilter
    write_roles = roles.MANAGERS_AND_UNITS
    select_related = ("project__county",)
    ordering_fields = ["year", "month", "status", "submitted_at", "new_start_area"]
    export_filename = "项目月报"
    export_columns = REPORT_COLUMNS
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action == "retrieve":
            qs = qs.prefetch_related("versions")
        return qs

    def get_serializer_class(self):
        return s.MonthlyReportDetailSerializer if self.action == "retrieve" else s.MonthlyReportSerializer

    def _respond(self, report):
        report = self.get_queryset().prefetch_related("versions").get(pk=report.pk)
        return Response(s.MonthlyReportDetailSerializer(report, context=self.get_serializer_context()).data)

    @extend_schema(summary="提交月报（草稿或已退回 → 已提交）", request=None, responses=s.MonthlyReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._respond(services.submit_report(self.get_object(), user=request.user))

    @extend_schema(summary="接收月报（县局）", request=None, responses=s.MonthlyReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._respond(services.accept_report(self.get_object(), user=request.user))

    @extend_schema(
        summary="退回月报（县局，须填原因）", request=s.ReturnInputSerializer, responses=s.MonthlyReportDetailSerializer
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        report = self.get_object()
        data = s.ReturnInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(services.return_report(report, data.validated_data["reason"], user=request.user))

    @extend_schema(
        summary="下载月报导入模板",
        responses={(200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY},
    )
    @action(detail=False, methods=["get"])
    def template(self, request):
        response = HttpResponse(imports.template_bytes(request.user), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="monthly-report-template.xlsx"'
        return response

    @extend_schema(summary="导入月报（整份文件校验通过才写入）", request=s.ImportInputSerializer)
    @action(detail=False, methods=["post"], url_path="import")
    def import_(self, request):
        data = s.ImportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = imports.import_reports(
            data.validated_data["file"], user=request.user, submit=data.validated_data["submit"]
        )
        body = {
            "created": result.created,
            "updated": result.updated,
            "submitted": result.submitted,
            # The first IMPORT_MAX_ERRORS_SHOWN errors, and how many there are in all.
            "errors": [
                {"sheet": i.sheet, "row": i.row, "column": i.column, "column_name": i.column_name, "message": i.message}
                for i in result.issues[: settings.IMPORT_MAX_ERRORS_SHOWN]
            ],
            "error_count": len(result.issues),
        }
        return Response(body, status=status.HTTP_200_OK if result.ok else status.HTTP_400_BAD_REQUEST)


class CultivationRatioView(APIView):
    """培育比例：各县（市、区）某年度纳入精品工程项目库的政府投资项目数 ÷ 政府投资项目总数（不低于下限）。"""

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int, description="立项年度（默认当前年度）"),
            OpenApiParameter("county", int, description="县（市、区）ID"),
            OpenApiParameter("below", bool, description="只看低于下限的县"),
        ],
        responses=s.CultivationRatioSerializer(many=True),
    )
    def get(self, request):
        user = request.user
        if user.is_city_admin:
            counties = Region.objects.filter(level=Region.Level.COUNTY).order_by("order", "code")
        elif user.is_county_staff and user.region_id:
            counties = Region.objects.filter(pk=user.region_id)
        else:
            raise PermissionDenied("只有市局和县局工作人员可以查看培育比例。")
        try:
            year = int(request.query_params.get("year") or services.default_cultivation_year(user))
        except ValueError:
            return Response({"year": ["年度应为整数。"]}, status=400)
        county = request.query_params.get("county")
        if county:
            if not county.isdigit():
                return Response({"county": ["县（市、区）ID应为整数。"]}, status=400)
            counties = counties.filter(pk=int(county))
        rows = services.cultivation_ratios(year, counties)
        if request.query_params.get("below") in ("true", "True", "1"):
            rows = [r for r in rows if r.below_minimum]
        return Response(s.CultivationRatioSerializer(rows, many=True).data)


class GoalRuleViewSet(ScopedModelViewSet):
    """项目目标规则（按年度分版本）：适用的项目类型 → 装配率下限、节能标准、BIM应用。所有人可读，市局维护（留变更记录）。"""

    queryset = GoalRule.objects.order_by("-year", "pk")
    serializer_class = s.GoalRuleSerializer
    write_roles = roles.CITY_ADMINS
    ordering_fields = ["year"]
    export_filename = "项目目标规则"
    export_columns = GOAL_RULE_COLUMNS


def _county_param(request):
    county = request.query_params.get("county")
    if county and not county.isdigit():
        return None, Response({"county": ["县（市、区）ID应为整数。"]}, status=400)
    return (int(county) if county else None), None


class _ProgrammeListView(GenericAPIView):
    """A list computed by a service, a page at a time (50, ``?page_size=`` up to 500) as every list of the API:
    count, next, previous, results."""

    pagination_class = StandardPagination

    def page_response(self, rows, to_rows=None):
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(to_rows(page) if to_rows else page, many=True).data)


class LaggardView(_ProgrammeListView):
    """进度滞后：计划日期已过 MILESTONE_DELAY_DAYS 天仍未完成（或完成晚于此）的形象进度节点，按本人可见范围。
    分页（每页50条，page_size 至多500）。"""

    serializer_class = s.LaggardSerializer
    queryset = ProjectMilestone.objects.none()  # for the schema: the rows come from services.late_milestones

    @extend_schema(
        parameters=[
            OpenApiParameter("county", int, description="县（市、区）ID"),
            OpenApiParameter("open", bool, description="只看尚未完成的滞后节点"),
        ],
        responses=s.LaggardSerializer(many=True),
    )
    def get(self, request):
        if not roles.has_role(request.user, roles.MANAGERS_AND_UNITS):
            raise PermissionDenied("只有住建部门和参建单位可以查看进度滞后项目。")
        county, error = _county_param(request)
        if error:
            return error
        open_only = request.query_params.get("open") in ("true", "True", "1")
        qs = services.late_milestones(request.user, open_only=open_only)
        if county:
            qs = qs.filter(project__county_id=county)
        return self.page_response(qs, services.laggard_rows)


class UnmetGoalView(_ProgrammeListView):
    """未达目标：按项目立项年度适用的目标规则，检查各单位报送的装配率、节能标准、BIM应用，列出未达标的项目。
    分页（每页50条，page_size 至多500）。"""

    serializer_class = s.UnmetGoalSerializer
    queryset = Project.objects.none()  # for the schema: the rows come from services.unmet_goals

    @extend_schema(
        parameters=[
            OpenApiParameter("county", int, description="县（市、区）ID"),
            OpenApiParameter("year", int, description="项目立项年度"),
        ],
        responses=s.UnmetGoalSerializer(many=True),
    )
    def get(self, request):
        if not roles.has_role(request.user, roles.MANAGERS_AND_UNITS):
            raise PermissionDenied("只有住建部门和参建单位可以查看项目目标达成情况。")
        county, error = _county_param(request)
        if error:
            return error
        projects = Project.objects.visible_to(request.user).order_by("county__order", "-year", "code")
        if county:
            projects = projects.filter(county_id=county)
        year = request.query_params.get("year")
        if year:
            if not year.isdigit():
                return Response({"year": ["年度应为整数。"]}, status=400)
            projects = projects.filter(year=int(year))
        return self.page_response(services.unmet_goals(projects))
