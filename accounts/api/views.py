from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import roles, security
from accounts.api.serializers import (
    EnterpriseSerializer,
    RegionSerializer,
    SetPasswordResultSerializer,
    SetPasswordSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
    UserSerializer,
)
from accounts.exports import ENTERPRISE_COLUMNS, REGION_COLUMNS, USER_COLUMNS
from accounts.filters import EnterpriseFilter, RegionFilter, UserFilter
from accounts.models import Enterprise, Region, User
from core.api.serializers import ErrorDetailSerializer
from core.api.throttling import SimpleRateThrottle
from core.api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet
from core.nocache import NoStoreMixin


class RegionViewSet(ScopedModelViewSet):
    """区域（市、县）。所有登录用户可读，市局管理员可新增和修改。"""

    queryset = Region.objects.order_by("level", "order", "code")
    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    ordering_fields = ["order", "code", "name"]
    export_filename = "区域"
    export_columns = REGION_COLUMNS


class EnterpriseViewSet(ScopedModelViewSet):
    """单位。所有登录用户可读（公开信息），市局管理员可新增和修改。"""

    queryset = Enterprise.objects.order_by("name")
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilter
    select_related = ("region",)
    prefetch_related = ("kinds",)
    ordering_fields = ["name", "credit_code", "created_at"]
    export_filename = "单位"
    export_columns = ENTERPRISE_COLUMNS


class UserViewSet(ScopedReadOnlyViewSet):
    """用户。市局看到全部，县局只看到本县用户，其他角色只看到自己。"""

    queryset = User.objects.order_by("role", "username")
    serializer_class = UserSerializer
    filterset_class = UserFilter
    select_related = ("region", "enterprise")
    ordering_fields = ["username", "role"]
    export_filename = "用户"
    export_columns = USER_COLUMNS

    @extend_schema(
        summary="重置用户密码（市局管理员；仅限级别低于本人的账户）",
        request=SetPasswordSerializer,
        responses={
            200: SetPasswordResultSerializer,
            403: OpenApiResponse(ErrorDetailSerializer, description="无权重置该账户的密码"),
        },
    )
    @action(detail=True, methods=["post"], url_path="set-password")
    def set_password(self, request, pk=None):
        if not roles.is_city_admin(request.user):
            raise exceptions.PermissionDenied("只有市局管理员可以重置密码。")
        target = self.get_object()
        roles.require_can_act_on_account(request.user, target)  # a Chinese 403 (core.api.exceptions)
        serializer = SetPasswordSerializer(data=request.data, context={"target": target})
        serializer.is_valid(raise_exception=True)
        revoked = security.reset_password(
            target, serializer.validated_data["new_password"], actor=request.user, request=request, channel="api"
        )
        return Response({"detail": f"已重置 {target.username} 的密码。", "revoked_tokens": revoked})


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
