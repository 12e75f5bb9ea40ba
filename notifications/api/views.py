from django.db.models import F
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from accounts import roles
from core.api.viewsets import ScopedViewSetMixin
from core.exports import Column
from notifications import services
from notifications.filters import NotificationFilter, TodoFilter
from notifications.models import Notification, Todo


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "event_key", "title", "body", "url", "created_at", "read_at"]
        read_only_fields = fields


class NotificationViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """本人的通知。"""

    queryset = Notification.objects.order_by("-created_at", "-pk")
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    write_roles = roles.ALL_ROLES
    export_filename = "通知"
    export_columns = [
        Column("时间", "created_at", "datetime"),
        Column("标题", "title"),
        Column("内容", "body"),
        Column("链接", "url"),
        Column("已读时间", "read_at", "datetime"),
    ]

    @extend_schema(request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notice = services.mark_read(self.get_object(), user=request.user)
        return Response(NotificationSerializer(notice).data)


class TodoSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True, help_text="类型（中文）")
    overdue = serializers.BooleanField(source="is_overdue", read_only=True, help_text="未办结且已过办理期限")

    class Meta:
        model = Todo
        fields = ["id", "kind", "kind_display", "title", "url", "deadline", "overdue", "created_at", "done_at"]
        read_only_fields = fields


class TodoViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """本人的待办事项（只读）：由业务操作自动生成、办结；`done=false` 只列未办结的。"""

    queryset = Todo.objects.order_by(F("done_at").desc(nulls_first=True), F("deadline").asc(nulls_last=True), "pk")
    serializer_class = TodoSerializer
    filterset_class = TodoFilter
    export_filename = "待办"
    export_columns = [
        Column("类型", "get_kind_display"),
        Column("事项", "title"),
        Column("办理期限", "deadline", "datetime"),
        Column("办结时间", "done_at", "datetime"),
        Column("链接", "url"),
    ]
