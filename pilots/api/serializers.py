from __future__ import annotations

from rest_framework import serializers

from accounts.models import User
from pilots import overview
from pilots.choices import DeliveryModel, GreenLabel, Milestone, PilotType
from pilots.models import Pilot, PilotAcceptance, PilotCheck, PilotEvent, PilotMilestone, PilotPlan, PilotReview


class PilotPlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = PilotPlan
        exclude = ["pilot", "file", "uploaded_by"]


class PilotEventSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = PilotEvent
        fields = ["id", "kind", "kind_display", "from_status", "to_status", "note", "user", "at"]


class PilotMilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = PilotMilestone
        fields = ["id", "milestone", "completed_on", "note", "recorded_by", "recorded_at"]


class PilotAcceptanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = PilotAcceptance
        fields = ["accepted_on", "achieved_label", "passed", "opinion", "recorded_by", "recorded_at"]


class PilotSerializer(serializers.ModelSerializer):
    project_name = serializers.CharField(source="project.name", read_only=True)
    county = serializers.IntegerField(source="project.county_id", read_only=True)
    county_name = serializers.CharField(source="project.county.name", read_only=True)
    builder_name = serializers.CharField(source="builder.name", read_only=True)
    pilot_type_display = serializers.CharField(source="get_pilot_type_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Pilot
        fields = [
            "id",
            "project",
            "project_name",
            "county",
            "county_name",
            "builder",
            "builder_name",
            "pilot_type",
            "pilot_type_display",
            "status",
            "status_display",
            "revision",
            "approved_on",
            "decision_note",
            "created_at",
        ]


class RequirementSerializer(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField()
    met = serializers.BooleanField(allow_null=True)
    evidence = serializers.CharField()
    required = serializers.BooleanField()


class PilotDetailSerializer(PilotSerializer):
    plans = PilotPlanSerializer(many=True, read_only=True)
    events = PilotEventSerializer(many=True, read_only=True)
    milestones = PilotMilestoneSerializer(many=True, read_only=True)
    acceptance = PilotAcceptanceSerializer(read_only=True, allow_null=True)
    requirements = serializers.SerializerMethodField()

    class Meta(PilotSerializer.Meta):
        fields = [*PilotSerializer.Meta.fields, "plans", "events", "milestones", "acceptance", "requirements"]

    def get_requirements(self, pilot) -> list[dict]:
        return [r.__dict__ for r in overview.rows([pilot])[0].requirements]


class PilotReviewSerializer(serializers.ModelSerializer):
    expert_name = serializers.CharField(source="expert.display_name", read_only=True)
    project_name = serializers.CharField(source="pilot.project.name", read_only=True)

    class Meta:
        model = PilotReview
        fields = ["id", "pilot", "project_name", "round", "expert", "expert_name", "passed", "opinion", "submitted_at"]


class PilotCheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = PilotCheck
        fields = ["id", "pilot", "checked_on", "template", "items", "findings", "checked_by", "created_at"]


# --- step inputs ------------------------------------------------------------------------------------------------
class TargetsSerializer(serializers.Serializer):
    star_target = serializers.ChoiceField(choices=GreenLabel.choices, default=GreenLabel.TWO)
    delivery_model = serializers.ChoiceField(choices=DeliveryModel.choices, default=DeliveryModel.GENERAL)
    prefab_rate = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    waste_target = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    green_material_share = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    standardised_design = serializers.BooleanField(default=False)
    bim_design = serializers.BooleanField(default=False)
    bim_production = serializers.BooleanField(default=False)
    bim_construction = serializers.BooleanField(default=False)
    smart_site = serializers.BooleanField(default=False)
    robots = serializers.BooleanField(default=False)
    pipeline_separation = serializers.BooleanField(default=False)
    assembled_decoration = serializers.BooleanField(default=False)


class ApplySerializer(TargetsSerializer):
    project = serializers.IntegerField()
    pilot_type = serializers.ChoiceField(choices=PilotType.choices, required=False, allow_blank=True)
    document = serializers.FileField()


class ResubmitSerializer(TargetsSerializer):
    document = serializers.FileField()
    note = serializers.CharField(max_length=500)


class AssignSerializer(serializers.Serializer):
    experts = serializers.PrimaryKeyRelatedField(
        many=True, queryset=User.objects.filter(role=User.Role.EXPERT, is_active=True)
    )


class OpinionSerializer(serializers.Serializer):
    passed = serializers.BooleanField()
    opinion = serializers.CharField(max_length=2000)


class DecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class MilestoneSerializer(serializers.Serializer):
    milestone = serializers.ChoiceField(choices=Milestone.choices)
    completed_on = serializers.DateField()
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class CheckSerializer(serializers.Serializer):
    checked_on = serializers.DateField()
    answers = serializers.ListField(child=serializers.BooleanField(), help_text="每个检查项是否符合，按检查表顺序")
    findings = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class AcceptanceSerializer(serializers.Serializer):
    accepted_on = serializers.DateField()
    achieved_label = serializers.ChoiceField(choices=GreenLabel.choices)
    passed = serializers.BooleanField()
    opinion = serializers.CharField(max_length=2000)
