"""Thin viewsets: scope via the base viewset, input via serializers, every rule in evaluation.services."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts import roles
from core.api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet
from evaluation import results, services
from evaluation.api import serializers as s
from evaluation.exports import (
    EVALUATION_COLUMNS,
    EXPERT_EVALUATION_COLUMNS,
    LIBRARY_COLUMNS,
    SCORE_SHEET_COLUMNS,
    TEMPLATE_COLUMNS,
    VETO_COLUMNS,
)
from evaluation.filters import (
    CriteriaTemplateFilter,
    LibraryProjectFilter,
    ScoreSheetFilter,
    VetoItemFilter,
    evaluation_filter_for,
)
from evaluation.models import CriteriaTemplate, Evaluation, ScoreSheet, VetoItem
from projects.choices import LIBRARY_STATUSES
from projects.models import Project


def _s(value):
    """Decimals as strings in hand-built JSON, like DRF's DecimalField (no float rounding)."""
    return None if value is None else str(value)


class CriteriaTemplateViewSet(ScopedModelViewSet):
    """评价标准（按工程类别和版本）。市局管理员可新增版本和修改；已被评价使用的版本修改时生成新版本（201）。"""

    queryset = CriteriaTemplate.objects.order_by("category", "-version")
    serializer_class = s.CriteriaTemplateSerializer
    filterset_class = CriteriaTemplateFilter
    prefetch_related = ("elements__items",)
    ordering_fields = ["category", "version", "created_at"]
    export_filename = "评价标准"
    export_columns = TEMPLATE_COLUMNS

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return s.CriteriaTemplateWriteSerializer
        return s.CriteriaTemplateSerializer

    def _out(self, template, code):
        template = CriteriaTemplate.objects.prefetch_related("elements__items").get(pk=template.pk)
        return Response(s.CriteriaTemplateSerializer(template).data, status=code)

    @extend_schema(request=s.CriteriaTemplateWriteSerializer, responses={201: s.CriteriaTemplateSerializer})
    def create(self, request, *args, **kwargs):
        data = self._validated(request)
        if not data.get("category"):
            return Response({"category": ["请选择工程类别。"]}, status=status.HTTP_400_BAD_REQUEST)
        template = services.create_template(
            data["category"], data["elements"], user=request.user, name=data["name"], note=data["note"]
        )
        return self._out(template, status.HTTP_201_CREATED)

    @extend_schema(request=s.CriteriaTemplateWriteSerializer, responses={200: s.CriteriaTemplateSerializer})
    def update(self, request, *args, **kwargs):
        current = self.get_object()
        data = self._validated(request)
        result = services.edit_template(
            current, data["elements"], user=request.user, name=data["name"], note=data["note"]
        )
        return self._out(result, status.HTTP_201_CREATED if result.pk != current.pk else status.HTTP_200_OK)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, **kwargs)

    def _validated(self, request):
        serializer = s.CriteriaTemplateWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class VetoItemViewSet(ScopedModelViewSet):
    """一票否决项。市局管理员可启用或停用（``is_active``）。"""

    queryset = VetoItem.objects.order_by("order", "pk")
    serializer_class = s.VetoItemSerializer
    filterset_class = VetoItemFilter
    http_method_names = ["get", "patch", "head", "options"]
    export_filename = "一票否决项"
    export_columns = VETO_COLUMNS

    def partial_update(self, request, *args, **kwargs):
        veto = self.get_object()
        serializer = self.get_serializer(veto, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if "is_active" in serializer.validated_data:
            services.set_veto_active(veto, serializer.validated_data["is_active"], user=request.user)
        return Response(self.get_serializer(veto).data)


class EvaluationViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """精品工程评价。县局为本县项目发起评价、指派专家、结束评价、确定示范项目；专家只看到自己参评的评价。"""

    queryset = Evaluation.objects.order_by("-year", "-opened_at", "-pk")
    serializer_class = s.EvaluationSerializer
    select_related = ("project", "project__county", "template")
    prefetch_related = ("panel__expert__enterprise", "sheets")
    list_prefetch_related = ()  # the list shows panel_size/submitted_count (annotations), not the panel
    write_roles = roles.MANAGERS
    export_filename = "精品工程评价"

    # An expert's list, filters, ordering and export show the task, never the result (the county publishes it).
    @property
    def _expert(self) -> bool:
        request = getattr(self, "request", None)
        return bool(request and getattr(request.user, "is_expert", False))

    @property
    def filterset_class(self):
        return evaluation_filter_for(getattr(getattr(self, "request", None), "user", None))

    @property
    def ordering_fields(self):
        return ["year", "due_date"] if self._expert else ["year", "due_date", "total_score"]

    @property
    def export_columns(self):
        return EXPERT_EVALUATION_COLUMNS if self._expert else EVALUATION_COLUMNS

    def get_queryset(self):
        return super().get_queryset().with_counts()

    def get_serializer_class(self):
        if self.action == "create":
            return s.EvaluationCreateSerializer
        if getattr(self.request.user, "is_expert", False):
            return s.ExpertEvaluationSerializer
        return s.EvaluationListSerializer if self._listing() else s.EvaluationSerializer

    def _out(self, evaluation, code=status.HTTP_200_OK):
        evaluation = self.get_queryset().get(pk=evaluation.pk)
        return Response(
            self.get_serializer_class()(evaluation, context=self.get_serializer_context()).data, status=code
        )

    @extend_schema(request=s.EvaluationCreateSerializer, responses={201: s.EvaluationSerializer})
    def create(self, request, *args, **kwargs):
        serializer = s.EvaluationCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        evaluation = services.open_evaluation(
            data["project"], user=request.user, year=data["year"], due_date=data["due_date"], experts=data["experts"]
        )
        return Response(s.EvaluationSerializer(self.get_queryset().get(pk=evaluation.pk)).data, status=201)

    @extend_schema(request=s.ExpertRefSerializer, responses={200: s.EvaluationSerializer})
    @action(detail=True, methods=["post"], url_path="panel")
    def add_expert(self, request, pk=None):
        """把一名专家加入评审组（回避审查：工作单位参建本项目的专家被拒绝并说明原因）。"""
        evaluation = self.get_object()
        ref = s.ExpertRefSerializer(data=request.data)
        ref.is_valid(raise_exception=True)
        services.assign_expert(evaluation, ref.validated_data["expert"], user=request.user)
        return self._out(evaluation)

    @extend_schema(request=s.ExpertRefSerializer, responses={200: s.EvaluationSerializer})
    @action(detail=True, methods=["post"], url_path="panel/remove")
    def remove_expert(self, request, pk=None):
        evaluation = self.get_object()
        ref = s.ExpertRefSerializer(data=request.data)
        ref.is_valid(raise_exception=True)
        services.remove_expert(evaluation, ref.validated_data["expert"], user=request.user)
        return self._out(evaluation)

    @extend_schema(request=None, responses={200: s.EvaluationSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """结束评价：至少3份已提交评分表；计算结果、核查一票否决项并更新项目精品工程状态。"""
        evaluation = services.close_evaluation(self.get_object(), user=request.user)
        return self._out(evaluation)

    @extend_schema(request=None, responses={200: s.EvaluationSerializer})
    @action(detail=True, methods=["post"])
    def demonstration(self, request, pk=None):
        """确定为示范项目（每县每类别每年最多2个）。"""
        evaluation = services.designate_demonstration(self.get_object(), user=request.user)
        return self._out(evaluation)

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def result(self, request, pk=None):
        """评价结果：总分、各要素和各评分项得分、偏离提示、一票否决项。"""
        evaluation = self.get_object()
        if request.user.is_expert:
            return Response({"detail": "评审专家只能查看本人的评分表。"}, status=403)
        table = results.result_table(evaluation, with_sheets=False)
        return Response(
            {
                "status": evaluation.status,
                "result": evaluation.result,
                "result_display": evaluation.get_result_display(),
                "total_score": _s(evaluation.total_score),
                "pass_threshold": _s(evaluation.pass_threshold),
                "median_total": _s(evaluation.median_total),
                "vetoes": evaluation.vetoes,
                "fail_reasons": evaluation.fail_reasons,
                "demonstration": evaluation.demonstration,
                "elements": [
                    {
                        "element": e.code,
                        "name": e.name,
                        "weight": _s(e.weight),
                        "minimum": _s(e.minimum),
                        "score": _s(e.score),
                        "items": [
                            {"id": i.pk, "text": i.text, "max_score": _s(i.max_score), "score": _s(i.score)}
                            for i in e.items
                        ],
                    }
                    for e in table["elements"]
                ],
                "sheets": [
                    {
                        "id": r.sheet.pk,
                        "expert": r.expert.pk,
                        "total": _s(r.sheet.total),
                        "flagged": r.sheet.flagged,
                        "dropped": r.sheet.dropped,
                    }
                    for r in results.panel_rows(evaluation)
                    if r.submitted
                ],
            }
        )

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def report(self, request, pk=None):
        """评价报告（PDF）。"""
        evaluation = self.get_object()
        if request.user.is_expert:
            return Response({"detail": "评审专家不能下载评价报告。"}, status=403)
        response = HttpResponse(results.render_pdf(evaluation), content_type="application/pdf")
        name = quote(f"精品工程评价报告-{evaluation.project.code}-{evaluation.year}.pdf")
        response["Content-Disposition"] = f"attachment; filename=\"report.pdf\"; filename*=UTF-8''{name}"
        return response


class ScoreSheetViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedReadOnlyViewSet):
    """评分表。专家只看到并填写本人的评分表：创建（每次评价一张）、保存草稿（PATCH）、提交（submit）。"""

    queryset = ScoreSheet.objects.order_by("evaluation", "submitted_at", "pk")
    serializer_class = s.ScoreSheetSerializer
    filterset_class = ScoreSheetFilter
    select_related = ("expert",)
    prefetch_related = ("scores",)
    write_roles = roles.EXPERTS
    http_method_names = ["get", "post", "patch", "head", "options"]
    export_filename = "评分表"
    export_columns = SCORE_SHEET_COLUMNS

    def _out(self, sheet, code=status.HTTP_200_OK):
        sheet = self.get_queryset().get(pk=sheet.pk)
        return Response(s.ScoreSheetSerializer(sheet).data, status=code)

    @extend_schema(request=s.ScoreSheetCreateSerializer, responses={201: s.ScoreSheetSerializer})
    def create(self, request, *args, **kwargs):
        serializer = s.ScoreSheetCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        sheet = services.start_sheet(serializer.validated_data["evaluation"], request.user)
        return self._out(sheet, status.HTTP_201_CREATED)

    @extend_schema(request=s.ScoreSheetWriteSerializer, responses={200: s.ScoreSheetSerializer})
    def partial_update(self, request, *args, **kwargs):
        """保存草稿：部分或全部得分与评审意见。"""
        sheet = self.get_object()
        data = self._write_data(request)
        services.save_sheet(sheet, request.user, scores=data.get("scores"), comment=data.get("comment"))
        return self._out(sheet)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(request=s.ScoreSheetWriteSerializer, responses={200: s.ScoreSheetSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """提交评分表（可同时带上得分）：所有评分项须已评分；提交后只读。"""
        sheet = self.get_object()
        data = self._write_data(request)
        services.submit_sheet(sheet, request.user, scores=data.get("scores"), comment=data.get("comment"))
        return self._out(sheet)

    def _write_data(self, request):
        serializer = s.ScoreSheetWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class LibraryViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """精品工程项目库：在库项目（培育中、已评定、示范）；POST {project} 将项目纳入项目库（培育中）。"""

    schema_name = "精品工程库项目"

    queryset = Project.objects.order_by("-year", "code")
    serializer_class = s.LibraryProjectSerializer
    filterset_class = LibraryProjectFilter
    select_related = ("county",)
    read_roles = roles.MANAGERS
    write_roles = roles.MANAGERS
    export_filename = "精品工程项目库"
    export_columns = LIBRARY_COLUMNS

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action == "list" or self.action == "export":
            qs = qs.filter(jingpin_status__in=LIBRARY_STATUSES)
        return qs

    @extend_schema(request=s.LibraryAddSerializer, responses={201: s.LibraryProjectSerializer})
    def create(self, request, *args, **kwargs):
        serializer = s.LibraryAddSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        project = services.add_to_library(serializer.validated_data["project"], user=request.user)
        project = Project.objects.select_related("county").get(pk=project.pk)
        return Response(s.LibraryProjectSerializer(project).data, status=status.HTTP_201_CREATED)
