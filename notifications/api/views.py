from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from accounts import roles
from core.api.viewsets import ScopedViewSetMixin
from core.exports import Column
from notifications.filters import NotificationFilter
from notifications.models import Notification


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
        notice = self.get_object()
        if notice.read_at is None:
            notice.read_at = timezone.now()
            notice.save(update_fields=["read_at"])
        return Response(NotificationSerializer(notice).data)
