from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import ListView, TemplateView

from core.views import ClampedPaginationMixin, RoleRequiredMixin
from notifications import services
from notifications.choices import Channel, NoticeKind
from notifications.models import Notification, Todo


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


DONE_SHOWN = 20


class TodoListView(ClampedPaginationMixin, RoleRequiredMixin, ListView):
    """待办: the user's open to-dos by deadline (overdue marked), a page at a time; the first page also lists the
    latest done ones."""

    template_name = "notifications/todo_list.html"
    paginate_by = 50

    def get_queryset(self):
        return (
            Todo.objects.visible_to(self.request.user)
            .open()
            .order_by(F("deadline").asc(nulls_last=True), "created_at", "pk")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        now = timezone.now()
        ctx["now"] = now
        ctx["open_todos"] = ctx["object_list"]
        ctx["overdue_count"] = self.get_queryset().filter(deadline__lt=now).count()
        ctx["done_todos"] = []
        if ctx["page_obj"].number == 1:
            mine = Todo.objects.visible_to(self.request.user)
            ctx["done_todos"] = list(mine.filter(done_at__isnull=False).order_by("-done_at", "-pk")[:DONE_SHOWN])
        return ctx


class PreferencesView(RoleRequiredMixin, TemplateView):
    """通知设置: a table of kinds × channels; the in-app notice is always on."""

    template_name = "notifications/preferences.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["rows"] = services.preference_table(self.request.user)
        ctx["channels"] = Channel.choices
        ctx["has_phone"] = bool((self.request.user.phone or "").strip())
        ctx["has_email"] = bool((self.request.user.email or "").strip())
        return ctx

    def post(self, request, *args, **kwargs):
        chosen = {kind: request.POST.getlist(kind) for kind in NoticeKind.values}
        try:
            services.set_preferences(request.user, chosen)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "通知设置已保存。")
        return redirect("notifications:preferences")
