from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import roles, security, services
from accounts.api.serializers import (
    DeactivateSerializer,
    EnterpriseSerializer,
    RegionSerializer,
    SetPasswordResultSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
    UserCreatedSerializer,
    UserSerializer,
    UserWriteSerializer,
)
from accounts.exports import ENTERPRISE_COLUMNS, REGION_COLUMNS, USER_COLUMNS
from accounts.filters import EnterpriseFilter, RegionFilter, UserFilter
from accounts.models import Enterprise, Region, User
from core.api.history import history_action
from core.api.serializers import ErrorDetailSerializer
from core.api.throttling import SimpleRateThrottle
from core.api.viewsets import ScopedModelViewSet
from core.nocache import NoStoreMixin
from core.printing import public_url


class RegionViewSet(ScopedModelViewSet):
    """区域（市、县）。所有登录用户可读，市局管理员可新增和修改（建立后代码、级别、上级不变；装配式目标比例变更后重算未锁定月份）。"""

    queryset = Region.objects.order_by("level", "order", "code")
    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    ordering_fields = ["order", "code", "name"]
    export_filename = "区域"
    export_columns = REGION_COLUMNS

    def _save(self, serializer, instance):
        if instance is not None:
            instance = Region.objects.get(pk=instance.pk)
        serializer.instance = services.save_region(
            self.request.user, instance, request=self.request, channel="api", **serializer.validated_data
        )

    def perform_create(self, serializer):
        self._save(serializer, None)

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)


class EnterpriseViewSet(ScopedModelViewSet):
    """单位。所有登录用户可读（公开信息）；市局管理员可新增和修改，县局工作人员可新增和修改本县登记的单位。"""

    queryset = Enterprise.objects.order_by("name")
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilter
    select_related = ("region",)
    prefetch_related = ("kinds",)
    ordering_fields = ["name", "credit_code", "created_at"]
    export_filename = "单位"
    export_columns = ENTERPRISE_COLUMNS
    write_roles = roles.MANAGERS

    history = history_action("单位变更记录")

    def _save(self, serializer, instance):
        data = dict(serializer.validated_data)
        kinds = data.pop("kinds", None)
        if instance is not None:
            instance = Enterprise.objects.get(pk=instance.pk)
        serializer.instance = services.save_enterprise(
            self.request.user, instance, kinds=kinds, request=self.request, channel="api", **data
        )

    def perform_create(self, serializer):
        self._save(serializer, None)

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)


LINK_403 = OpenApiResponse(ErrorDetailSerializer, description="无权管理该账户")


class UserViewSet(ScopedModelViewSet):
    """用户。市局看到全部；县局看到本县工作人员和在本县活动的单位的用户；单位管理员看到本单位用户；其他人只看到自己。

    新建、修改、停用、重新启用和重置密码都按同一条规则（accounts.roles.can_manage_account）：市局管理员管理县局、
    专家和单位用户，县局管理在本县活动的单位的用户，单位管理员管理本单位其他用户。新账户和重置密码都只签发一次性
    设置密码链接，不接受管理员输入的密码。"""

    queryset = User.objects.order_by("role", "username")
    serializer_class = UserSerializer
    filterset_class = UserFilter
    select_related = ("region", "enterprise")
    ordering_fields = ["username", "role"]
    export_filename = "用户"
    export_columns = USER_COLUMNS
    write_roles = roles.ALL_ROLES  # the rule decides per account (an enterprise administrator is a unit user)

    history = history_action("用户变更记录")

    def _link_payload(self, issued):
        return {
            "password_link": public_url(issued.path, self.request),
            "link_expires_at": issued.expires_at,
        }

    @extend_schema(
        summary="新建用户（返回一次性设置密码链接）",
        request=UserWriteSerializer,
        responses={201: UserCreatedSerializer, 403: LINK_403},
    )
    def create(self, request, *args, **kwargs):
        serializer = UserWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        issued = services.create_user(request.user, request=request, channel="api", **serializer.validated_data)
        user = issued.user
        for name, value in self._link_payload(issued).items():
            setattr(user, name, value)
        return Response(UserCreatedSerializer(user).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="修改用户", request=UserWriteSerializer, responses={200: UserSerializer, 403: LINK_403})
    def update(self, request, *args, **kwargs):
        target = self.get_object()
        roles.require_can_manage_account(request.user, target)  # refused before the input is even read
        partial = kwargs.get("partial", False)
        serializer = UserWriteSerializer(target, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        target = services.update_user(
            request.user, User.objects.get(pk=target.pk), request=request, channel="api", **serializer.validated_data
        )
        return Response(UserSerializer(target).data)

    @extend_schema(
        summary="修改用户（部分字段）", request=UserWriteSerializer, responses={200: UserSerializer, 403: LINK_403}
    )
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(
        summary="停用用户（保留账户和历史；会话结束，API 令牌和设置密码链接作废）",
        request=DeactivateSerializer,
        responses={200: UserSerializer, 400: OpenApiResponse(description="已是停用状态"), 403: LINK_403},
    )
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        target = self.get_object()
        serializer = DeactivateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.deactivate_user(
            request.user, target, reason=serializer.validated_data["reason"], request=request, channel="api"
        )
        target.refresh_from_db()
        return Response(UserSerializer(target).data)

    @extend_schema(
        summary="重新启用用户（返回一次性设置密码链接）",
        request=None,
        responses={200: SetPasswordResultSerializer, 400: OpenApiResponse(description="已是启用状态"), 403: LINK_403},
    )
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        target = self.get_object()
        issued = services.reactivate_user(request.user, target, request=request, channel="api")
        return Response({"detail": f"已重新启用 {target.username}。", **self._link_payload(issued)})

    @extend_schema(
        summary="重置密码：签发一次性设置密码链接（不接受管理员输入的密码）",
        request=None,
        responses={
            200: SetPasswordResultSerializer,
            400: OpenApiResponse(description="账户已停用"),
            403: OpenApiResponse(ErrorDetailSerializer, description="无权管理该账户"),
        },
    )
    @action(detail=True, methods=["post"], url_path="set-password")
    def set_password(self, request, pk=None):
        target = self.get_object()
        issued = services.issue_link(request.user, target, request=request, channel="api")
        return Response({"detail": f"已为 {target.username} 签发设置密码链接。", **self._link_payload(issued)})


class AuthTokenThrottle(SimpleRateThrottle):
    """Per-IP request rate on the token endpoint (setting ``AUTH_TOKEN_RATE``, e.g. ``20/min``)."""

    scope = "auth-token"

    def get_rate(self):
        return settings.AUTH_TOKEN_RATE

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ObtainTokenView(NoStoreMixin, APIView):
    """用户名和密码换取一个新的 API 令牌（有效期见 TOKEN_TTL_HOURS）。登录失败过多时账户或 IP 被临时锁定。"""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [AuthTokenThrottle]
    serializer_class = TokenRequestSerializer

    def throttled(self, request, wait):
        raise exceptions.Throttled(wait, detail=f"请求过于频繁，请 {max(1, int(wait or 0))} 秒后再试。")

    @extend_schema(
        summary="获取 API 令牌",
        request=TokenRequestSerializer,
        responses={
            200: TokenResponseSerializer,
            400: OpenApiResponse(description="用户名或密码不正确"),
            429: OpenApiResponse(description="登录失败次数过多（账户或 IP 已临时锁定），或请求过于频繁"),
        },
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            user = security.authenticate_throttled(request, data["username"], data["password"], channel="api")
        except security.LockedOut as exc:
            return Response(
                {"detail": str(exc)},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(exc.lockout.minutes * 60)},
            )
        if user is None:
            raise exceptions.ValidationError({"non_field_errors": [security.INVALID_LOGIN_MESSAGE]})
        token, key = security.issue_token(user, data["name"], request=request, channel="api")
        return Response(TokenResponseSerializer({"token": key, "expires_at": token.expires_at}).data)
