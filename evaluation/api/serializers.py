from __future__ import annotations

from rest_framework import serializers

from accounts.models import User
from core.api.fields import DisplayField
from core.api.rows import FastRowsMixin
from evaluation.choices import EvaluationResult
from evaluation.models import CriteriaTemplate, Evaluation, ScoreSheet, TemplateElement, TemplateItem, VetoItem
from evaluation.results import PanelRow
from projects.choices import Category
from projects.models import Project


def _user(serializer):
    """The requesting user, or None (e.g. while the OpenAPI schema is generated): scoped querysets are then empty."""
    request = serializer.context.get("request")
    return getattr(request, "user", None)


# --- templates ------------------------------------------------------------------------------------
class TemplateItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = TemplateItem
        fields = ["id", "text", "max_score", "order"]


class TemplateElementSerializer(serializers.ModelSerializer):
    element_display = DisplayField("element")
    items = TemplateItemSerializer(many=True, read_only=True)

    class Meta:
        model = TemplateElement
        fields = ["element", "element_display", "weight", "items"]


class CriteriaTemplateSerializer(serializers.ModelSerializer):
    category_display = DisplayField("category")
    is_frozen = serializers.BooleanField(read_only=True)
    elements = TemplateElementSerializer(many=True, read_only=True)

    class Meta:
        model = CriteriaTemplate
        fields = [
            "id",
            "category",
            "category_display",
            "version",
            "name",
            "note",
            "is_frozen",
            "frozen_at",
            "created_at",
            "elements",
        ]
        read_only_fields = fields


class CriteriaTemplateWriteSerializer(serializers.Serializer):
    """Input of a new version or an edit: ``elements`` = six {element, weight, items: [{text, max_score}]}."""

    category = serializers.ChoiceField(choices=Category.choices, required=False)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    elements = serializers.JSONField(help_text="六个要素：[{element, weight, items: [{text, max_score}]}]")


class VetoItemSerializer(serializers.ModelSerializer):
    kind_display = DisplayField("kind")

    class Meta:
        model = VetoItem
        fields = ["id", "kind", "kind_display", "name", "description", "is_active", "order"]
        read_only_fields = ["kind", "name", "description", "order"]


# --- evaluations ----------------------------------------------------------------------------------
class PanelEntrySerializer(serializers.Serializer):
    expert = serializers.IntegerField(source="expert.pk")
    expert_name = serializers.CharField(source="expert.display_name")
    enterprise = serializers.CharField(source="expert.enterprise.name", default=None)
    sheet = serializers.IntegerField(source="sheet.pk", default=None)
    sheet_status = serializers.CharField(source="status_display")
    sheet_total = serializers.DecimalField(source="sheet.total", max_digits=6, decimal_places=2, default=None)
    flagged = serializers.BooleanField(source="sheet.flagged", default=False)
    dropped = serializers.ChoiceField(
        source="sheet.dropped", choices=ScoreSheet._meta.get_field("dropped").choices, allow_blank=True, default=""
    )


class EvaluationSerializer(serializers.ModelSerializer):
    project_code = serializers.CharField(source="project.code", read_only=True)
    project_name = serializers.CharField(source="project.name", read_only=True)
    county = serializers.CharField(source="project.county.name", read_only=True)
    category = serializers.CharField(source="project.category", read_only=True)
    template_version = serializers.IntegerField(source="template.version", read_only=True)
    status_display = DisplayField("status")
    # "" while the evaluation is open: a blank choice, declared so the schema's enum includes it.
    result = serializers.ChoiceField(choices=EvaluationResult.choices, allow_blank=True, read_only=True)
    result_display = DisplayField("result")
    panel_size = serializers.IntegerField(read_only=True)
    submitted_count = serializers.IntegerField(read_only=True)
    panel = serializers.SerializerMethodField()

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "project",
            "project_code",
            "project_name",
            "county",
            "category",
            "template",
            "template_version",
            "year",
            "due_date",
            "status",
            "status_display",
            "panel_size",
            "submitted_count",
            "panel",
            "result",
            "result_display",
            "total_score",
            "element_scores",
            "vetoes",
            "fail_reasons",
            "median_total",
            "pass_threshold",
            "demonstration",
            "opened_at",
            "closed_at",
        ]
        read_only_fields = fields

    def get_panel(self, obj) -> list[dict]:

        sheets = {s.expert_id: s for s in obj.sheets.all()}
        rows = [PanelRow(m.expert, sheets.get(m.expert_id)) for m in obj.panel.all()]
        return PanelEntrySerializer(rows, many=True).data


class EvaluationListSerializer(FastRowsMixin, EvaluationSerializer):
    """列表行：评价的项目、状态、进度和结果；专家组（每位专家及其评分表）只在详情中。"""

    panel = None

    class Meta(EvaluationSerializer.Meta):
        fields = [f for f in EvaluationSerializer.Meta.fields if f != "panel"]
        read_only_fields = fields


class ExpertEvaluationSerializer(serializers.ModelSerializer):
    """What a panel expert sees: the project and the task, not the panel or the result."""

    project_code = serializers.CharField(source="project.code", read_only=True)
    project_name = serializers.CharField(source="project.name", read_only=True)
    category = serializers.CharField(source="project.category", read_only=True)
    status_display = DisplayField("status")

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "project_code",
            "project_name",
            "category",
            "template",
            "year",
            "due_date",
            "status",
            "status_display",
        ]
        read_only_fields = fields


class EvaluationCreateSerializer(serializers.Serializer):
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.none(), label="项目")
    year = serializers.IntegerField(label="评价年度", min_value=2000, max_value=2100)
    due_date = serializers.DateField(label="评分截止日期")
    experts = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(), many=True, label="评审专家", help_text="至少3名专家的用户id"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _user(self)
        self.fields["project"].queryset = Project.objects.visible_to(user)
        self.fields["experts"].child_relation.queryset = User.objects.experts()


class ExpertRefSerializer(serializers.Serializer):
    expert = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), label="专家")


# --- score sheets ---------------------------------------------------------------------------------
class ScoreSheetSerializer(serializers.ModelSerializer):
    expert_name = serializers.CharField(source="expert.display_name", read_only=True)
    status_display = DisplayField("status")
    # "" when no score was dropped: a blank choice, declared so the schema's enum includes it.
    dropped = serializers.ChoiceField(
        choices=ScoreSheet._meta.get_field("dropped").choices, allow_blank=True, read_only=True
    )
    scores = serializers.SerializerMethodField()

    class Meta:
        model = ScoreSheet
        fields = [
            "id",
            "evaluation",
            "expert",
            "expert_name",
            "status",
            "status_display",
            "comment",
            "total",
            "submitted_at",
            "flagged",
            "dropped",
            "scores",
            "updated_at",
        ]
        read_only_fields = fields

    def get_scores(self, obj) -> dict[str, str]:
        return {str(s.item_id): str(s.score) for s in obj.scores.all()}


class ScoreSheetCreateSerializer(serializers.Serializer):
    evaluation = serializers.PrimaryKeyRelatedField(queryset=Evaluation.objects.none(), label="评价")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluation"].queryset = Evaluation.objects.visible_to(_user(self))


class ScoreSheetWriteSerializer(serializers.Serializer):
    scores = serializers.DictField(
        child=serializers.CharField(allow_blank=True, allow_null=True),
        required=False,
        help_text="评分项id → 得分（字符串，最多两位小数；空字符串清除）",
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


# --- library --------------------------------------------------------------------------------------
class LibraryProjectSerializer(serializers.ModelSerializer):
    county_name = serializers.CharField(source="county.name", read_only=True)
    category_display = DisplayField("category")
    jingpin_status_display = DisplayField("jingpin_status")

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
            "jingpin_status",
            "jingpin_status_display",
        ]
        read_only_fields = fields


class LibraryAddSerializer(serializers.Serializer):
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.none(), label="项目")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.visible_to(_user(self))
