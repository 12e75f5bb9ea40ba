import django_filters

from core.filters import DateTimeFilter
from notifications.models import Notification, Todo


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(label="未读", field_name="read_at", lookup_expr="isnull")
    read_at = DateTimeFilter(label="已读时间")
    created_after = DateTimeFilter(label="时间不早于", field_name="created_at", lookup_expr="gte")

    class Meta:
        model = Notification
        fields = ["unread", "read_at", "created_after"]


class TodoFilter(django_filters.FilterSet):
    done = django_filters.BooleanFilter(label="已办结", field_name="done_at", lookup_expr="isnull", exclude=True)
    kind = django_filters.ChoiceFilter(label="类型", choices=Todo.Kind.choices)

    class Meta:
        model = Todo
        fields = ["done", "kind"]
