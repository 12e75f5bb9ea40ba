from rest_framework import serializers

from accounts.models import Enterprise, EnterpriseKind, Region, User
from core.api.fields import DisplayField
from core.validators import credit_code_error


class RegionSerializer(serializers.ModelSerializer):
    level_display = DisplayField("level")

    class Meta:
        model = Region
        fields = ["id", "name", "code", "level", "level_display", "parent", "order", "prefab_target_ratio"]


class EnterpriseSerializer(serializers.ModelSerializer):
    kinds = serializers.SlugRelatedField(
        many=True, slug_field="code", queryset=EnterpriseKind.objects.all(), help_text="单位类别代码列表"
    )
    kind_names = serializers.SerializerMethodField()

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name",
            "credit_code",
            "kinds",
            "kind_names",
            "region",
            "legal_representative",
            "contact_phone",
            "address",
            "created_at",
        ]
        read_only_fields = ["created_at"]

    def get_kind_names(self, obj) -> list[str]:
        return [k.name for k in obj.kinds.all()]

    def validate_credit_code(self, value):
        value = value.strip().upper()
        error = credit_code_error(value)
        if error:
            raise serializers.ValidationError(error)
        return value

    def validate_kinds(self, value):
        if not value:
            raise serializers.ValidationError("请至少选择一个单位类别。")
        return value


class UserSerializer(serializers.ModelSerializer):
    role_display = DisplayField("role")

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "name",
            "role",
            "role_display",
            "region",
            "enterprise",
            "is_enterprise_admin",
            "is_active",
        ]
        read_only_fields = fields


class UserWriteSerializer(serializers.ModelSerializer):
    """Create or change an account (``accounts.services``: the rule, the audit, the set-password link). No
    password: a new account gets a one-time set-password link."""

    class Meta:
        model = User
        fields = ["username", "name", "role", "region", "enterprise", "is_enterprise_admin", "phone", "email"]
        extra_kwargs = {"username": {"validators": []}}  # uniqueness is the service's (a Chinese message)


class PasswordLinkSerializer(serializers.Serializer):
    password_link = serializers.CharField(help_text="一次性设置密码链接（只返回这一次），请交给本人")
    link_expires_at = serializers.DateTimeField(help_text="链接失效时间")


class UserCreatedSerializer(UserSerializer):
    password_link = serializers.CharField(read_only=True, help_text="一次性设置密码链接（只返回这一次），请交给本人")
    link_expires_at = serializers.DateTimeField(read_only=True, help_text="链接失效时间")

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "password_link", "link_expires_at"]
        read_only_fields = fields


class DeactivateSerializer(serializers.Serializer):
    reason = serializers.CharField(label="停用理由", max_length=200, required=False, allow_blank=True, default="")


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label="用户名", max_length=150)
    password = serializers.CharField(
        label="密码", max_length=4096, style={"input_type": "password"}, trim_whitespace=False
    )
    name = serializers.CharField(label="令牌名称", max_length=100, required=False, default="API 登录")


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="令牌（只显示这一次），请求时放在 Authorization: Token <令牌>")
    expires_at = serializers.DateTimeField(help_text="到期时间")


class SetPasswordResultSerializer(serializers.Serializer):
    detail = serializers.CharField()
    password_link = serializers.CharField(help_text="一次性设置密码链接（只返回这一次），请交给本人")
    link_expires_at = serializers.DateTimeField(help_text="链接失效时间")
