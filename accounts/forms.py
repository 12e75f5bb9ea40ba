from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from accounts import roles, security, services
from accounts.models import Enterprise, EnterpriseKind, Region, User
from core.validators import credit_code_error
from core.widgets import PhoneInput, SearchableSelectsMixin


def counties():
    return Region.objects.filter(level=Region.Level.COUNTY).order_by("order", "code")


class EnterpriseForm(SearchableSelectsMixin, forms.ModelForm):
    """登记/编辑单位 (the service ``accounts.services.save_enterprise`` keeps the rules)."""

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = counties()
        self.fields["region"].label = "所在县（市、区）"
        self.fields["kinds"].required = True
        self.fields["kinds"].error_messages["required"] = "请至少选择一个单位类别。"
        if actor is not None and not roles.is_city_admin(actor) and actor.region_id:
            self.fields["region"].queryset = counties().filter(pk=actor.region_id)
            self.fields["region"].required = True
            self.fields["region"].initial = actor.region_id

    class Meta:
        model = Enterprise
        fields = ["name", "credit_code", "kinds", "region", "legal_representative", "contact_phone", "address"]
        widgets = {"kinds": forms.CheckboxSelectMultiple, "contact_phone": PhoneInput}

    def clean_credit_code(self):
        value = (self.cleaned_data.get("credit_code") or "").strip().upper()
        error = credit_code_error(value)
        if error:
            raise forms.ValidationError(error)
        return value


class ThrottledLoginMixin:
    """AuthenticationForm.clean() behind the lockout (accounts/security.py), with Chinese messages."""

    channel = "web"
    error_messages = {
        "invalid_login": security.INVALID_LOGIN_MESSAGE,
        "inactive": "该账户已停用，请联系管理员。",
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = security.authenticate_throttled(self.request, username, password, self.channel)
            except security.LockedOut as exc:
                raise forms.ValidationError(str(exc), code="locked") from exc
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class LoginForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    channel = "admin"
    error_messages = {
        **ThrottledLoginMixin.error_messages,
        "invalid_login": "用户名或密码不正确，或该账户无权进入后台。",
    }


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label="令牌名称",
        max_length=100,
        help_text="例如：数据上报脚本",
        error_messages={"required": "请填写令牌名称。", "max_length": "令牌名称最多 100 个字符。"},
    )


class UserForm(SearchableSelectsMixin, forms.ModelForm):
    """新建/编辑用户: no password field — the account gets a one-time set-password link."""

    class Meta:
        model = User
        fields = ["username", "name", "role", "region", "enterprise", "is_enterprise_admin", "phone", "email"]
        labels = {"region": "所属县（市、区）", "email": "电子邮箱"}
        widgets = {"phone": PhoneInput}
        help_texts = {
            "username": "登录名：字母、数字和 @/./+/-/_，最多 150 个字符。",
            "email": "填写后，设置密码链接同时发到该邮箱。",
        }

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["role"].choices = services.assignable_roles(actor)
        self.fields["region"].queryset = counties()
        self.fields["region"].required = False
        if roles.account_rank(actor) < roles.RANK_CITY_ADMIN:
            # county staff and enterprise administrators create unit users only
            del self.fields["region"]
            if actor.is_unit_user:
                del self.fields["enterprise"]
                del self.fields["is_enterprise_admin"]
            else:
                self.fields["enterprise"].queryset = Enterprise.objects.active_in_county(actor.region_id)
        if "enterprise" in self.fields:
            self.fields["enterprise"].required = False

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        if self.actor.is_unit_user and roles.account_rank(self.actor) < roles.RANK_CITY_ADMIN:
            data["enterprise"] = self.actor.enterprise
            data["is_enterprise_admin"] = False
        return data

    def _post_clean(self):
        """The model's own checks run in the service (with the rule), not here."""


class DeactivateForm(forms.Form):
    reason = forms.CharField(
        label="停用理由",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "例如：人员离职"}),
    )


class MergeForm(SearchableSelectsMixin, forms.Form):
    survivor = forms.ModelChoiceField(
        label="保留的单位", queryset=Enterprise.objects.all(), error_messages={"required": "请选择保留的单位。"}
    )
    duplicate = forms.ModelChoiceField(
        label="并入后删除的重复单位",
        queryset=Enterprise.objects.all(),
        error_messages={"required": "请选择重复的单位。"},
        help_text="该单位的项目参建记录、用户、证明材料等全部记录转到保留的单位名下，然后删除该单位。",
    )
    confirm = forms.BooleanField(label="我已核对两个单位确为同一单位", error_messages={"required": "请确认后再合并。"})


class RegistrationForm(forms.Form):
    """单位自助注册 (public)."""

    credit_code = forms.CharField(label="统一社会信用代码", max_length=18, min_length=1)
    name = forms.CharField(label="单位名称", max_length=100)
    county = forms.ModelChoiceField(
        label="注册所在县（市、区）",
        queryset=Region.objects.none(),
        help_text="营业执照登记的所在地；由该县（市、区）住建部门审核。",
        error_messages={"required": "请选择单位注册所在的县（市、区）。"},
    )
    kinds = forms.ModelMultipleChoiceField(
        label="单位类别",
        queryset=EnterpriseKind.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一个单位类别。"},
    )
    legal_representative = forms.CharField(label="法定代表人", max_length=50, required=False)
    address = forms.CharField(label="地址", max_length=200, required=False)
    contact_name = forms.CharField(label="联系人", max_length=50)
    contact_phone = forms.RegexField(
        label="联系电话",
        regex=r"^[0-9+\-\s()（）]{7,20}$",
        max_length=30,
        error_messages={"invalid": "请输入有效的电话号码。"},
        widget=PhoneInput,
    )
    contact_email = forms.EmailField(
        label="电子邮箱", required=False, help_text="用于接收审核结果和设置密码链接（建议填写）。"
    )
    username = forms.RegexField(
        label="希望使用的登录名",
        regex=r"^[\w.@+-]+$",
        max_length=150,
        required=False,
        help_text="可不填：以统一社会信用代码为登录名。",
        error_messages={"invalid": "登录名只能包含字母、数字和 @/./+/-/_。"},
    )
    licence = forms.FileField(label="营业执照扫描件", help_text="PDF、JPG 或 PNG。")
    # Honeypot: hidden from people by CSS; a bot that fills every field gives itself away.
    website = forms.CharField(label="网址（请勿填写）", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties()
        for name in ("credit_code", "name", "contact_name", "contact_phone", "licence"):
            self.fields[name].error_messages["required"] = f"请填写{self.fields[name].label}。"
        self.fields["licence"].error_messages["required"] = "请上传营业执照扫描件。"

    def clean_credit_code(self):
        value = (self.cleaned_data.get("credit_code") or "").strip().upper()
        error = credit_code_error(value)
        if error:
            raise forms.ValidationError(error)
        return value

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError("提交失败，请刷新页面后重试。", code="honeypot")
        return data


class RegistrationStatusForm(forms.Form):
    number = forms.CharField(label="申请编号", max_length=20)
    secret = forms.CharField(label="查询码", max_length=32, widget=forms.PasswordInput(render_value=True))


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label="驳回理由",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写驳回理由。"},
    )
