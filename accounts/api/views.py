from accounts.api.serializers import EnterpriseSerializer, RegionSerializer, UserSerializer
from accounts.filters import EnterpriseFilter, RegionFilter, UserFilter
from accounts.models import Enterprise, Region, User
from core.api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet
from core.exports import Column


class RegionViewSet(ScopedModelViewSet):
    """区域（市、县）。所有登录用户可读，市局管理员可新增和修改。"""

    queryset = Region.objects.order_by("level", "order", "code")
    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    ordering_fields = ["order", "code", "name"]
    export_filename = "区域"
    export_columns = [Column("名称", "name"), Column("代码", "code"), Column("级别", "get_level_display")]


class EnterpriseViewSet(ScopedModelViewSet):
    """单位。所有登录用户可读（公开信息），市局管理员可新增和修改。"""

    queryset = Enterprise.objects.order_by("name")
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilter
    prefetch_related = ("kinds",)
    ordering_fields = ["name", "credit_code", "created_at"]
    export_filename = "单位"
    export_columns = [
        Column("单位名称", "name"),
        Column("统一社会信用代码", "credit_code"),
        Column("单位类别", lambda e: "、".join(k.name for k in e.kinds.all())),
        Column("所在区域", "region.name"),
    ]


class UserViewSet(ScopedReadOnlyViewSet):
    """用户。市局看到全部，县局只看到本县用户，其他角色只看到自己。"""

    queryset = User.objects.order_by("role", "username")
    serializer_class = UserSerializer
    filterset_class = UserFilter
    ordering_fields = ["username", "role"]
    export_filename = "用户"
    export_columns = [Column("用户名", "username"), Column("姓名", "name"), Column("角色", "get_role_display")]
