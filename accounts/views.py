from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views import View
from django.views.generic import FormView, ListView

from accounts import roles, security, services
from accounts.exports import ENTERPRISE_COLUMNS, USER_COLUMNS
from accounts.filters import EnterpriseFilter, UserFilter
from accounts.forms import (
    DeactivateForm,
    EnterpriseForm,
    MergeForm,
    RefuseForm,
    RegistrationForm,
    RegistrationStatusForm,
    TokenCreateForm,
    UserForm,
)
from accounts.models import ApiToken, Enterprise, EnterpriseRegistration, SecurityEvent, User
from core import ratelimit
from core.clientip import client_ip
from core.forms import apply_service_errors
from core.history import HistoryMixin
from core.nocache import NoStoreMixin
from core.printing import public_url
from core.uploads import prepare_upload
from core.views import ClampedPaginationMixin, RoleRequiredMixin, ScopedDetailView, ScopedListView

HOUR = 3600
NEW_LINK_SESSION_KEY = "new_password_link"


def _limit(name: str) -> int:
    return int(settings.JINGPIN[name])  # the default lives in config/settings.py only


def _hand_over(request, issued: services.IssuedLink) -> None:
    """Keep the new link for the one handover page (post/redirect/get); it leaves the session when shown."""
    request.session[NEW_LINK_SESSION_KEY] = {
        "user": issued.user.pk,
        "path": issued.path,
        "expires_at": issued.expires_at.isoformat(),
    }


class AccountManagerMixin(LoginRequiredMixin):
    """The user-management pages: the city (and above), county staff and enterprise administrators."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not roles.may_manage_accounts(request.user):
            raise PermissionDenied("您的角色无权管理用户。")
        return super().dispatch(request, *args, **kwargs)

    def get_target(self, pk) -> User:
        return get_object_or_404(
            User.objects.visible_to(self.request.user).select_related("region", "enterprise"), pk=pk
        )


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


class EnterpriseCreateView(RoleRequiredMixin, FormView):
    """登记单位 (city admin; county staff for their county) through ``services.save_enterprise``."""

    allowed_roles = roles.MANAGERS
    form_class = EnterpriseForm
    template_name = "accounts/enterprise_form.html"
    object = None

    def get_object(self):
        return None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role in self.allowed_roles:
            self.object = self.get_object()
            if self.object is not None:
                roles.require(
                    roles.can_manage_enterprise(request.user, self.object), "只能修改本县（市、区）登记的单位。"
                )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object, "actor": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, **kwargs)

    def form_valid(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "kinds"}
        try:
            # the form's instance was filled by the ModelForm; the service starts from the stored row
            original = Enterprise.objects.get(pk=self.object.pk) if self.object else None
            enterprise = services.save_enterprise(
                self.request.user, original, kinds=form.cleaned_data["kinds"], request=self.request, **data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"已{'保存' if self.object else '登记'}单位：{enterprise.name}")
        return redirect("accounts:enterprise-list")


class EnterpriseUpdateView(EnterpriseCreateView):
    def get_object(self):
        return get_object_or_404(Enterprise.objects.visible_to(self.request.user), pk=self.kwargs["pk"])


class EnterpriseMergeView(RoleRequiredMixin, FormView):
    """合并重复单位 (city admin): the survivor keeps every record of the duplicate (``services.merge_enterprises``)."""

    allowed_roles = roles.CITY_ADMINS
    form_class = MergeForm
    template_name = "accounts/enterprise_merge.html"

    def form_valid(self, form):
        survivor, duplicate = form.cleaned_data["survivor"], form.cleaned_data["duplicate"]
        try:
            moved = services.merge_enterprises(self.request.user, survivor, duplicate, request=self.request)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        total = sum(moved.values())
        messages.success(self.request, f"已将“{duplicate.name}”并入“{survivor.name}”，迁移记录 {total} 条。")
        return redirect("accounts:enterprise-list")


class UserListView(ScopedListView):
    allowed_roles = roles.MANAGERS_AND_UNITS
    model = User
    template_name = "accounts/user_list.html"
    filterset_class = UserFilter
    select_related = ("region", "enterprise")
    ordering_fields = ("username", "role", "name")
    default_ordering = ("role", "username")
    export_filename = "用户"
    export_columns = USER_COLUMNS

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not roles.may_manage_accounts(request.user):
            raise PermissionDenied("您的角色无权管理用户。")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_create=roles.may_manage_accounts(self.request.user), **kwargs)


class UserDetailView(HistoryMixin, ScopedDetailView):
    model = User
    template_name = "accounts/user_detail.html"
    select_related = ("region", "enterprise")
    context_object_name = "account"

    def get_context_data(self, **kwargs):
        user = self.request.user
        may_manage = roles.can_manage_account(user, self.object) and self.object.pk != user.pk
        events = SecurityEvent.objects.filter(user=self.object).select_related("actor")[:20] if may_manage else []
        return super().get_context_data(
            can_manage=may_manage, deactivate_form=DeactivateForm(), events=events, **kwargs
        )


class UserCreateView(AccountManagerMixin, FormView):
    """新建用户: no password typed by anyone — a one-time set-password link is issued and shown once."""

    form_class = UserForm
    template_name = "accounts/user_form.html"
    target = None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "actor": self.request.user, "instance": self.target}

    def get_context_data(self, **kwargs):
        return super().get_context_data(account=self.target, **kwargs)

    def form_valid(self, form):
        try:
            issued = services.create_user(self.request.user, request=self.request, **form.service_data())
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        _hand_over(self.request, issued)
        messages.success(self.request, f"已新建用户：{issued.user.username}")
        return redirect("accounts:user-link", pk=issued.user.pk)


class UserUpdateView(UserCreateView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and roles.may_manage_accounts(request.user):
            self.target = self.get_target(kwargs["pk"])
            roles.require_can_manage_account(request.user, self.target)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        target = User.objects.get(pk=self.target.pk)  # the stored row: the rule is asked of it as it is
        try:
            services.update_user(self.request.user, target, request=self.request, **form.service_data())
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"已保存用户：{target.username}")
        return redirect("accounts:user-detail", pk=target.pk)


class UserActionView(AccountManagerMixin, View):
    """POST-only actions on one account (deactivate, reactivate, issue a set-password link)."""

    def post(self, request, pk):
        target = self.get_target(pk)
        try:
            return self.act(request, target)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("accounts:user-detail", pk=target.pk)


class UserDeactivateView(UserActionView):
    def act(self, request, target):
        form = DeactivateForm(request.POST)
        if not form.is_valid():  # e.g. a reason too long: refused, the account stays active
            raise ValidationError(form.errors.as_data())
        reason = form.cleaned_data["reason"]
        revoked = services.deactivate_user(request.user, target, reason=reason, request=request)
        note = f"，撤销 API 令牌 {revoked} 个" if revoked else ""
        messages.success(request, f"已停用用户 {target.username}（其登录会话已结束{note}）。")
        return redirect("accounts:user-detail", pk=target.pk)


class UserReactivateView(UserActionView):
    def act(self, request, target):
        issued = services.reactivate_user(request.user, target, request=request)
        _hand_over(request, issued)
        messages.success(request, f"已重新启用用户 {target.username}，请把设置密码链接交给本人。")
        return redirect("accounts:user-link", pk=target.pk)


class UserPasswordLinkView(UserActionView):
    """重置密码 = issue a new one-time set-password link (never a password typed by the admin)."""

    def act(self, request, target):
        issued = services.issue_link(request.user, target, request=request)
        _hand_over(request, issued)
        messages.success(request, f"已为 {target.username} 签发设置密码链接。")
        return redirect("accounts:user-link", pk=target.pk)


class UserLinkHandoverView(AccountManagerMixin, View):
    """The link just issued, shown once (no-store); reloading shows it is gone."""

    def get(self, request, pk):
        target = self.get_target(pk)
        held = request.session.get(NEW_LINK_SESSION_KEY)
        link = None
        if held and held.get("user") == target.pk:
            request.session.pop(NEW_LINK_SESSION_KEY)
            from django.utils.dateparse import parse_datetime

            link = {
                "url": public_url(held["path"], request),
                "expires_at": parse_datetime(held["expires_at"]),
            }
        response = render(request, "accounts/user_link.html", {"account": target, "link": link})
        response["Cache-Control"] = "no-store"
        return response


class SetPasswordView(View):
    """The public page behind a set-password link: choose a password (validators apply), once."""

    template_name = "accounts/set_password.html"

    def _link(self, key):
        return security.find_password_link(key)

    def get(self, request, key):
        link = self._link(key)
        form = SetPasswordForm(link.user) if link else None
        response = render(request, self.template_name, {"form": form, "link": link}, status=200 if link else 404)
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = (
            "same-origin"  # the key never leaves in a Referer; "no-referrer" would null the CSRF Origin
        )
        return response

    def post(self, request, key):
        ip = client_ip(request) or "unknown"
        if not ratelimit.hit("set-password-ip", ip, _limit("SET_PASSWORD_PER_IP_PER_HOUR"), HOUR):
            return ratelimit.too_many_requests(request, HOUR)
        link = self._link(key)
        if link is None:
            return render(request, self.template_name, {"form": None, "link": None}, status=404)
        form = SetPasswordForm(link.user, request.POST)
        if not form.is_valid():
            response = render(request, self.template_name, {"form": form, "link": link}, status=400)
            response["Cache-Control"] = "no-store"
            return response
        user = security.use_password_link(key, form.cleaned_data["new_password1"], request=request)
        if user is None:
            return render(request, self.template_name, {"form": None, "link": None}, status=404)
        messages.success(request, f"密码已设置，请用登录名 {user.username} 和新密码登录。")
        return redirect("login")


class PasswordChangeView(LoginRequiredMixin, auth_views.PasswordChangeView):
    """修改本人密码：原密码 + 新密码两次；成功后其他设备上的会话失效，本会话保留。"""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("dashboard")

    def form_valid(self, form):
        response = super().form_valid(form)
        security.password_changed(self.request.user, request=self.request)
        messages.success(self.request, "密码已修改。")
        return response


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
    """安全日志：登录、密码与设置密码链接、令牌、用户与单位的管理、单位注册审核（市局管理员）。"""

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


# --- enterprise self-registration ---------------------------------------------------------------------------
REGISTRATION_SESSION_KEY = "registration_receipt"


class RegistrationView(View):
    """单位自助注册 (public, no login): rate-limited per client address, a honeypot, post/redirect/get."""

    template_name = "accounts/register.html"

    def get(self, request):
        return render(request, self.template_name, {"form": RegistrationForm()})

    def post(self, request):
        ip = client_ip(request) or "unknown"
        if not ratelimit.hit("registration-ip", ip, _limit("REGISTRATION_PER_IP_PER_HOUR"), HOUR):
            return ratelimit.too_many_requests(request, HOUR, "提交过于频繁，请一小时后再试。")
        form = RegistrationForm(request.POST, request.FILES)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("website", None)
            error, licence = prepare_upload(data.pop("licence"), settings.UPLOAD_MAX_BYTES, kinds=("pdf", "jpg", "png"))
            if error:
                form.add_error("licence", error)
            else:
                try:
                    registration, secret = services.submit_registration(
                        kinds=data.pop("kinds"), licence=licence, ip=client_ip(request), **data
                    )
                except ValidationError as exc:
                    apply_service_errors(form, exc)
                else:
                    request.session[REGISTRATION_SESSION_KEY] = {"id": registration.pk, "secret": secret}
                    return redirect("accounts:register-receipt")
        return render(request, self.template_name, {"form": form}, status=400)


def registration_receipt(request):
    """The receipt, once: the application number and its secret (for the status page)."""
    held = request.session.pop(REGISTRATION_SESSION_KEY, None)
    registration = EnterpriseRegistration.objects.filter(pk=held["id"]).first() if held else None
    if registration is None:
        return redirect("accounts:register-status")
    response = render(
        request, "accounts/register_receipt.html", {"registration": registration, "secret": held["secret"]}
    )
    response["Cache-Control"] = "no-store"
    return response


class RegistrationStatusView(View):
    template_name = "accounts/register_status.html"

    def get(self, request):
        return render(request, self.template_name, {"form": RegistrationStatusForm()})

    def post(self, request):
        ip = client_ip(request) or "unknown"
        if not ratelimit.hit("registration-status-ip", ip, _limit("REGISTRATION_STATUS_PER_IP_PER_HOUR"), HOUR):
            return ratelimit.too_many_requests(request, HOUR, "查询过于频繁，请一小时后再试。")
        form = RegistrationStatusForm(request.POST)
        registration = None
        if form.is_valid():
            registration = services.find_registration(form.cleaned_data["number"], form.cleaned_data["secret"])
            if registration is None:
                form.add_error(None, "申请编号或查询码不正确。")
        response = render(
            request,
            self.template_name,
            {"form": form, "registration": registration},
            status=200 if registration else 400,
        )
        response["Cache-Control"] = "no-store"
        return response


class RegistrationListView(ScopedListView):
    allowed_roles = roles.MANAGERS
    model = EnterpriseRegistration
    template_name = "accounts/registration_list.html"
    select_related = ("county", "decided_by")
    ordering_fields = ("submitted_at", "status")
    default_ordering = ("-submitted_at",)

    def get_queryset(self):
        qs = super().get_queryset()
        status = self.request.GET.get("status", "pending")
        if status in EnterpriseRegistration.Status.values:
            qs = qs.filter(status=status)
        return qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            statuses=EnterpriseRegistration.Status.choices, status=self.request.GET.get("status", "pending"), **kwargs
        )


class RegistrationDetailView(ScopedDetailView):
    allowed_roles = roles.MANAGERS
    model = EnterpriseRegistration
    template_name = "accounts/registration_detail.html"
    select_related = ("county", "decided_by", "enterprise", "admin_user")
    context_object_name = "registration"

    def get_context_data(self, **kwargs):
        return super().get_context_data(refuse_form=RefuseForm(), **kwargs)


class RegistrationDecideView(RoleRequiredMixin, View):
    allowed_roles = roles.MANAGERS

    def post(self, request, pk, decision):
        if decision not in ("approve", "refuse"):
            raise Http404
        registration = get_object_or_404(EnterpriseRegistration.objects.visible_to(request.user), pk=pk)
        try:
            if decision == "approve":
                issued = services.approve_registration(request.user, registration, request=request)
                _hand_over(request, issued)
                messages.success(
                    request, f"已批准，单位“{registration.name}”已登记，其管理员账户为 {issued.user.username}。"
                )
                return redirect("accounts:user-link", pk=issued.user.pk)
            form = RefuseForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors["reason"])
            services.refuse_registration(request.user, registration, form.cleaned_data["reason"], request=request)
            messages.success(request, "已驳回该申请，申请人可凭申请编号和查询码查看理由。")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect("accounts:registration-detail", pk=registration.pk)


class RegistrationLicenceView(RoleRequiredMixin, View):
    allowed_roles = roles.MANAGERS

    def get(self, request, pk):
        registration = get_object_or_404(EnterpriseRegistration.objects.visible_to(request.user), pk=pk)
        if not registration.licence:
            raise Http404
        response = FileResponse(registration.licence.open("rb"), content_type=registration.licence_type or None)
        response["Content-Disposition"] = (
            f'inline; filename="licence-{registration.number}{registration.licence.name[-4:]}"'
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
