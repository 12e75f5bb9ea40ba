"""API viewsets: scope, eager loading and Excel export come from the base viewsets; writes go to services."""

from __future__ import annotations

from django.db.models import Count, Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts import roles
from accounts.models import Enterprise
from awards import services
from awards.api.serializers import (
    AwardRecordSerializer,
    AwardSerializer,
    AwardValueChangeSerializer,
    AwardValueSerializer,
    DanheConfirmSerializer,
    DanheEntriesSerializer,
    DanheSelectionSerializer,
    DesignBonusSerializer,
    LedgerRowSerializer,
    SavingsBonusSerializer,
)
from awards.credit import attach_standings, with_standings
from awards.exports import (
    AWARD_RECORD_COLUMNS,
    DANHE_COLUMNS,
    DESIGN_BONUS_COLUMNS,
    SAVINGS_BONUS_COLUMNS,
    ledger_columns,
)
from awards.filters import (
    AwardFilter,
    AwardRecordFilter,
    AwardValueFilter,
    DanheSelectionFilter,
    DesignBonusFilter,
    LedgerFilter,
    SavingsBonusFilter,
)
from awards.models import Award, AwardRecord, AwardValue, DanheCandidate, DanheSelection, DesignBonus, SavingsBonus
from awards.querysets import cached_ledger_rows
from awards.views import ledger_scope
from core.api.history import history_action
from core.api.viewsets import ScopedReadOnlyViewSet, ScopedViewSetMixin
from core.exports import Column


class CreateListRetrieveViewSet(
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Records are kept as granted: no update, no delete."""


class AwardViewSet(ScopedReadOnlyViewSet):
    """奖项目录（含各时期的积分和奖金标准）。市局管理员可通过 change-values 按生效日期调整。"""

    queryset = Award.objects.order_by("order", "pk")
    serializer_class = AwardSerializer
    filterset_class = AwardFilter
    prefetch_related = (Prefetch("values", queryset=AwardValue.objects.order_by("-effective_from")),)
    write_roles = roles.CITY_ADMINS
    export_filename = "奖项目录"
    export_columns = [Column("级别", "get_level_display"), Column("奖项", "name"), Column("全称", "full_name")]

    @extend_schema(request=AwardValueChangeSerializer, responses={201: AwardValueSerializer}, summary="调整奖项标准")
    @action(detail=True, methods=["post"], url_path="change-values")
    def change_values(self, request, pk=None):
        award = self.get_object()
        data = AwardValueChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        value = services.change_award_value(user=request.user, award=award, **data.validated_data)
        return Response(AwardValueSerializer(value).data, status=status.HTTP_201_CREATED)


class AwardValueViewSet(ScopedReadOnlyViewSet):
    """奖项标准的历史（生效日期、积分、奖金）。"""

    queryset = AwardValue.objects.order_by("award__order", "-effective_from")
    serializer_class = AwardValueSerializer
    filterset_class = AwardValueFilter
    select_related = ("award",)
    export_filename = "奖项标准"
    export_columns = [
        Column("奖项", "award.name"),
        Column("生效日期", "effective_from", "date"),
        Column("积分", "points", "decimal"),
        Column("奖金（万元）", "bonus_wan", "decimal"),
        Column("依据", "basis"),
    ]


class AwardRecordViewSet(CreateListRetrieveViewSet):
    """奖励记录。市局看全部，县局看本县项目的记录，参建单位看本单位获积分或发放奖金的记录；市局、县局可登记。"""

    queryset = AwardRecord.objects.order_by("-year", "-grant_date", "-pk")
    serializer_class = AwardRecordSerializer
    filterset_class = AwardRecordFilter
    select_related = ("project__county", "award", "contractor", "builder")
    ordering_fields = ["year", "grant_date", "points", "bonus_wan"]
    read_roles = roles.MANAGERS_AND_UNITS
    write_roles = roles.MANAGERS
    export_filename = "奖励记录"
    export_columns = AWARD_RECORD_COLUMNS

    history = history_action("奖励记录变更记录")


class LedgerViewSet(ScopedReadOnlyViewSet):
    """积分台账：总承包单位按评定分离参考积分（参考年度及之前共 N 年）的全市排名。参建单位只能看到本单位。

    筛选：year（参考年度，默认当年）、level、award、county（只计该县项目的积分）、enterprise、q。
    """

    schema_name = "积分台账"

    queryset = Enterprise.objects.all()
    serializer_class = LedgerRowSerializer
    filterset_class = LedgerFilter
    ordering_fields = ["window_points", "total_points", "name", "award_count"]
    read_roles = roles.MANAGERS_AND_UNITS
    export_filename = "积分台账"

    def get_queryset(self):
        return ledger_scope(self.request.user)

    def filter_queryset(self, queryset):
        # The filtered, ranked and sorted rows as one cached list (awards.querysets.cached_ledger_rows).
        rows = cached_ledger_rows(self.request, lambda: super(LedgerViewSet, self).filter_queryset(queryset))
        return with_standings(rows) if self.action == "export" else rows  # the export's credit columns

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return attach_standings(page) if page is not None else None  # the credit grade beside the points

    def _ledger_filter(self):
        if not hasattr(self, "_filter"):
            self._filter = LedgerFilter(
                self.request.query_params or None, queryset=self.get_queryset(), request=self.request
            )
        return self._filter

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "ledger": self._ledger_filter().ledger}

    def get_object(self):
        from django.shortcuts import get_object_or_404

        ledger = self._ledger_filter().ledger
        obj = get_object_or_404(ledger.ranked(restrict_to=self.get_queryset()), pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, obj)
        attach_standings([obj])
        return obj

    @property
    def export_columns(self):
        return ledger_columns(self._ledger_filter().ledger)


class DanheSelectionViewSet(CreateListRetrieveViewSet):
    """丹河杯年度评选：发起（候选项目自动列出）、录入得分或名次及获奖数量（entries）、确认（confirm，锁定）。"""

    queryset = DanheSelection.objects.order_by("-year", "county__order")
    serializer_class = DanheSelectionSerializer
    filterset_class = DanheSelectionFilter
    select_related = ("county",)
    prefetch_related = (
        Prefetch("candidates", queryset=DanheCandidate.objects.select_related("project")),
        "award_records",
    )
    ordering_fields = ["year"]
    read_roles = roles.MANAGERS
    write_roles = roles.MANAGERS
    export_filename = "丹河杯评选"
    export_columns = DANHE_COLUMNS

    def get_queryset(self):
        return super().get_queryset().annotate(candidate_count=Count("candidates", distinct=True))

    @extend_schema(request=DanheEntriesSerializer, responses={200: DanheSelectionSerializer}, summary="录入得分/名次")
    @action(detail=True, methods=["post"])
    def entries(self, request, pk=None):
        selection = self.get_object()
        data = DanheEntriesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entries = {
            e["id"]: services.CandidateEntry(score=e.get("score"), rank=e.get("rank"), contractor=e.get("contractor"))
            for e in data.validated_data["candidates"]
        }
        services.update_danhe_selection(
            user=request.user,
            selection=selection,
            method=data.validated_data["method"],
            winners_count=data.validated_data["winners_count"],
            entries=entries,
        )
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=DanheConfirmSerializer, responses={200: DanheSelectionSerializer}, summary="确认评选结果")
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        selection = self.get_object()
        data = DanheConfirmSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.confirm_danhe_selection(user=request.user, selection=selection, **data.validated_data)
        return Response(self.get_serializer(self.get_object()).data)


class SavingsBonusViewSet(CreateListRetrieveViewSet):
    """节约奖励：建设单位确认节约金额，监理单位 5%、总承包单位 30%。"""

    queryset = SavingsBonus.objects.order_by("-confirmed_on", "-pk")
    serializer_class = SavingsBonusSerializer
    filterset_class = SavingsBonusFilter
    select_related = ("project__county", "recipient", "builder", "confirmed_by")
    ordering_fields = ["confirmed_on", "amount_saved", "bonus"]
    read_roles = roles.MANAGERS_AND_UNITS
    write_roles = roles.MANAGERS_AND_UNITS
    export_filename = "节约奖励"
    export_columns = SAVINGS_BONUS_COLUMNS


class DesignBonusViewSet(CreateListRetrieveViewSet):
    """设计优化奖励：设计费增加额 = 设计费基数 × 2 × 降低比例；预算不低于概算时为零。"""

    queryset = DesignBonus.objects.order_by("-confirmed_on", "-pk")
    serializer_class = DesignBonusSerializer
    filterset_class = DesignBonusFilter
    select_related = ("project__county", "designer", "builder", "confirmed_by")
    ordering_fields = ["confirmed_on", "reduction_percent", "fee_increase"]
    read_roles = roles.MANAGERS_AND_UNITS
    write_roles = roles.MANAGERS_AND_UNITS
    export_filename = "设计优化奖励"
    export_columns = DESIGN_BONUS_COLUMNS
