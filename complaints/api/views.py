"""The ledger API: list/retrieve in the user's scope, one action per step, export and the analysis."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from accounts.roles import MANAGERS
from complaints import analysis, exports, services
from complaints.api import serializers as s
from complaints.filters import ComplaintFilter
from complaints.models import Complaint, ContactView
from core.api.serializers import ErrorDetailSerializer
from core.api.viewsets import ScopedReadOnlyViewSet
from core.filters import YEAR_MAX, YEAR_MIN


class ComplaintViewSet(ScopedReadOnlyViewSet):
    """投诉举报台账。县局只看到本县的投诉；列表和详情不含投诉人姓名和电话，承办人和市局经 contact/ 查看（每次查看均记录）。"""

    queryset = Complaint.objects.order_by("-received_at", "-pk")
    serializer_class = s.ComplaintSerializer
    filterset_class = ComplaintFilter
    read_roles = MANAGERS
    write_roles = MANAGERS
    select_related = ("county", "project", "handler", "entered_by", "category", "subcategory")
    prefetch_related = ("responsible_enterprises",)
    ordering_fields = ["received_at", "received_on", "status", "accept_due", "close_due"]
    export_filename = "投诉举报台账"

    def get_serializer_class(self):
        return s.ComplaintDetailSerializer if self.action == "retrieve" else s.ComplaintSerializer

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                "events__actor", "extensions__requested_by", "extensions__decided_by", "return_visits__recorded_by"
            )
        return qs

    @property
    def export_columns(self):
        """The contact columns only for the city (complaints.exports)."""
        return exports.columns_for(self.request.user)

    def _step(self, request, serializer_class, func):
        complaint = self.get_object()
        data = serializer_class(data=request.data) if serializer_class else None
        if data is not None:
            data.is_valid(raise_exception=True)
        complaint = func(complaint, data.validated_data if data is not None else {})
        return Response(s.ComplaintDetailSerializer(complaint, context={"request": request}).data)

    @extend_schema(
        summary="登记12345热线转办、电话、来信、来访或信访转办的投诉（县局登记本县，市局可登记任一县）",
        request={"multipart/form-data": s.EnterInputSerializer, "application/json": s.EnterInputSerializer},
        responses={201: s.EnteredComplaintSerializer},
    )
    @action(detail=False, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def enter(self, request):
        data = s.EnterInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        complaint, secret = services.enter_complaint(user=request.user, **data.validated_data)
        body = {"complaint": s.ComplaintDetailSerializer(complaint).data, "secret": secret}
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(summary="受理", request=s.NoteInputSerializer, responses=s.ComplaintDetailSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._step(
            request, s.NoteInputSerializer, lambda c, d: services.accept(c, user=request.user, note=d["note"])
        )

    @extend_schema(summary="开始核查", request=s.NoteInputSerializer, responses=s.ComplaintDetailSerializer)
    @action(detail=True, methods=["post"])
    def investigate(self, request, pk=None):
        return self._step(
            request,
            s.NoteInputSerializer,
            lambda c, d: services.start_investigation(c, user=request.user, note=d["note"]),
        )

    @extend_schema(summary="办结销号", request=s.CloseInputSerializer, responses=s.ComplaintDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._step(request, s.CloseInputSerializer, lambda c, d: services.close(c, user=request.user, **d))

    @extend_schema(summary="不予受理", request=s.RejectInputSerializer, responses=s.ComplaintDetailSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._step(request, s.RejectInputSerializer, lambda c, d: services.reject(c, user=request.user, **d))

    @extend_schema(summary="指定承办人", request=s.AssignInputSerializer, responses=s.ComplaintDetailSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        return self._step(
            request,
            s.AssignInputSerializer,
            lambda c, d: services.assign_handler(c, user=request.user, handler=d["handler"]),
        )

    @extend_schema(
        summary="改派承办县（市局）", request=s.ReassignInputSerializer, responses=s.ComplaintDetailSerializer
    )
    @action(detail=True, methods=["post"])
    def reassign(self, request, pk=None):
        return self._step(
            request,
            s.ReassignInputSerializer,
            lambda c, d: services.reassign_county(c, user=request.user, county=d["county"], reason=d["reason"]),
        )

    @extend_schema(
        summary="申请延期办结（承办人；市局审批）",
        request=s.ExtensionInputSerializer,
        responses=s.ComplaintDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        return self._step(
            request,
            s.ExtensionInputSerializer,
            lambda c, d: services.request_extension(c, user=request.user, **d).complaint,
        )

    @extend_schema(
        summary="审批延期申请（市局）：批准后办结时限延至申请日期",
        request=s.ExtensionDecisionInputSerializer,
        responses=s.ComplaintDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="extension-decision")
    def extension_decision(self, request, pk=None):
        def decide(complaint, d):
            extension = services.pending_extension(complaint)
            if extension is None:
                raise DjangoValidationError("没有待审批的延期申请。")
            return services.decide_extension(extension, user=request.user, **d).complaint

        return self._step(request, s.ExtensionDecisionInputSerializer, decide)

    @extend_schema(
        summary="电话回访（办结后，承办人或市局记录满意度）",
        request=s.ReturnVisitInputSerializer,
        responses=s.ComplaintDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="return-visit")
    def return_visit(self, request, pk=None):
        def run(c, d):
            services.record_return_visit(c, user=request.user, satisfaction=d["satisfaction"], note=d["note"])
            return Complaint.objects.get(pk=c.pk)

        return self._step(request, s.ReturnVisitInputSerializer, run)

    @extend_schema(
        summary="回访不满意：市局决定重新办理或维持办结",
        request=s.ReopenDecisionInputSerializer,
        responses=s.ComplaintDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._step(
            request,
            s.ReopenDecisionInputSerializer,
            lambda c, d: services.decide_reopen(
                c, user=request.user, reopen=d["decision"] == "reopen", reason=d["reason"]
            ),
        )

    @extend_schema(
        summary="发起专项检查（针对投诉项目，不经双随机抽取）", request=None, responses=s.ComplaintDetailSerializer
    )
    @action(detail=True, methods=["post"], url_path="targeted-inspection")
    def targeted_inspection(self, request, pk=None):
        def run(c, d):
            services.open_targeted_inspection(c, user=request.user)
            return Complaint.objects.get(pk=c.pk)

        return self._step(request, None, run)

    @extend_schema(
        summary="查看投诉人联系方式（仅承办人和市局；每次查看均记录）",
        responses={
            200: s.ContactSerializer,
            403: OpenApiResponse(ErrorDetailSerializer, description="不是该投诉的承办人，也不是市局管理员"),
        },
    )
    @action(detail=True, methods=["get"])
    def contact(self, request, pk=None):
        complaint = self.get_object()
        contact = services.reveal_contact(complaint, user=request.user, channel=ContactView.Channel.API)
        response = Response(s.ContactSerializer(contact).data)
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(
        summary="汇总分析（按县、类别及子类别、来源渠道、月份、项目、责任单位；办结用时；重复投诉）",
        parameters=[OpenApiParameter("year", int, description="年度，默认今年")],
        responses=dict,
    )
    @action(detail=False, methods=["get"])
    def analysis(self, request):
        try:
            year = int(request.query_params.get("year") or timezone.localdate().year)
        except ValueError:
            year = 0
        if not YEAR_MIN <= year <= YEAR_MAX:
            from rest_framework.exceptions import ValidationError

            raise ValidationError({"year": [f"年度应在 {YEAR_MIN}-{YEAR_MAX} 之间。"]})
        return Response(analysis.summary(self.get_queryset(), year, timezone.localdate()))
