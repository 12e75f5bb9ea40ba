"""Serializers validate field types and shapes; every write goes through projects.services."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Region
from core.api.fields import DisplayField
from core.api.rows import FastRowsMixin
from projects import services
from projects.choices import REPORT_MILESTONE_FIELDS, ConstraintStatus, Stage
from projects.models import (
    ConstraintRecord,
    GoalRule,
    MonthlyReport,
    MonthlyReportVersion,
    Participant,
    Project,
    StageChange,
)


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary key among the rows the requesting user may see (others do not exist for them)."""

    default_error_messages = {
        "does_not_exist": "对象不存在，或不在您的权限范围内（ID：{pk_value}）。",
        "incorrect_type": "应为数字ID，不能为{data_type}。",
    }

    def __init__(self, model=None, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return self.model.objects.visible_to(user)


class ProjectRelatedField(VisibleRelatedField):
    default_error_messages = {"does_not_exist": "项目不存在，或不在您的权限范围内（您所在单位未参建该项目）。"}

    def __init__(self, **kwargs):
        super().__init__(model=Project, **kwargs)


class StageChangeSerializer(serializers.ModelSerializer):
    from_stage_display = DisplayField("from_stage")
    to_stage_display = DisplayField("to_stage")
    changed_by_name = serializers.SerializerMethodField()

    class Meta:
        model = StageChange
        fields = [
            "id",
            "from_stage",
            "from_stage_display",
            "to_stage",
            "to_stage_display",
            "changed_on",
            "changed_by",
            "changed_by_name",
            "note",
        ]

    def get_changed_by_name(self, obj) -> str:
        return obj.changed_by.display_name if obj.changed_by else ""


class ProjectSerializer(FastRowsMixin, serializers.ModelSerializer):
    county = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.filter(level=Region.Level.COUNTY),
        required=False,
        help_text="县局工作人员可省略（默认本县）",
    )
    county_name = serializers.CharField(source="county.name", read_only=True)
    category_display = DisplayField("category")
    stage_display = DisplayField("stage")
    jingpin_status_display = DisplayField("jingpin_status")
    delivery_mode_display = DisplayField("delivery_mode")
    in_library = serializers.BooleanField(read_only=True)
    insurance_warnings = serializers.SerializerMethodField(help_text="缺失或过期的强制保险（预警）")

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "name",
            "county",
            "county_name",
            "year",
            "category",
            "category_display",
            "government_invested",
            "total_investment",
            "floor_area",
            "length",
            "planned_start",
            "planned_completion",
            "actual_start",
            "actual_completion",
            "delivery_mode",
            "delivery_mode_display",
            "separated_tender",
            "bim_applied",
            "prefabricated",
            "prefab_rate",
            "building_use",
            "energy_standard",
            "green_star_target",
            "green_pilot",
            "waste_reduction_target",
            "stage",
            "stage_display",
            "jingpin_status",
            "jingpin_status_display",
            "in_library",
            "priority_recommended",
            "description",
            "insurance_warnings",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["stage", "jingpin_status", "priority_recommended", "created_at", "updated_at"]
        extra_kwargs = {"code": {"validators": []}}

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_insurance_warnings(self, obj) -> list[str]:
        return obj.insurance_warnings()

    def create(self, validated_data):
        return services.create_project(validated_data, user=self.context["request"].user)

    def update(self, instance, validated_data):
        return services.update_project(instance, validated_data, user=self.context["request"].user)


class ChecklistItemSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    met = serializers.BooleanField()
    basis = serializers.CharField()


class ProjectDetailSerializer(ProjectSerializer):
    stage_history = StageChangeSerializer(source="stage_changes", many=True, read_only=True)
    pilot_checklist = serializers.SerializerMethodField(help_text="绿色建造试点要求（仅试点项目）")

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "stage_history", "pilot_checklist"]

    @extend_schema_field(ChecklistItemSerializer(many=True, allow_null=True))
    def get_pilot_checklist(self, obj):
        if not obj.green_pilot:
            return None
        return ChecklistItemSerializer(services.pilot_checklist(obj), many=True).data


class StageChangeInputSerializer(serializers.Serializer):
    to_stage = serializers.ChoiceField(choices=Stage.choices, label="新阶段")
    changed_on = serializers.DateField(required=False, label="转换日期")
    note = serializers.CharField(required=False, allow_blank=True, max_length=200, label="说明")


class ParticipantSerializer(FastRowsMixin, serializers.ModelSerializer):
    project = ProjectRelatedField()
    project_code = serializers.CharField(source="project.code", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    role_display = DisplayField("role")
    required_insurance = serializers.CharField(read_only=True, allow_null=True)
    insurance_problem = serializers.SerializerMethodField(help_text="保险预警；无问题时为 null")

    class Meta:
        model = Participant
        fields = [
            "id",
            "project",
            "project_code",
            "enterprise",
            "enterprise_name",
            "role",
            "role_display",
            "key_person",
            "key_person_title",
            "required_insurance",
            "insurance_policy_no",
            "insurer",
            "insurance_valid_until",
            "insurance_problem",
            "joined_on",
        ]
        validators = []  # the uniqueness rule is checked (with its Chinese message) in the service

    def get_insurance_problem(self, obj) -> str | None:
        return obj.insurance_problem()

    def create(self, validated_data):
        project = validated_data.pop("project")
        return services.add_participant(project, validated_data, user=self.context["request"].user)

    def update(self, instance, validated_data):
        project = validated_data.pop("project", instance.project)
        if project.pk != instance.project_id:
            raise serializers.ValidationError({"project": "不能更改参建记录所属的项目。"})
        return services.update_participant(instance, validated_data, user=self.context["request"].user)


class ConstraintRecordSerializer(FastRowsMixin, serializers.ModelSerializer):
    participant = VisibleRelatedField(model=Participant)
    project = serializers.IntegerField(source="participant.project_id", read_only=True)
    project_code = serializers.CharField(source="participant.project.code", read_only=True)
    enterprise_name = serializers.CharField(source="participant.enterprise.name", read_only=True)
    kind_display = DisplayField("kind")
    status_display = DisplayField("status")
    status_changed_by_name = serializers.SerializerMethodField()

    class Meta:
        model = ConstraintRecord
        fields = [
            "id",
            "participant",
            "project",
            "project_code",
            "enterprise_name",
            "kind",
            "kind_display",
            "occurred_on",
            "description",
            "required_action",
            "status",
            "status_display",
            "status_changed_by",
            "status_changed_by_name",
            "status_changed_at",
            "resolution_note",
            "created_at",
        ]
        read_only_fields = ["status", "status_changed_by", "status_changed_at", "resolution_note", "created_at"]

    def get_status_changed_by_name(self, obj) -> str:
        return obj.status_changed_by.display_name if obj.status_changed_by else ""

    def create(self, validated_data):
        participant = validated_data.pop("participant")
        return services.add_constraint_record(participant, validated_data, user=self.context["request"].user)

    def update(self, instance, validated_data):
        raise serializers.ValidationError("约束记录登记后不能修改，只能变更其整改状态。")


class ConstraintStatusInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[(ConstraintStatus.RECTIFIED, "已整改"), (ConstraintStatus.EXPELLED, "清退出场")], label="新状态"
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, label="处理说明")


class MonthlyReportVersionSerializer(serializers.ModelSerializer):
    status_display = DisplayField("status")

    class Meta:
        model = MonthlyReportVersion
        fields = ["version", "status", "status_display", "return_reason", "submitted_by", "submitted_at", "data"]


class MonthlyReportSerializer(FastRowsMixin, serializers.ModelSerializer):
    project = ProjectRelatedField()
    project_code = serializers.CharField(source="project.code", read_only=True)
    project_name = serializers.CharField(source="project.name", read_only=True)
    county_name = serializers.CharField(source="project.county.name", read_only=True)
    status_display = DisplayField("status")

    class Meta:
        model = MonthlyReport
        fields = [
            "id",
            "project",
            "project_code",
            "project_name",
            "county_name",
            "year",
            "month",
            "status",
            "status_display",
            *MonthlyReport.AREA_FIELDS,
            "bim_applied",
            "green_material_share",
            "remarks",
            *REPORT_MILESTONE_FIELDS.values(),
            "version",
            "return_reason",
            "created_by",
            "submitted_at",
            "reviewed_by",
            "reviewed_at",
        ]
        read_only_fields = [
            "status",
            "version",
            "return_reason",
            "created_by",
            "submitted_at",
            "reviewed_by",
            "reviewed_at",
        ]
        validators = []  # one report per project and month: checked in the service with its own message

    def create(self, validated_data):
        project = validated_data.pop("project")
        year, month = validated_data.pop("year"), validated_data.pop("month")
        return services.create_report(project, year, month, validated_data, user=self.context["request"].user)

    def update(self, instance, validated_data):
        for key in ("project", "year", "month"):
            value = validated_data.pop(key, None)
            current = instance.project if key == "project" else getattr(instance, key)
            if value is not None and value != current:
                raise serializers.ValidationError({key: "不能更改月报的项目和月份。"})
        return services.update_report(instance, validated_data, user=self.context["request"].user)


class MonthlyReportDetailSerializer(MonthlyReportSerializer):
    versions = MonthlyReportVersionSerializer(many=True, read_only=True)

    class Meta(MonthlyReportSerializer.Meta):
        fields = [*MonthlyReportSerializer.Meta.fields, "versions"]


class ReturnInputSerializer(serializers.Serializer):
    reason = serializers.CharField(label="退回原因", max_length=1000)


class ImportInputSerializer(serializers.Serializer):
    file = serializers.FileField(label="Excel 文件")
    submit = serializers.BooleanField(required=False, default=False, label="导入后直接提交")


class CultivationRatioSerializer(serializers.Serializer):
    county = serializers.IntegerField(source="county_id")
    county_name = serializers.CharField()
    year = serializers.IntegerField()
    library_count = serializers.IntegerField(help_text="纳入精品工程项目库的政府投资项目数")
    total_count = serializers.IntegerField(help_text="政府投资项目总数")
    percent = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    minimum_percent = serializers.DecimalField(max_digits=6, decimal_places=2)
    below_minimum = serializers.BooleanField()
    status_label = serializers.CharField()


class LaggardSerializer(serializers.Serializer):
    """A 滞后 milestone (projects.services.Laggard)."""

    milestone = serializers.IntegerField(source="milestone_id")
    project = serializers.IntegerField(source="project_id")
    project_code = serializers.CharField()
    project_name = serializers.CharField()
    county = serializers.IntegerField(source="county_id")
    county_name = serializers.CharField()
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="kind_label")
    planned_on = serializers.DateField()
    actual_on = serializers.DateField(allow_null=True)
    days_behind = serializers.IntegerField(help_text="超过计划日期的天数（已完成的算到实际日期）")
    state = serializers.CharField(help_text="滞后 / 滞后完成")


class UnmetGoalSerializer(serializers.Serializer):
    """One project missing the goals of one rule (projects.services.UnmetGoal)."""

    project = serializers.IntegerField(source="project_id")
    project_code = serializers.CharField()
    project_name = serializers.CharField()
    county = serializers.IntegerField(source="county_id")
    county_name = serializers.CharField()
    year = serializers.IntegerField(help_text="项目立项年度")
    rule = serializers.IntegerField(source="rule_id")
    rule_name = serializers.CharField()
    rule_year = serializers.IntegerField(help_text="所适用规则的年度版本")
    missed = serializers.ListField(child=serializers.CharField())
    source = serializers.CharField(help_text="核查所用数据的来源（最近一期已接收月报 / 项目登记信息）")


class GoalRuleSerializer(serializers.ModelSerializer):
    category_display = DisplayField("category")
    building_use_display = DisplayField("building_use")

    class Meta:
        model = GoalRule
        fields = ["id", *services.GOAL_RULE_FIELDS, "category_display", "building_use_display", "updated_at"]
        read_only_fields = ["updated_at"]

    def create(self, validated_data):
        return services.save_goal_rule(None, validated_data, user=self.context["request"].user)

    def update(self, instance, validated_data):
        return services.save_goal_rule(instance, validated_data, user=self.context["request"].user)
