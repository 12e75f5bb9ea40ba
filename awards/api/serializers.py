"""Serializers: validate the input shape, then call awards.services (the rules live there)."""

from __future__ import annotations

from rest_framework import serializers

from accounts.models import Enterprise, Region
from awards import services
from awards.models import Award, AwardRecord, AwardValue, DanheCandidate, DanheSelection, DesignBonus, SavingsBonus
from core.api.fields import DisplayField
from core.api.rows import FastRowsMixin
from projects.models import Project


class ScopedProjectField(serializers.PrimaryKeyRelatedField):
    """A project the requesting user can see; others are "not found", so their existence does not leak."""

    def get_queryset(self):
        request = self.context.get("request")
        return Project.objects.visible_to(request.user if request else None)


class AwardValueSerializer(serializers.ModelSerializer):
    award_name = serializers.CharField(source="award.name", read_only=True)

    class Meta:
        model = AwardValue
        fields = ["id", "award", "award_name", "effective_from", "points", "bonus_wan", "basis", "created_at"]
        read_only_fields = fields


class AwardSerializer(serializers.ModelSerializer):
    level_display = DisplayField("level")
    values = AwardValueSerializer(many=True, read_only=True)

    class Meta:
        model = Award
        fields = ["id", "code", "name", "full_name", "level", "level_display", "order", "values"]
        read_only_fields = fields


class AwardValueChangeSerializer(serializers.Serializer):
    effective_from = serializers.DateField(label="生效日期")
    points = serializers.DecimalField(label="积分", max_digits=6, decimal_places=2)
    bonus_wan = serializers.DecimalField(label="奖金（万元）", max_digits=10, decimal_places=2)
    basis = serializers.CharField(label="依据", max_length=200, required=False, allow_blank=True, default="")


class AwardRecordSerializer(FastRowsMixin, serializers.ModelSerializer):
    project = ScopedProjectField(label="项目")
    award = serializers.PrimaryKeyRelatedField(label="奖项", queryset=Award.objects.all())
    contractor = serializers.PrimaryKeyRelatedField(
        label="积分单位（总承包单位）",
        queryset=Enterprise.objects.all(),
        required=False,
        allow_null=True,
        help_text="留空时取项目唯一的施工总承包/EPC单位；有多个时必须指定。",
    )
    builder = serializers.PrimaryKeyRelatedField(
        label="奖金发放单位（建设单位）", queryset=Enterprise.objects.all(), required=False, allow_null=True
    )
    award_name = serializers.CharField(source="award.name", read_only=True)
    level = serializers.CharField(source="award.level", read_only=True)
    level_display = serializers.CharField(source="award.get_level_display", read_only=True)
    project_name = serializers.CharField(source="project.name", read_only=True)
    county = serializers.IntegerField(source="project.county_id", read_only=True)
    county_name = serializers.CharField(source="project.county.name", read_only=True)
    contractor_name = serializers.CharField(source="contractor.name", read_only=True)
    builder_name = serializers.CharField(source="builder.name", read_only=True)

    class Meta:
        model = AwardRecord
        fields = [
            "id",
            "project",
            "project_name",
            "county",
            "county_name",
            "award",
            "award_name",
            "level",
            "level_display",
            "year",
            "grant_date",
            "document_no",
            "contractor",
            "contractor_name",
            "builder",
            "builder_name",
            "points",
            "bonus_wan",
            "catalogue_value",
            "selection",
            "note",
            "created_at",
        ]
        read_only_fields = ["points", "bonus_wan", "catalogue_value", "selection", "created_at"]
        validators = []  # the unique-per-year rule is the service's (with its Chinese message)

    def create(self, validated_data):
        return services.grant_award(user=self.context["request"].user, **validated_data)


class LedgerRowSerializer(serializers.ModelSerializer):
    rank = serializers.IntegerField(read_only=True)
    window_points = serializers.DecimalField(max_digits=10, decimal_places=2, read_only=True)
    total_points = serializers.DecimalField(max_digits=10, decimal_places=2, read_only=True)
    award_count = serializers.IntegerField(read_only=True)
    window_award_count = serializers.IntegerField(read_only=True)
    window = serializers.SerializerMethodField()
    points_by_year = serializers.SerializerMethodField()
    credit_grade = serializers.CharField(read_only=True, help_text="当前信用等级（A/B/C/D，诚信档案）")
    credit_score = serializers.DecimalField(max_digits=8, decimal_places=2, read_only=True, help_text="当前信用分")

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name",
            "credit_code",
            "rank",
            "window",
            "window_points",
            "window_award_count",
            "points_by_year",
            "total_points",
            "award_count",
            "credit_grade",
            "credit_score",
        ]

    def _ledger(self):
        return self.context["ledger"]

    def get_window(self, obj) -> dict:
        ledger = self._ledger()
        return {
            "reference_year": ledger.reference_year,
            "years": ledger.window,
            "from": ledger.first_year,
            "to": ledger.last_year,
        }

    def get_points_by_year(self, obj) -> dict[str, str]:
        ledger = self._ledger()
        return {str(y): f"{getattr(obj, f'points_{y}'):.2f}" for y in ledger.years}


class DanheCandidateSerializer(serializers.ModelSerializer):
    project_code = serializers.CharField(source="project.code", read_only=True)
    project_name = serializers.CharField(source="project.name", read_only=True)
    jingpin_status = serializers.CharField(source="project.jingpin_status", read_only=True)

    class Meta:
        model = DanheCandidate
        fields = [
            "id",
            "project",
            "project_code",
            "project_name",
            "jingpin_status",
            "score",
            "rank",
            "contractor",
            "is_winner",
        ]
        read_only_fields = fields


class DanheSelectionSerializer(serializers.ModelSerializer):
    county = serializers.PrimaryKeyRelatedField(
        label="县（市、区）", queryset=Region.objects.filter(level=Region.Level.COUNTY)
    )
    county_name = serializers.CharField(source="county.name", read_only=True)
    status_display = DisplayField("status")
    candidates = DanheCandidateSerializer(many=True, read_only=True)
    award_records = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = DanheSelection
        fields = [
            "id",
            "county",
            "county_name",
            "year",
            "method",
            "winners_count",
            "status",
            "status_display",
            "grant_date",
            "document_no",
            "confirmed_by",
            "confirmed_at",
            "candidates",
            "award_records",
        ]
        read_only_fields = [
            "method",
            "winners_count",
            "status",
            "grant_date",
            "document_no",
            "confirmed_by",
            "confirmed_at",
        ]
        validators = []

    def create(self, validated_data):
        return services.start_danhe_selection(user=self.context["request"].user, **validated_data)


class CandidateEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField(label="候选项目ID")
    score = serializers.DecimalField(label="得分", max_digits=5, decimal_places=2, required=False, allow_null=True)
    rank = serializers.IntegerField(label="名次", required=False, allow_null=True)
    contractor = serializers.IntegerField(label="积分单位", required=False, allow_null=True)


class DanheEntriesSerializer(serializers.Serializer):
    method = serializers.ChoiceField(label="评选方式", choices=DanheSelection.Method.choices)
    winners_count = serializers.IntegerField(label="获奖数量")
    candidates = CandidateEntrySerializer(many=True)


class DanheConfirmSerializer(serializers.Serializer):
    grant_date = serializers.DateField(label="表彰日期")
    document_no = serializers.CharField(label="表彰文号", max_length=100)


class SavingsBonusSerializer(serializers.ModelSerializer):
    project = ScopedProjectField(label="项目")
    recipient = serializers.PrimaryKeyRelatedField(
        label="提出单位", queryset=Enterprise.objects.all(), required=False, allow_null=True
    )
    builder = serializers.PrimaryKeyRelatedField(
        label="确认单位（建设单位）", queryset=Enterprise.objects.all(), required=False, allow_null=True
    )
    amount_saved = serializers.DecimalField(label="节约金额（元）", max_digits=16, decimal_places=2)
    project_name = serializers.CharField(source="project.name", read_only=True)
    recipient_name = serializers.CharField(source="recipient.name", read_only=True)
    builder_name = serializers.CharField(source="builder.name", read_only=True)
    confirmed_by_name = serializers.CharField(source="confirmed_by.display_name", read_only=True, default="")

    class Meta:
        model = SavingsBonus
        fields = [
            "id",
            "project",
            "project_name",
            "proposer_kind",
            "recipient",
            "recipient_name",
            "builder",
            "builder_name",
            "measure",
            "amount_saved",
            "rate_percent",
            "bonus",
            "confirmed_on",
            "confirmed_by",
            "confirmed_by_name",
            "confirmed_at",
            "void_reason",
        ]
        read_only_fields = ["rate_percent", "bonus", "confirmed_by", "confirmed_at", "void_reason"]

    def create(self, validated_data):
        return services.confirm_savings_bonus(user=self.context["request"].user, **validated_data)


class DesignBonusSerializer(serializers.ModelSerializer):
    project = ScopedProjectField(label="项目")
    designer = serializers.PrimaryKeyRelatedField(
        label="设计单位", queryset=Enterprise.objects.all(), required=False, allow_null=True
    )
    builder = serializers.PrimaryKeyRelatedField(
        label="建设单位", queryset=Enterprise.objects.all(), required=False, allow_null=True
    )
    approved_estimate = serializers.DecimalField(label="批复概算建安费（元）", max_digits=16, decimal_places=2)
    drawing_budget = serializers.DecimalField(label="施工图预算建安费（元）", max_digits=16, decimal_places=2)
    base_design_fee = serializers.DecimalField(label="施工图设计费基数（元）", max_digits=16, decimal_places=2)
    project_name = serializers.CharField(source="project.name", read_only=True)
    designer_name = serializers.CharField(source="designer.name", read_only=True)
    builder_name = serializers.CharField(source="builder.name", read_only=True)

    class Meta:
        model = DesignBonus
        fields = [
            "id",
            "project",
            "project_name",
            "designer",
            "designer_name",
            "builder",
            "builder_name",
            "approved_estimate",
            "drawing_budget",
            "base_design_fee",
            "reduction_percent",
            "fee_increase_percent",
            "fee_increase",
            "confirmed_on",
            "confirmed_by",
            "created_at",
        ]
        read_only_fields = ["reduction_percent", "fee_increase_percent", "fee_increase", "confirmed_by", "created_at"]

    def create(self, validated_data):
        return services.record_design_bonus(user=self.context["request"].user, **validated_data)
