"""REST API of the assessment: thin viewsets over assessment.services (rules) and assessment.ranking (reads)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import roles
from assessment import ranking, services, years
from assessment.api.serializers import (
    AdjustmentSerializer,
    AdoptResultSerializer,
    AdoptSerializer,
    AnnualRowSerializer,
    AnnualTargetSerializer,
    AuditEntrySerializer,
    DeadlineExceptionSerializer,
    EvidenceSerializer,
    ManualScoreSerializer,
    RankingRowSerializer,
    ReasonSerializer,
    ReturnSerializer,
    RubricItemSerializer,
    RubricMaximaSerializer,
    RubricSerializer,
    SubmissionListSerializer,
    SubmissionSerializer,
)
from assessment.exports import (
    ADJUSTMENT_COLUMNS,
    ANNUAL_COLUMNS,
    AUDIT_COLUMNS,
    EVIDENCE_COLUMNS,
    EXCEPTION_COLUMNS,
    RANKING_COLUMNS,
    RUBRIC_COLUMNS,
    RUBRIC_ITEM_COLUMNS,
    SUBMISSION_COLUMNS,
    TARGET_COLUMNS,
)
from assessment.filters import (
    AdjustmentFilter,
    AnnualTargetFilter,
    AuditEntryFilter,
    DeadlineExceptionFilter,
    EvidenceFilter,
    RubricFilter,
    RubricItemFilter,
    SubmissionFilter,
)
from assessment.models import (
    Adjustment,
    AnnualTarget,
    AuditEntry,
    DeadlineException,
    Evidence,
    ItemScore,
    ReviewComment,
    Rubric,
    RubricGroup,
    RubricItem,
    Submission,
)
from core.api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet, ScopedViewSetMixin
from core.exports import xlsx_response


class RubricViewSet(ScopedReadOnlyViewSet):
    """考评赋分表（按年度分版本），含分组与考评项。分值修改见 `maxima`，未锁定月份改用新版本见 `adopt`（市局管理员）。"""

    queryset = Rubric.objects.order_by("-year", "-version")
    serializer_class = RubricSerializer
    filterset_class = RubricFilter
    prefetch_related = (Prefetch("groups", queryset=RubricGroup.objects.prefetch_related("items")),)
    export_filename = "考评赋分表"
    export_columns = RUBRIC_COLUMNS

    def _city_admin(self, request):
        roles.require_city_admin(request.user, "修改考评赋分表")

    def _rubric_response(self, rubric, code=status.HTTP_200_OK):
        rubric = self.get_queryset().get(pk=rubric.pk)
        return Response(RubricSerializer(rubric).data, status=code)

    @extend_schema(
        request=RubricMaximaSerializer,
        responses={200: RubricSerializer, 201: RubricSerializer},
        summary="修改分值（同时修改多个分组分值和考评项满分；须保持各组合计一致、总分100分）",
        description="与年度设定页相同的规则（assessment.years.update_rubric_maxima）。已用于已发布月份的版本不修改，"
        "而生成新版本（201）；未锁定月份须经 `adopt` 改用新版本。",
    )
    @action(detail=True, methods=["post"])
    def maxima(self, request, pk=None):
        self._city_admin(request)
        rubric = self.get_object()
        body = RubricMaximaSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        result = years.update_rubric_maxima(
            rubric, user=request.user, groups=data.get("groups", {}), items=data.get("items", {}), note=data["note"]
        )
        code = status.HTTP_201_CREATED if result.pk != rubric.pk else status.HTTP_200_OK
        return self._rubric_response(result, code)

    @extend_schema(
        request=AdoptSerializer,
        responses=AdoptResultSerializer,
        summary="未锁定月份改用本版本（须填写理由，逐月留痕并重新计分）",
    )
    @action(detail=True, methods=["post"])
    def adopt(self, request, pk=None):
        self._city_admin(request)
        rubric = self.get_object()
        body = AdoptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        moved = services.adopt_rubric_version(
            rubric.year, rubric.version, user=request.user, reason=body.validated_data["reason"]
        )
        return Response(
            {
                "rubric": rubric.pk,
                "moved": len(moved),
                "submissions": [
                    {"id": s.pk, "county": s.county.name, "year": s.year, "month": s.month, "score": s.score}
                    for s in moved
                ],
            }
        )


class RubricItemViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """考评项。市局管理员可修改（services.update_rubric_item）：满分不能单独修改（各组合计须一致、总分100分，
    请用 `rubrics/{id}/maxima/`）；已用于发布月份的版本生成新版本承接修改，未锁定月份不随之改变。"""

    queryset = RubricItem.objects.order_by("rubric", "order")
    serializer_class = RubricItemSerializer
    filterset_class = RubricItemFilter
    select_related = ("group",)
    export_filename = "考评项"
    export_columns = RUBRIC_ITEM_COLUMNS

    def perform_update(self, serializer):
        item = services.update_rubric_item(
            serializer.instance,
            dict(serializer.validated_data),
            user=self.request.user,
            note=str(self.request.data.get("note", "")),
        )
        serializer.instance = item


def _target_errors(exc: DjangoValidationError) -> dict:
    """years.save_targets keys its errors ``<county pk>_<field>`` (the page's cells); the API names the field."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
    out: dict[str, list[str]] = {}
    for key, messages in errors.items():
        field = key.split("_", 1)[1] if key.split("_", 1)[0].isdigit() else key
        out.setdefault("non_field_errors" if field == "__all__" else field, []).extend(messages)
    return out


class AnnualTargetViewSet(ScopedModelViewSet):
    """年度目标任务（附件1）。所有登录用户可读，市局管理员维护：与年度设定页同一规则（assessment.years.save_targets：
    全部校验通过才保存，逐项留痕，本县未锁定月份重新计分）。"""

    queryset = AnnualTarget.objects.order_by("-year", "county__order")
    serializer_class = AnnualTargetSerializer
    filterset_class = AnnualTargetFilter
    select_related = ("county__parent__parent",)
    export_filename = "年度目标任务"
    export_columns = TARGET_COLUMNS

    def _save(self, request, county, year, target=None):
        if not isinstance(request.data, dict):
            raise serializers.ValidationError({"non_field_errors": ["请提交年度目标任务（JSON 对象）。"]})
        partial = target is not None and request.method == "PATCH"
        values = {}
        for field in years.TARGET_FIELDS:  # as the page posts them: every field, blank when not given
            if field in request.data:
                values[field] = request.data.get(field)
            elif partial:
                current = getattr(target, field)
                values[field] = "" if current is None else str(current)
            else:
                values[field] = ""
        if "final_target_score" in request.data:
            values["final_target_score"] = request.data.get("final_target_score")
        try:
            years.save_targets(year, user=request.user, rows={county: values})
        except DjangoValidationError as exc:
            raise serializers.ValidationError(_target_errors(exc))
        return AnnualTarget.objects.get(county_id=county, year=year)

    def create(self, request, *args, **kwargs):
        roles.require_city_admin(request.user, "设定年度目标任务")
        data = request.data if isinstance(request.data, dict) else {}
        county, year = data.get("county"), data.get("year")
        if county in (None, "") or not str(county).isdigit():
            raise serializers.ValidationError({"county": ["请选择县（市、区）。"]})
        if str(year or "").isdigit() and AnnualTarget.objects.filter(county_id=int(county), year=int(year)).exists():
            raise serializers.ValidationError({"county": [f"该县（市、区）{year}年已有目标任务，请修改（PATCH）。"]})
        target = self._save(request, str(county), year)
        return Response(self.get_serializer(self._reload(target)).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        target = self.get_object()
        data = request.data if isinstance(request.data, dict) else {}
        for field, current in (("county", target.county_id), ("year", target.year)):
            if field in data and str(data[field]) != str(current):
                raise serializers.ValidationError({field: ["不能修改目标任务的县（市、区）和年度。"]})
        target = self._save(request, str(target.county_id), target.year, target)
        return Response(self.get_serializer(self._reload(target)).data)

    def _reload(self, target):
        return self.get_queryset().get(pk=target.pk)


class SubmissionViewSet(ScopedModelViewSet):
    """月度考评报送。县局只能读写本县的报送；市局审核、退回、发布、重新打开。"""

    queryset = Submission.objects.order_by("-year", "-month", "county__order")
    serializer_class = SubmissionSerializer
    filterset_class = SubmissionFilter
    read_roles = roles.MANAGERS
    write_roles = roles.MANAGERS
    select_related = ("county",)
    prefetch_related = (
        Prefetch("item_scores", queryset=ItemScore.objects.select_related("item").order_by("item__order")),
        "adjustments",
        Prefetch("comments", queryset=ReviewComment.objects.select_related("item")),
    )
    # The list: one row per submission without its item scores, adjustments and comments (see the detail).
    list_serializer_class = SubmissionListSerializer
    list_prefetch_related = ()
    ordering_fields = ["year", "month", "score", "first_submitted_at"]
    export_filename = "月度考评报送"
    export_columns = SUBMISSION_COLUMNS

    def _notes(self):
        notes = self.request.data.get("correction_notes") or {}
        return notes if isinstance(notes, dict) else {}

    def perform_create(self, serializer):
        user = self.request.user
        if not user.is_county_staff:
            raise PermissionDenied("只有县局工作人员可以新建本县的月度考评。")
        data = dict(serializer.validated_data)
        data.pop("correction_notes", None)
        sub = services.get_or_create_submission(user.region, data.pop("year"), data.pop("month"), user=user)
        if data:
            sub = services.update_submission(sub, data, user=user, notes=self._notes())
        serializer.instance = sub

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("correction_notes", None)
        serializer.instance = services.update_submission(
            serializer.instance, data, user=self.request.user, notes=self._notes()
        )

    def _respond(self, sub):
        sub = self.get_queryset().get(pk=sub.pk)
        return Response(self.get_serializer(sub).data)

    @extend_schema(request=None, responses=SubmissionSerializer, summary="报送市局")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._respond(services.submit(self.get_object(), user=request.user))

    @extend_schema(request=ReturnSerializer, responses=SubmissionSerializer, summary="退回修改（逐项意见）")
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        body = ReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        sub = services.return_submission(
            self.get_object(),
            user=request.user,
            comments=body.validated_data.get("comments", {}),
            general=body.validated_data.get("general", ""),
        )
        return self._respond(sub)

    @extend_schema(request=None, responses=SubmissionSerializer, summary="审核通过（锁定）")
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._respond(services.approve(self.get_object(), user=request.user))

    @extend_schema(request=None, responses=SubmissionSerializer, summary="发布")
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._respond(services.publish(self.get_object(), user=request.user))

    @extend_schema(request=ManualScoreSerializer, responses=SubmissionSerializer, summary="评定人工评分项（市局）")
    @action(detail=True, methods=["post"], url_path="manual-score")
    def manual_score(self, request, pk=None):
        body = ManualScoreSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        return self._respond(
            services.set_manual_score(
                self.get_object(), user=request.user, code=data["code"], value=data["value"], reason=data["reason"]
            )
        )

    @extend_schema(request=ReasonSerializer, responses=SubmissionSerializer, summary="重新打开（须填写理由）")
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._respond(
            services.reopen(self.get_object(), user=request.user, reason=body.validated_data["reason"])
        )

    @extend_schema(request=None, responses=SubmissionSerializer, summary="由已接收的项目月报预填面积")
    @action(detail=True, methods=["post"])
    def prefill(self, request, pk=None):
        services.prefill_from_projects(self.get_object(), user=request.user)
        return self._respond(self.get_object())


class EvidenceViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """印证材料：上传（multipart：submission、item、file）、列表、下载、删除。只能访问本县的材料。"""

    queryset = Evidence.objects.order_by("submission", "item__order", "uploaded_at")
    serializer_class = EvidenceSerializer
    filterset_class = EvidenceFilter
    read_roles = roles.MANAGERS
    write_roles = roles.COUNTY_STAFF
    select_related = ("item",)
    export_filename = "印证材料"
    export_columns = EVIDENCE_COLUMNS

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.upload_evidence(
            data["submission"], data["item"]["code"], data["file"], user=self.request.user
        )

    def perform_destroy(self, instance):
        services.delete_evidence(instance, user=self.request.user)

    @extend_schema(responses={(200, "application/octet-stream"): bytes}, summary="下载文件")
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        evidence = self.get_object()
        try:
            handle = evidence.file.open("rb")
        except FileNotFoundError:
            raise Http404
        return FileResponse(handle, content_type=evidence.content_type, filename=evidence.original_name)


class AdjustmentViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """行政绩效加减分（市局管理员录入，县局可查看本县的）。"""

    queryset = Adjustment.objects.order_by("submission", "created_at")
    serializer_class = AdjustmentSerializer
    filterset_class = AdjustmentFilter
    read_roles = roles.MANAGERS
    export_filename = "行政绩效加减分"
    export_columns = ADJUSTMENT_COLUMNS

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.add_adjustment(
            data["submission"], user=self.request.user, points=data["points"], reason=data["reason"]
        )

    def perform_destroy(self, instance):
        services.delete_adjustment(instance, user=self.request.user, reason=self.request.query_params.get("reason", ""))


class DeadlineExceptionViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """逾期豁免（市局管理员批准，写明理由和延至时间）。"""

    queryset = DeadlineException.objects.order_by("-year", "-month", "county__order")
    serializer_class = DeadlineExceptionSerializer
    filterset_class = DeadlineExceptionFilter
    read_roles = roles.MANAGERS
    select_related = ("county",)
    export_filename = "逾期豁免"
    export_columns = EXCEPTION_COLUMNS

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = services.grant_exception(
            d["county"],
            d["year"],
            d["month"],
            user=self.request.user,
            new_deadline=d["new_deadline"],
            reason=d["reason"],
        )


class AuditEntryViewSet(ScopedReadOnlyViewSet):
    """变更记录（谁、何时、原值 → 新值、原因）。"""

    queryset = AuditEntry.objects.order_by("-at", "-pk")
    serializer_class = AuditEntrySerializer
    filterset_class = AuditEntryFilter
    read_roles = roles.MANAGERS
    select_related = ("county", "actor")
    export_filename = "考评变更记录"
    export_columns = AUDIT_COLUMNS


def _int_param(request, name, default=None, lo=None, hi=None):
    raw = request.query_params.get(name)
    if raw in (None, ""):
        if default is None:
            raise serializers.ValidationError({name: "必填。"})
        return default
    try:
        value = int(raw)
    except ValueError:
        raise serializers.ValidationError({name: "请输入整数。"})
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise serializers.ValidationError({name: f"应在{lo}-{hi}之间。"})
    return value


class StaffOnly(IsAuthenticated):
    def has_permission(self, request, view):
        return roles.has_role(request.user, roles.MANAGERS)


class MonthlyRankingView(APIView):
    """月度排名：并列同名次，与上月相比的名次变化，逾期/未报送标注。县局只看到已发布的得分。"""

    permission_classes = [StaffOnly]

    @extend_schema(
        parameters=[OpenApiParameter("year", int, required=True), OpenApiParameter("month", int, required=True)],
        responses=RankingRowSerializer(many=True),
    )
    def get(self, request):
        year = _int_param(request, "year", lo=2000, hi=2100)
        month = _int_param(request, "month", lo=1, hi=12)
        rows = ranking.monthly_ranking(year, month, audience=ranking.audience_for(request.user))
        if request.query_params.get("format_") == "xlsx" or request.query_params.get("export") == "xlsx":
            return xlsx_response(f"{year}年{month}月考评排名", [(f"{month}月排名", RANKING_COLUMNS, rows)])
        return Response({"year": year, "month": month, "results": RankingRowSerializer(rows, many=True).data})


class AnnualScoresView(APIView):
    """年度得分 = 全年目标任务得分 × 80% + 月度考核平均分 × 20%（权重为配置项），含等次。"""

    permission_classes = [StaffOnly]

    @extend_schema(parameters=[OpenApiParameter("year", int, required=True)], responses=AnnualRowSerializer(many=True))
    def get(self, request):
        year = _int_param(request, "year", lo=2000, hi=2100)
        rows = ranking.annual_scores(year, audience=ranking.audience_for(request.user))
        if request.query_params.get("export") == "xlsx":
            return xlsx_response(f"{year}年度考评得分", [("年度得分", ANNUAL_COLUMNS, rows)])
        return Response({"year": year, "results": AnnualRowSerializer(rows, many=True).data}, status=status.HTTP_200_OK)
