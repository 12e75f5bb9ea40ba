from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic import ListView

from core.views import ClampedPaginationMixin, RoleRequiredMixin
from notifications import services
from notifications.models import Notification


class NotificationListView(ClampedPaginationMixin, RoleRequiredMixin, ListView):
    """The bell's page: the user's own notices; POST marks them all read."""

    template_name = "notifications/notification_list.html"
    paginate_by = 30

    def get_queryset(self):
        return Notification.objects.visible_to(self.request.user)

    def post(self, request, *args, **kwargs):
        count = services.mark_all_read(request.user)
        messages.success(request, f"已将 {count} 条通知标为已读。")
        return redirect("notifications:list")
