from rest_framework import serializers

from assessment.models import (
    Adjustment,
    AnnualTarget,
    AuditEntry,
    DeadlineException,
    Evidence,
    ItemScore,
    ReviewComment,
    Rubric,
    RubricGroup,
    RubricItem,
    Submission,
)
from assessment.services import EDITABLE_FIELDS
from core.api.fields import DisplayField
from core.api.rows import FastRowsMixin
from core.uploads import ALLOWED


class RubricItemSerializer(serializers.ModelSerializer):
    kind_display = DisplayField("kind")
    group_name = serializers.CharField(source="group.name", read_only=True)

    class Meta:
        model = RubricItem
        fields = [
            "id",
            "rubric",
            "group",
            "group_name",
            "code",
            "content",
            "standard",
            "max_points",
            "kind",
            "kind_display",
            "params",
            "zero_target_policy",
            "requires_evidence",
            "order",
        ]
        read_only_fields = ["rubric", "group", "code", "order"]


class RubricGroupSerializer(serializers.ModelSerializer):
    items = RubricItemSerializer(many=True, read_only=True)

    class Meta:
        model = RubricGroup
        fields = ["id", "category", "name", "max_points", "order", "items"]


class RubricSerializer(serializers.ModelSerializer):
    groups = RubricGroupSerializer(many=True, read_only=True)
    is_frozen = serializers.BooleanField(read_only=True)

    class Meta:
        model = Rubric
        fields = ["id", "year", "version", "title", "based_on", "change_note", "frozen_at", "is_frozen", "groups"]


class AnnualTargetSerializer(serializers.ModelSerializer):
    county_name = serializers.CharField(source="county.name", read_only=True)
    effective_prefab_ratio = serializers.DecimalField(max_digits=5, decimal_places=2, read_only=True)

    class Meta:
        model = AnnualTarget
        fields = [
            "id",
            "county",
            "county_name",
            "year",
            "retrofit_residential_area",
            "retrofit_public_area",
            "prefab_ratio",
            "effective_prefab_ratio",
            "green_ratio",
            "innovation_projects",
            "sci_tech_registrations",
            "final_target_score",
        ]


class ItemScoreSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="item.code")
    max_points = serializers.DecimalField(source="item.max_points", max_digits=6, decimal_places=2)

    class Meta:
        model = ItemScore
        fields = ["code", "max_points", "ratio", "score", "explanation", "applicable", "evidence_missing"]


class AdjustmentSerializer(serializers.ModelSerializer):
    submission = serializers.PrimaryKeyRelatedField(queryset=Submission.objects.none())

    class Meta:
        model = Adjustment
        fields = ["id", "submission", "points", "reason", "created_by", "created_at"]
        read_only_fields = ["created_by", "created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["submission"].queryset = Submission.objects.visible_to(request.user)


class CommentSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="item.code", default=None, allow_null=True, read_only=True)

    class Meta:
        model = ReviewComment
        fields = ["id", "code", "text", "author", "created_at"]


def _figure_field():
    # No limit on input decimals: figures are cut (never rounded, never refused) to 2 places by the service.
    return serializers.DecimalField(max_digits=None, decimal_places=None, required=False, allow_null=True)


class SubmissionSerializer(serializers.ModelSerializer):
    county_name = serializers.CharField(source="county.name", read_only=True)
    status_display = DisplayField("status")
    item_scores = ItemScoreSerializer(many=True, read_only=True)
    adjustments = AdjustmentSerializer(many=True, read_only=True)
    comments = CommentSerializer(many=True, read_only=True)
    correction_notes = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)

    class Meta:
        model = Submission
        fields = [
            "id",
            "county",
            "county_name",
            "year",
            "month",
            "rubric",
            "status",
            "status_display",
            *EDITABLE_FIELDS,
            "manual_scores",
            "prefilled",
            "correction_notes",
            "paper_received_on",
            "first_submitted_at",
            "last_submitted_at",
            "is_late",
            "late_reason",
            "items_total",
            "adjustments_total",
            "score",
            "flags",
            "return_comment",
            "item_scores",
            "adjustments",
            "comments",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            f
            for f in fields
            if f not in EDITABLE_FIELDS and f not in ("year", "month", "correction_notes", "item_scores")
        ]
        extra_kwargs = {"year": {"required": True}, "month": {"required": True}}

    def get_fields(self):
        fields = super().get_fields()
        for name in (*Submission.FIGURE_FIELDS, "self_score"):
            fields[name] = _figure_field()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["year"].read_only = True
            fields["month"].read_only = True
        return fields


# What the list leaves out: the nested rows and the JSON working data; GET /submissions/<id>/ has them all.
SUBMISSION_DETAIL_ONLY = ("item_scores", "adjustments", "comments", "manual_scores", "prefilled", "correction_notes")


class SubmissionListSerializer(FastRowsMixin, SubmissionSerializer):
    """列表行：报送的数值、状态和得分；逐项得分、加减分、审核意见和预填数据只在详情中。"""

    item_scores = None
    adjustments = None
    comments = None
    correction_notes = None

    class Meta(SubmissionSerializer.Meta):
        fields = [f for f in SubmissionSerializer.Meta.fields if f not in SUBMISSION_DETAIL_ONLY]
        read_only_fields = fields


class ReturnSerializer(serializers.Serializer):
    comments = serializers.DictField(
        child=serializers.CharField(allow_blank=True), required=False, help_text="考评项编号 → 意见"
    )
    general = serializers.CharField(required=False, allow_blank=True)


class ManualScoreSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="人工评分项的编号")
    value = serializers.CharField(help_text="得分（0至该项满分，保留两位小数，只舍不入）")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class RubricMaximaSerializer(serializers.Serializer):
    """Several maxima at once, as the 年度设定 page posts them (values are checked by the service)."""

    groups = serializers.DictField(
        child=serializers.CharField(allow_blank=True), required=False, help_text="分组 id → 分组分值"
    )
    items = serializers.DictField(
        child=serializers.CharField(allow_blank=True), required=False, help_text="考评项编号（如 A1）→ 满分"
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=200, default="", label="说明")


class AdoptSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="理由（必填，由服务校验，与年度设定页相同的提示）"
    )


class AdoptedSubmissionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    county = serializers.CharField()
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    score = serializers.DecimalField(max_digits=6, decimal_places=2)


class AdoptResultSerializer(serializers.Serializer):
    rubric = serializers.IntegerField()
    moved = serializers.IntegerField(help_text="改用本版本的月份数")
    submissions = AdoptedSubmissionSerializer(many=True)


class EvidenceSerializer(serializers.ModelSerializer):
    submission = serializers.PrimaryKeyRelatedField(queryset=Submission.objects.none())
    item = serializers.CharField(source="item.code", help_text="考评项编号，如 A1")
    file = serializers.FileField(write_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id",
            "submission",
            "item",
            "file",
            "original_name",
            "content_type",
            "size",
            "uploaded_by",
            "uploaded_at",
            "download_url",
        ]
        read_only_fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["submission"].queryset = Submission.objects.visible_to(request.user)
        self.fields["file"].help_text = "、".join(ext.upper() for ext in ALLOWED)

    def get_download_url(self, obj) -> str:
        return f"/api/v1/assessment/evidence/{obj.pk}/download/"


class DeadlineExceptionSerializer(serializers.ModelSerializer):
    county_name = serializers.CharField(source="county.name", read_only=True)

    class Meta:
        model = DeadlineException
        fields = ["id", "county", "county_name", "year", "month", "new_deadline", "reason", "granted_by", "granted_at"]
        read_only_fields = ["granted_by", "granted_at"]
        validators = []


class AuditEntrySerializer(serializers.ModelSerializer):
    kind_display = DisplayField("kind")
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "county",
            "year",
            "month",
            "submission",
            "actor",
            "actor_name",
            "at",
            "kind",
            "kind_display",
            "field",
            "old_value",
            "new_value",
            "reason",
        ]

    def get_actor_name(self, obj) -> str:
        return obj.actor.display_name if obj.actor else ""


class RankingRowSerializer(serializers.Serializer):
    county_id = serializers.IntegerField()
    county_name = serializers.CharField()
    submission_id = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField()
    score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    items_total = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    adjustments_total = serializers.DecimalField(max_digits=6, decimal_places=2)
    adjustments = serializers.SerializerMethodField()
    rank = serializers.IntegerField(allow_null=True)
    previous_rank = serializers.IntegerField(allow_null=True)
    rank_change = serializers.IntegerField(allow_null=True)
    is_late = serializers.BooleanField()
    is_missing = serializers.BooleanField()
    late_reason = serializers.CharField()
    counted = serializers.BooleanField()

    def get_adjustments(self, obj) -> list[dict]:
        return [{"points": str(points), "reason": reason} for points, reason in obj.adjustments]


class AnnualRowSerializer(serializers.Serializer):
    county_id = serializers.IntegerField()
    county_name = serializers.CharField()
    target_score = serializers.DecimalField(max_digits=6, decimal_places=2)
    target_score_source = serializers.CharField()
    monthly_scores = serializers.ListField(
        child=serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    )
    month_states = serializers.ListField(child=serializers.CharField())
    month_labels = serializers.ListField(child=serializers.CharField())
    months_counted = serializers.IntegerField()
    monthly_average = serializers.DecimalField(max_digits=6, decimal_places=2)
    score = serializers.DecimalField(max_digits=6, decimal_places=2)
    grade = serializers.CharField()
    explanation = serializers.CharField()
    rank = serializers.IntegerField(allow_null=True)
    provisional = serializers.BooleanField()
    pending = serializers.CharField()
    status_note = serializers.CharField()
