from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.views import View
from django.views.generic import CreateView, FormView, ListView, UpdateView

from accounts import roles, security
from accounts.exports import ENTERPRISE_COLUMNS, USER_COLUMNS
from accounts.filters import EnterpriseFilter, UserFilter
from accounts.forms import EnterpriseForm, TokenCreateForm
from accounts.models import ApiToken, Enterprise, SecurityEvent, User
from core.nocache import NoStoreMixin
from core.views import ClampedPaginationMixin, RoleRequiredMixin, ScopedDetailView, ScopedListView


class EnterpriseListView(ScopedListView):
    model = Enterprise
    template_name = "accounts/enterprise_list.html"
    filterset_class = EnterpriseFilter
    prefetch_related = ("kinds",)
    select_related = ("region",)
    ordering_fields = ("name", "credit_code", "created_at")
    default_ordering = ("name",)
    export_filename = "单位"
    export_columns = ENTERPRISE_COLUMNS


class EnterpriseCreateView(RoleRequiredMixin, CreateView):
    allowed_roles = roles.CITY_ADMINS
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
    allowed_roles = roles.MANAGERS
    model = User
    template_name = "accounts/user_list.html"
    filterset_class = UserFilter
    select_related = ("region", "enterprise")
    ordering_fields = ("username", "role", "name")
    default_ordering = ("role", "username")
    export_filename = "用户"
    export_columns = USER_COLUMNS


class UserDetailView(ScopedDetailView):
    model = User
    template_name = "accounts/user_detail.html"
    select_related = ("region", "enterprise")
    context_object_name = "account"

    def get_context_data(self, **kwargs):
        user = self.request.user
        may_reset = roles.is_city_admin(user) and roles.can_act_on_account(user, self.object)
        return super().get_context_data(can_reset_password=may_reset, **kwargs)


class PasswordChangeView(LoginRequiredMixin, auth_views.PasswordChangeView):
    """修改本人密码：原密码 + 新密码两次；成功后其他设备上的会话失效，本会话保留。"""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("dashboard")

    def form_valid(self, form):
        response = super().form_valid(form)
        security.password_changed(self.request.user, request=self.request)
        messages.success(self.request, "密码已修改。")
        return response


class UserPasswordResetView(RoleRequiredMixin, FormView):
    """市局管理员为用户重置密码（审计；该用户的会话和 API 令牌随之失效）。

    Only for an account ranked below the city admin's own (``accounts.roles.can_act_on_account``): never a staff
    account, a superuser or another city admin."""

    allowed_roles = roles.CITY_ADMINS
    template_name = "accounts/user_password_reset.html"
    form_class = SetPasswordForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role in self.allowed_roles:
            self.target = get_object_or_404(User.objects.visible_to(request.user), pk=kwargs["pk"])
            roles.require_can_act_on_account(request.user, self.target)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.target
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(account=self.target, **kwargs)

    def form_valid(self, form):
        revoked = security.reset_password(
            self.target, form.cleaned_data["new_password1"], actor=self.request.user, request=self.request
        )
        note = f"，已撤销其 API 令牌 {revoked} 个" if revoked else ""
        messages.success(self.request, f"已重置 {self.target.username} 的密码{note}。")
        return redirect("accounts:user-detail", pk=self.target.pk)


class TokenListView(NoStoreMixin, LoginRequiredMixin, FormView):
    """本人的 API 令牌：查看、创建（只显示一次）、撤销。"""

    template_name = "accounts/token_list.html"
    form_class = TokenCreateForm

    SESSION_KEY = "new_api_token"

    def get_context_data(self, **kwargs):
        tokens = ApiToken.objects.filter(user=self.request.user)
        # A new key is shown on the page right after its creation and then never again: it leaves the session
        # on that first GET (post/redirect/get, so reloading the page does not create a second token).
        new = self.request.session.pop(self.SESSION_KEY, None)
        if new:
            kwargs.update(new_token=tokens.filter(pk=new["id"]).first(), new_key=new["key"])
        return super().get_context_data(tokens=tokens, ttl_days=security.token_ttl().days, **kwargs)

    def form_valid(self, form):
        token, key = security.issue_token(self.request.user, form.cleaned_data["name"], request=self.request)
        self.request.session[self.SESSION_KEY] = {"id": token.pk, "key": key}
        return redirect("accounts:tokens")


class TokenRevokeView(LoginRequiredMixin, View):
    def post(self, request, pk):
        token = get_object_or_404(ApiToken, pk=pk, user=request.user)
        security.revoke_token(token, actor=request.user, request=request)
        messages.success(request, f"已撤销令牌：{token.name}")
        return redirect("accounts:tokens")


class SecurityEventListView(ClampedPaginationMixin, RoleRequiredMixin, ListView):
    """安全日志：登录成功/失败/锁定、密码修改与重置、令牌创建与撤销（市局管理员）。"""

    allowed_roles = roles.CITY_ADMINS
    template_name = "accounts/security_log.html"
    paginate_by = 50
    context_object_name = "events"

    def get_queryset(self):
        qs = SecurityEvent.objects.select_related("user", "actor")
        kind = self.request.GET.get("kind")
        if kind in SecurityEvent.Kind.values:
            qs = qs.filter(kind=kind)
        username = (self.request.GET.get("username") or "").strip()
        if username:
            qs = qs.filter(username=username[:150])
        return qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            kinds=SecurityEvent.Kind.choices,
            kind=self.request.GET.get("kind", ""),
            username=self.request.GET.get("username", ""),
            **kwargs,
        )
