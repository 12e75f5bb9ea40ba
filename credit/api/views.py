"""The credit API: scope, eager loading and export come from the base viewsets; every write goes to credit.services
(their Chinese ValidationErrors are 400s, PermissionDenied 403, anything out of scope 404: core.api.exceptions)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from accounts import roles
from accounts.models import Enterprise
from core.api.permissions import RolePermission
from core.api.serializers import ErrorDetailSerializer
from core.api.viewsets import ScopedReadOnlyViewSet
from core.exports import XLSX_CONTENT_TYPE, csv_response, xlsx_response
from credit import scoring, services
from credit.api import serializers as s
from credit.choices import Grade
from credit.exports import APPEAL_COLUMNS, RULE_COLUMNS, STANDING_COLUMNS, entry_columns
from credit.filters import CreditAppealFilter, CreditEntryFilter, CreditRuleFilter, CreditStandingFilter, day_of
from credit.models import CreditAppeal, CreditEntry, CreditRule, CreditStanding
from credit.querysets import may_read_record

FEED_FILETYPES = ("xlsx", "csv")
FEED_DESCRIPTION = (
    "供省级建筑市场监管与诚信一体化平台交换的信用记录数据：与信用记录列表相同的范围和筛选条件（单位、统一社会信用代码、"
    "行为类别、性质、严重程度、状态及状态日期 on、认定日期范围、认定县），导出全部行。\n\n"
    "格式：filetype=xlsx（默认，Excel 工作簿）或 filetype=csv（UTF-8 带 BOM，逗号分隔，首行为列名；分值保留两位小数，"
    "日期为 YYYY-MM-DD）。\n\n"
    "列：统一社会信用代码、单位名称、行为类别代码（见 behaviour 枚举，如 constraint_major、penalty、award）、行为类别、"
    "性质（良好行为/不良行为）、严重程度（一般/较重/严重，良好行为为空）、文号、认定日期、有效期至、分值（加分为正，"
    "扣分为负）、状态（有效/尚未生效/已过期/申诉撤销，按 on 日期判断，默认今天）、来源（奖励记录、约束记录等）。"
)
RULE_DESCRIPTION = (
    "市局管理员修订信用评价规则：提交完整的规则内容（格式同现行版本，见 GET credit-rules/{id}/ 的 data）、修订说明和"
    "生效日期（默认今天，不能早于今天）。生成新版本，旧版本及其计算的信用分保留；自生效日起全部信用记录按新版本重新计分。"
    "规则不合法时返回 400 和中文说明，不生成新版本。"
)


class CreditEntryViewSet(ScopedReadOnlyViewSet):
    """信用记录（诚信档案的良好和不良行为）。市局、县局看全部单位；参建单位只看本单位。"""

    queryset = CreditEntry.objects.order_by("-occurred_on", "-pk")
    serializer_class = s.CreditEntrySerializer
    filterset_class = CreditEntryFilter
    select_related = ("enterprise", "rule", "county")
    ordering_fields = ["occurred_on", "valid_until", "points", "created_at"]
    read_roles = roles.MANAGERS_AND_UNITS
    export_filename = "信用记录交换数据"

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "day": day_of(self.request.query_params)}

    @extend_schema(
        summary="导出信用记录交换数据（Excel 或 CSV，与列表相同的筛选条件，全部行）",
        description=FEED_DESCRIPTION,
        filters=True,
        parameters=[
            OpenApiParameter(
                "filetype", str, enum=list(FEED_FILETYPES), default="xlsx", description="文件格式：xlsx（默认）或 csv"
            )
        ],
        responses={
            (200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY,
            (200, "text/csv"): OpenApiTypes.BINARY,
            400: OpenApiResponse(description="筛选条件或文件格式不正确（中文说明）"),
        },
    )
    @action(detail=False, methods=["get"], url_path="export")
    def export(self, request, *args, **kwargs):
        filetype = request.query_params.get("filetype") or "xlsx"
        if filetype not in FEED_FILETYPES:
            raise ValidationError({"filetype": ["文件格式应为 xlsx 或 csv。"]})
        rows = self.filter_queryset(self.get_queryset())
        columns = entry_columns(day_of(request.query_params))
        if filetype == "csv":
            return csv_response(self.export_filename, columns, rows.iterator(chunk_size=2000))
        return xlsx_response(self.export_filename, [("信用记录", columns, rows.iterator(chunk_size=2000))])


class CreditStandingViewSet(ScopedReadOnlyViewSet):
    """当前信用等级（有过信用记录的单位，每单位一行；没有信用记录的单位为基础分）。按信用分从高到低。"""

    queryset = CreditStanding.objects.order_by("-score", "enterprise_id")
    # the key is the enterprise's: a foreign key, whose lookup has no range check of its own (an id of 20 digits
    # would overflow the database's integer instead of being not found)
    lookup_value_regex = "[0-9]{1,18}"
    serializer_class = s.CreditStandingSerializer
    filterset_class = CreditStandingFilter
    select_related = ("enterprise", "rule")
    ordering_fields = ["score", "grade", "since"]
    read_roles = roles.MANAGERS_AND_UNITS
    export_filename = "信用等级"
    export_columns = STANDING_COLUMNS


class EnterpriseCreditView(GenericAPIView):
    """单位某日的信用分和信用等级（如招标日）：该日信用档案显示的分数、等级和计分规则版本。"""

    permission_classes = [RolePermission]
    read_roles = roles.MANAGERS_AND_UNITS
    serializer_class = s.EnterpriseCreditSerializer
    queryset = Enterprise.objects.all()

    @extend_schema(
        summary="单位某日的信用分和信用等级",
        parameters=[OpenApiParameter("on", OpenApiTypes.DATE, description="日期（默认今天，不能晚于今天），如招标日")],
        responses={
            200: s.EnterpriseCreditSerializer,
            404: OpenApiResponse(ErrorDetailSerializer, "单位不存在或无权查看"),
        },
    )
    def get(self, request, pk: int):
        enterprise = get_object_or_404(Enterprise.objects.only("pk", "name", "credit_code"), pk=pk)
        if not may_read_record(request.user, enterprise):
            raise Http404  # another enterprise's record: not found, so its existence does not leak
        params = s.OnDaySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        day = params.validated_data.get("on") or timezone.localdate()
        standing, row = services.standing_on(enterprise, day)
        rule = row.rule if row is not None else services.current_rule(day)
        body = {
            "enterprise": enterprise.pk,
            "enterprise_name": enterprise.name,
            "credit_code": enterprise.credit_code,
            "on": day,
            "score": standing.score,
            "grade": standing.grade,
            "grade_display": Grade(standing.grade).label,
            "major_in_force": standing.major,
            "entries_in_force": standing.in_force,
            "blacklisted": scoring.on_blacklist(standing.grade, standing.major),
            "redlisted": scoring.on_redlist(standing.grade, standing.major),
            "watched": scoring.under_watch(standing.grade),
            "rule_version": rule.version,
            "since": row.as_of if row is not None else None,
        }
        return Response(s.EnterpriseCreditSerializer(body).data)


class CreditAppealViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """信用修复申诉。参建单位对本单位有效期内的不良行为记录提出申诉（附证明材料）；该记录所属县（市、区）住建部门
    （无所属县的由市局）处理：撤销或维持，并说明理由。县局看本县的申诉，参建单位看本单位的申诉。"""

    queryset = CreditAppeal.objects.order_by("-submitted_at", "-pk")
    serializer_class = s.CreditAppealSerializer
    filterset_class = CreditAppealFilter
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    select_related = ("entry", "enterprise", "submitted_by", "decided_by")
    prefetch_related = ("documents",)
    ordering_fields = ["submitted_at", "decided_at", "status"]
    read_roles = roles.MANAGERS_AND_UNITS
    write_roles = roles.MANAGERS_AND_UNITS
    export_filename = "信用修复申诉"
    export_columns = APPEAL_COLUMNS

    def _detail(self, appeal, code=status.HTTP_200_OK):
        appeal = self.get_queryset().get(pk=appeal.pk)
        return Response(self.get_serializer(appeal).data, status=code)

    @extend_schema(
        summary="提出信用修复申诉（参建单位，附证明材料）",
        request={"multipart/form-data": s.AppealInputSerializer, "application/json": s.AppealInputSerializer},
        responses={
            201: s.CreditAppealSerializer,
            403: OpenApiResponse(ErrorDetailSerializer, "不是该记录所属单位的用户"),
        },
    )
    def create(self, request, *args, **kwargs):
        data = s.AppealInputSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        appeal = services.submit_appeal(
            data.validated_data["entry"],
            user=request.user,
            reasons=data.validated_data["reasons"],
            files=data.validated_data["documents"],
        )
        return self._detail(appeal, status.HTTP_201_CREATED)

    @extend_schema(
        summary="处理信用修复申诉（撤销或维持该记录）",
        request=s.DecisionInputSerializer,
        responses={
            200: s.CreditAppealSerializer,
            403: OpenApiResponse(ErrorDetailSerializer, "不是该记录所属县（市、区）住建部门或市局"),
        },
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        appeal = self.get_object()
        data = s.DecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.decide_appeal(appeal, user=request.user, **data.validated_data)
        return self._detail(appeal)


class CreditRuleViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """信用评价规则的各个版本（市局、县局可查看）。市局管理员新建 = 修订规则（生成新版本）。"""

    queryset = CreditRule.objects.order_by("-version")
    serializer_class = s.CreditRuleSerializer
    filterset_class = CreditRuleFilter
    select_related = ("created_by",)
    read_roles = roles.MANAGERS
    write_roles = roles.CITY_ADMINS
    export_filename = "信用评价规则"
    export_columns = RULE_COLUMNS

    def get_queryset(self):
        # The rule is the bureau's published reference data: every version, to whoever ``read_roles`` admits.
        return CreditRule.objects.order_by("-version").select_related(*self.select_related)

    @extend_schema(
        summary="修订信用评价规则（生成新版本，市局管理员）",
        description=RULE_DESCRIPTION,
        request=s.RuleInputSerializer,
        responses={
            201: s.CreditRuleSerializer,
            403: OpenApiResponse(ErrorDetailSerializer, "只有市局管理员可以修订信用评价规则"),
        },
    )
    def create(self, request, *args, **kwargs):
        data = s.RuleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rule = services.adopt_rule(
            data.validated_data["data"],
            user=request.user,
            note=data.validated_data["note"],
            effective_from=data.validated_data.get("effective_from"),
        )
        return Response(self.get_serializer(rule).data, status=status.HTTP_201_CREATED)
