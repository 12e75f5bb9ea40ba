"""API viewsets: scope, eager loading and Excel export come from the base viewsets; writes go to services."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from accounts import roles
from accounts.models import Region
from core.api.viewsets import ScopedReadOnlyViewSet
from inspections import rectification, services
from inspections.api.serializers import (
    AnswerSerializer,
    CancelSerializer,
    CloseSerializer,
    DrawSerializer,
    EscalateSerializer,
    FindingCreateSerializer,
    FindingSerializer,
    InspectionSerializer,
    LockSerializer,
    NoticeReturnSerializer,
    NoticeSerializer,
    PaperAnswerSerializer,
    PlanCreateSerializer,
    PlanSerializer,
    RecordSerializer,
)
from inspections.exports import INSPECTION_COLUMNS, NOTICE_COLUMNS, NOTICE_SELECT, PLAN_COLUMNS
from inspections.filters import InspectionFilter, NoticeFilter, PlanFilter
from inspections.models import Inspection, InspectionPlan, RectificationNotice

ALL = roles.ALL_ROLES


class PlanViewSet(ScopedReadOnlyViewSet):
    """双随机检查计划（含固定的抽取结果）。POST 创建计划；lock 锁定并公示；draw 输入公开随机值抽取；cancel 作废。"""

    queryset = InspectionPlan.objects.order_by("-period_start", "-pk")
    serializer_class = PlanSerializer
    filterset_class = PlanFilter
    select_related = ("county",)
    write_roles = roles.MANAGERS
    export_filename = "双随机检查计划"
    export_columns = PLAN_COLUMNS

    @extend_schema(request=PlanCreateSerializer, responses={201: PlanSerializer}, summary="创建检查计划")
    def create(self, request):
        data = PlanCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        counties = Region.objects.filter(level=Region.Level.COUNTY, pk__in=values.pop("scope_counties"))
        if values.get("recency_months") is None:
            values.pop("recency_months", None)
        plan = services.create_plan(user=request.user, scope_counties=counties, **values)
        return Response(PlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=LockSerializer,
        responses={200: PlanSerializer, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT},
        summary="锁定并公示（固定备选名单、规则和公开随机值来源，公布SHA-256承诺值）",
    )
    @action(detail=True, methods=["post"])
    def lock(self, request, pk=None):
        data = LockSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        plan = services.lock_plan(self.get_object(), user=request.user, **data.validated_data)
        return Response(PlanSerializer(plan).data)

    @extend_schema(
        request=CancelSerializer,
        responses={200: PlanSerializer, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT},
        summary="作废计划（原因公开）",
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        data = CancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        plan = services.cancel_plan(self.get_object(), user=request.user, reason=data.validated_data["reason"])
        return Response(PlanSerializer(plan).data)

    @extend_schema(
        request=DrawSerializer,
        responses={200: PlanSerializer, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT},
        summary="输入公开随机值并抽取（仅限已锁定的计划，声明日期当日或之后，只能一次）",
    )
    @action(detail=True, methods=["post"])
    def draw(self, request, pk=None):
        data = DrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        plan = services.draw_plan(
            self.get_object(), user=request.user, public_value=data.validated_data["public_value"]
        )
        return Response(PlanSerializer(plan).data)

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
        summary="复核抽取：按锁定记录的承诺值和公开随机值（旧计划按计划编号和公开随机值）重新演算",
    )
    @action(detail=True, methods=["get"])
    def audit(self, request, pk=None):
        plan = self.get_object()
        rerun = services.rerun_draw(plan)
        return Response(
            {
                "draw_scheme": plan.draw_scheme,
                "commitment": plan.commitment,
                "seed": plan.seed,
                "stored": plan.draw_result,
                "rerun": rerun.as_json(),
                "same": services.draw_is_consistent(plan),
            }
        )


class InspectionViewSet(ScopedReadOnlyViewSet):
    """检查记录。record 填写检查记录；findings 记录问题并下达整改通知单；confirm 市局确认公开。"""

    queryset = Inspection.objects.order_by("plan", "draw_order")
    serializer_class = InspectionSerializer
    filterset_class = InspectionFilter
    select_related = ("project__county", "plan")
    prefetch_related = ("team__user",)
    write_roles = ALL
    export_filename = "检查记录"
    export_columns = INSPECTION_COLUMNS

    @extend_schema(request=RecordSerializer, responses={200: InspectionSerializer}, summary="填写检查记录")
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        data = RecordSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        inspection = self.get_object()
        inspection = services.record_inspection(
            inspection,
            user=request.user,
            template=services.default_template_for(inspection.project),
            **data.validated_data,
        )
        return Response(InspectionSerializer(inspection).data)

    @extend_schema(request=FindingCreateSerializer, responses={201: FindingSerializer}, summary="记录问题")
    @action(detail=True, methods=["post"])
    def findings(self, request, pk=None):
        data = FindingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        finding = services.add_finding(self.get_object(), user=request.user, **data.validated_data)
        return Response(FindingSerializer(finding).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: InspectionSerializer}, summary="市局确认公开")
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return Response(InspectionSerializer(services.confirm_inspection(self.get_object(), user=request.user)).data)


class NoticeViewSet(ScopedReadOnlyViewSet):
    """整改通知单。责任单位 answer（附佐证）；检查人员 close 销号或 escalate 认定逾期。"""

    queryset = RectificationNotice.objects.order_by("deadline", "pk")
    serializer_class = NoticeSerializer
    filterset_class = NoticeFilter
    select_related = NOTICE_SELECT
    write_roles = ALL
    export_filename = "整改通知单"
    export_columns = NOTICE_COLUMNS

    @extend_schema(request=AnswerSerializer, responses={200: NoticeSerializer}, summary="责任单位回复整改情况")
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def answer(self, request, pk=None):
        data = AnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        notice = rectification.answer_notice(self.get_object(), user=request.user, **data.validated_data)
        return Response(NoticeSerializer(notice).data)

    @extend_schema(
        request=PaperAnswerSerializer, responses={200: NoticeSerializer}, summary="代录责任单位的书面回复或现场复查"
    )
    @action(
        detail=True, methods=["post"], url_path="paper-answer", parser_classes=[MultiPartParser, FormParser, JSONParser]
    )
    def paper_answer(self, request, pk=None):
        data = PaperAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        notice = rectification.record_paper_answer(self.get_object(), user=request.user, **data.validated_data)
        return Response(NoticeSerializer(notice).data)

    @extend_schema(request=CloseSerializer, responses={200: NoticeSerializer}, summary="销号（已整改）")
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        data = CloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(
            NoticeSerializer(
                rectification.close_notice(self.get_object(), user=request.user, **data.validated_data)
            ).data
        )

    @extend_schema(
        request=NoticeReturnSerializer, responses={200: NoticeSerializer}, summary="整改不到位，退回重新整改"
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_for_rework(self, request, pk=None):
        data = NoticeReturnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        notice = rectification.return_notice(self.get_object(), user=request.user, **data.validated_data)
        return Response(NoticeSerializer(notice).data)

    @extend_schema(request=EscalateSerializer, responses={200: NoticeSerializer}, summary="认定逾期未整改")
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        data = EscalateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        notice = rectification.escalate_notice(self.get_object(), user=request.user, **data.validated_data)
        return Response(NoticeSerializer(notice).data)
