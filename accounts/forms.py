from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from accounts import security
from accounts.models import Enterprise
from core.validators import credit_code_error


class EnterpriseForm(forms.ModelForm):
    class Meta:
        model = Enterprise
        fields = ["name", "credit_code", "kinds", "region", "legal_representative", "contact_phone", "address"]
        widgets = {"kinds": forms.CheckboxSelectMultiple}

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
