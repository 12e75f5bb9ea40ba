from __future__ import annotations

from rest_framework import serializers

from inspections.models import (
    PROXY_CHANNEL_CHOICES,
    AnswerChannel,
    Finding,
    Inspection,
    InspectionPlan,
    NoticeState,
    RectificationNotice,
    Severity,
)
from projects.choices import Category, ParticipantRole, Stage


class PlanSerializer(serializers.ModelSerializer):
    county_name = serializers.CharField(source="county.name", default=None, read_only=True, allow_null=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    stages = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="实际抽取的项目阶段（未列明时为施工阶段）"
    )
    stage_labels = serializers.CharField(read_only=True)

    class Meta:
        model = InspectionPlan
        fields = [
            "id",
            "name",
            "county",
            "county_name",
            "year",
            "period_start",
            "period_end",
            "scope_categories",
            "scope_stages",
            "stages",
            "stage_labels",
            "pilot_only",
            "jingpin_only",
            "project_count",
            "team_size",
            "enforcement_seats",
            "recency_months",
            "status",
            "status_display",
            "draw_scheme",
            "credit_weighted",
            "grade_weights",
            "value_source",
            "value_not_before",
            "commitment",
            "locked_at",
            "cancel_reason",
            "cancelled_at",
            "public_value",
            "seed",
            "eligible_projects",
            "eligible_inspectors",
            "draw_result",
            "drawn_at",
        ]
        read_only_fields = fields


class PlanCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    scope_counties = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, default=list)
    scope_categories = serializers.ListField(
        child=serializers.ChoiceField(Category.choices), required=False, default=list
    )
    scope_stages = serializers.ListField(
        child=serializers.ChoiceField(Stage.choices),
        required=False,
        default=list,
        help_text="留空为仅在建（施工阶段）项目；检查其他阶段须列明",
    )
    pilot_only = serializers.BooleanField(required=False, default=False)
    jingpin_only = serializers.BooleanField(required=False, default=False)
    project_count = serializers.IntegerField(min_value=1, max_value=200)
    team_size = serializers.IntegerField(min_value=1, max_value=10, required=False, default=2)
    enforcement_seats = serializers.IntegerField(min_value=0, max_value=10, required=False, default=2)
    recency_months = serializers.IntegerField(min_value=0, max_value=60, required=False)


class LockSerializer(serializers.Serializer):
    value_source = serializers.CharField(max_length=200)
    value_not_before = serializers.DateField()
    credit_weighted = serializers.BooleanField(
        required=False,
        default=False,
        help_text="按信用等级差异化抽取：项目按其施工总承包、工程总承包单位中最低的当前信用等级加权抽取；"
        "各等级权重和每个项目的等级、权重计入锁定记录（jingpin-draw-v3）和承诺值。",
    )
    grade_weights = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        allow_null=True,
        default=None,
        help_text='各信用等级的权重，1至10的整数，等级越低权重不得越小，D级须大于A级；省略时为 {"A": 1, "B": 2, '
        '"C": 3, "D": 4}。仅在 credit_weighted 为 true 时使用。',
    )


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class DrawSerializer(serializers.Serializer):
    public_value = serializers.CharField(max_length=100)


class NoticeSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(source="finding.inspection.project_id", read_only=True)
    project_name = serializers.CharField(source="finding.inspection.project.name", read_only=True)
    county_name = serializers.CharField(source="finding.inspection.project.county.name", read_only=True)
    description = serializers.CharField(source="finding.description", read_only=True)
    severity = serializers.CharField(source="finding.severity", read_only=True)
    responsible = serializers.CharField(source="finding.participant.enterprise.name", read_only=True)
    state = serializers.ChoiceField(
        choices=NoticeState.choices,
        read_only=True,
        help_text="当前整改状态（按今天计算；与网页、导出、公开页面和A1认定同一规则）",
    )
    status_display = serializers.CharField(
        source="public_status", read_only=True, help_text="当前整改状态的文字（含退回轮次、代录）"
    )
    answer_channel = serializers.ChoiceField(
        choices=AnswerChannel.choices, allow_blank=True, read_only=True, help_text="回复方式（尚未回复时为空）"
    )
    answer_by_proxy = serializers.BooleanField(read_only=True, help_text="代录：由检查组或组织单位代为录入的书面回复")
    answered_on = serializers.DateField(read_only=True, allow_null=True, help_text="回复日期（代录时为收到日期）")
    answered_by_name = serializers.SerializerMethodField(help_text="回复人或代录人")

    class Meta:
        model = RectificationNotice
        fields = [
            "id",
            "number",
            "project",
            "project_name",
            "county_name",
            "description",
            "severity",
            "responsible",
            "issued_on",
            "deadline",
            "round",
            "original_deadline",
            "status",
            "state",
            "status_display",
            "answer",
            "answered_at",
            "answer_channel",
            "answer_received_on",
            "answer_by_proxy",
            "answered_on",
            "answered_by_name",
            "closed_on",
            "penalty_doc_no",
            "penalty_on",
            "penalty_note",
        ]
        read_only_fields = fields

    def get_answered_by_name(self, obj) -> str:
        return obj.answered_by.display_name if obj.answered_by_id else ""


class FindingSerializer(serializers.ModelSerializer):
    notice = NoticeSerializer(read_only=True)

    class Meta:
        model = Finding
        fields = ["id", "inspection", "description", "severity", "responsible_role", "participant", "notice"]
        read_only_fields = fields


class InspectionSerializer(serializers.ModelSerializer):
    project_name = serializers.CharField(source="project.name", read_only=True)
    county_name = serializers.CharField(source="project.county.name", read_only=True)
    team = serializers.SerializerMethodField()

    class Meta:
        model = Inspection
        fields = [
            "id",
            "plan",
            "project",
            "project_name",
            "county_name",
            "draw_order",
            "team",
            "status",
            "inspected_on",
            "summary",
            "confirmed_at",
        ]
        read_only_fields = fields

    def get_team(self, obj) -> list[str]:
        return [i.user.display_name for i in obj.team.all()]


class RecordSerializer(serializers.Serializer):
    inspected_on = serializers.DateField()
    summary = serializers.CharField(required=False, allow_blank=True, default="")


class FindingCreateSerializer(serializers.Serializer):
    description = serializers.CharField()
    severity = serializers.ChoiceField(Severity.choices)
    responsible_role = serializers.ChoiceField(ParticipantRole.choices)
    deadline = serializers.DateField()
    checklist_item = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField()
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class PaperAnswerSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(PROXY_CHANNEL_CHOICES, default=AnswerChannel.PAPER)
    received_on = serializers.DateField(help_text="书面回复收到或现场复查的日期")
    answer = serializers.CharField()
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class CloseSerializer(serializers.Serializer):
    closed_on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class NoticeReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, help_text="退回理由（整改不到位之处）")
    new_deadline = serializers.DateField(help_text="新的整改期限，须晚于今天")


class EscalateSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    penalty_doc_no = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    penalty_on = serializers.DateField(required=False, allow_null=True, default=None)
    penalty_note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
