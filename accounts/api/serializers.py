from rest_framework import serializers

from accounts.models import Enterprise, EnterpriseKind, Region, User
from core.validators import credit_code_error


class RegionSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)

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
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "name", "role", "role_display", "region", "enterprise", "is_active"]
        read_only_fields = fields
