from django.contrib import messages
from django.urls import reverse_lazy
from django.views.generic import CreateView, UpdateView

from accounts.filters import EnterpriseFilter, UserFilter
from accounts.forms import EnterpriseForm
from accounts.models import Enterprise, User
from core.exports import Column
from core.views import RoleRequiredMixin, ScopedDetailView, ScopedListView


class EnterpriseListView(ScopedListView):
    model = Enterprise
    template_name = "accounts/enterprise_list.html"
    filterset_class = EnterpriseFilter
    prefetch_related = ("kinds",)
    select_related = ("region",)
    ordering_fields = ("name", "credit_code", "created_at")
    default_ordering = ("name",)
    export_filename = "单位"
    export_columns = [
        Column("单位名称", "name"),
        Column("统一社会信用代码", "credit_code"),
        Column("单位类别", lambda e: "、".join(k.name for k in e.kinds.all())),
        Column("所在区域", "region.name"),
        Column("登记时间", "created_at", "datetime"),
    ]


class EnterpriseCreateView(RoleRequiredMixin, CreateView):
    allowed_roles = ("city_admin",)
    model = Enterprise
    form_class = EnterpriseForm
    template_name = "accounts/enterprise_form.html"
    success_url = reverse_lazy("accounts:enterprise-list")

    def form_valid(self, form):
        messages.success(self.request, f"已登记单位：{form.instance.name}")
        return super().form_valid(form)


class EnterpriseUpdateView(EnterpriseCreateView, UpdateView):
    def get_queryset(self):
        return Enterprise.objects.visible_to(self.request.user)


class UserListView(ScopedListView):
    allowed_roles = ("city_admin", "county_staff")
    model = User
    template_name = "accounts/user_list.html"
    filterset_class = UserFilter
    select_related = ("region", "enterprise")
    ordering_fields = ("username", "role", "name")
    default_ordering = ("role", "username")
    export_filename = "用户"
    export_columns = [
        Column("用户名", "username"),
        Column("姓名", "name"),
        Column("角色", "get_role_display"),
        Column("所属区域", "region.name"),
        Column("所属单位", "enterprise.name"),
    ]


class UserDetailView(ScopedDetailView):
    model = User
    template_name = "accounts/user_detail.html"
    select_related = ("region", "enterprise")
    context_object_name = "account"
