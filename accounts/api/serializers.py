from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
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
        fields = ["id", "username", "name", "role", "role_display", "region", "enterprise", "is_active"]
        read_only_fields = fields


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label="用户名", max_length=150)
    password = serializers.CharField(
        label="密码", max_length=4096, style={"input_type": "password"}, trim_whitespace=False
    )
    name = serializers.CharField(label="令牌名称", max_length=100, required=False, default="API 登录")


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="令牌（只显示这一次），请求时放在 Authorization: Token <令牌>")
    expires_at = serializers.DateTimeField(help_text="到期时间")


class SetPasswordSerializer(serializers.Serializer):
    new_password = serializers.CharField(
        label="新密码", max_length=128, style={"input_type": "password"}, trim_whitespace=False
    )

    def validate_new_password(self, value):
        try:
            validate_password(value, user=self.context.get("target"))
        except DjangoValidationError as exc:
            raise serializers.ValidationError(list(exc.messages)) from exc
        return value


class SetPasswordResultSerializer(serializers.Serializer):
    detail = serializers.CharField()
    revoked_tokens = serializers.IntegerField()
