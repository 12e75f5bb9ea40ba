"""Serializers of the credit API: shapes only; every write goes through credit.services."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import DisplayField
from core.api.rows import FastRowsMixin
from credit import registry, scoring, services
from credit.choices import EntryState, Grade, Severity
from credit.models import AppealDocument, CreditAppeal, CreditEntry, CreditRule, CreditStanding


class EnterpriseNamesMixin(serializers.Serializer):
    """The enterprise's name and 统一社会信用代码 beside its id: ``*EnterpriseNamesMixin.FIELDS`` in ``Meta.fields``."""

    FIELDS = ("enterprise", "enterprise_name", "credit_code")

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True, label="单位名称")
    credit_code = serializers.CharField(source="enterprise.credit_code", read_only=True, label="统一社会信用代码")


class CreditEntrySerializer(FastRowsMixin, EnterpriseNamesMixin, serializers.ModelSerializer):
    """One entry of the 诚信档案; ``state`` is its state on the list's ``on`` day (today without it)."""

    behaviour_display = DisplayField("behaviour", label="行为类别")
    polarity_display = DisplayField("polarity", label="性质")
    severity = serializers.ChoiceField(
        choices=Severity.choices, allow_blank=True, read_only=True, label="严重程度代码", help_text="良好行为为空"
    )
    severity_display = DisplayField("severity", label="严重程度")
    rule_version = serializers.IntegerField(source="rule.version", read_only=True, label="计分规则版本")
    county_name = serializers.CharField(
        source="county.name", read_only=True, default=None, allow_null=True, label="认定县（市、区）"
    )
    source_label = serializers.SerializerMethodField(label="来源")
    source_url = serializers.SerializerMethodField(label="来源链接", help_text="来源记录的页面（需登录）")
    state = serializers.SerializerMethodField(label="状态")
    state_display = serializers.SerializerMethodField(label="状态（中文）")

    class Meta:
        model = CreditEntry
        fields = [
            "id",
            *EnterpriseNamesMixin.FIELDS,
            "behaviour",
            "behaviour_display",
            "polarity",
            "polarity_display",
            "severity",
            "severity_display",
            "title",
            "document_no",
            "occurred_on",
            "valid_until",
            "points",
            "catalogue_points",
            "rule_version",
            "project",
            "county",
            "county_name",
            "source_type",
            "source_label",
            "source_id",
            "source_url",
            "state",
            "state_display",
            "withdrawn_on",
            "withdrawn_reason",
            "created_at",
        ]
        read_only_fields = fields

    def _day(self):
        return self.context.get("day")

    def get_source_label(self, obj) -> str:
        return registry.label(obj.source_type)

    def get_source_url(self, obj) -> str:
        request = self.context.get("request")
        if not obj.source_url or request is None:
            return obj.source_url
        return request.build_absolute_uri(obj.source_url)

    @extend_schema_field(serializers.ChoiceField(choices=EntryState.choices))
    def get_state(self, obj) -> str:
        return str(obj.state(self._day()))

    def get_state_display(self, obj) -> str:
        return obj.state_display(self._day())


class CreditStandingSerializer(FastRowsMixin, EnterpriseNamesMixin, serializers.ModelSerializer):
    """The current score of an enterprise that has (or had) entries; one without any has the base score."""

    grade_display = DisplayField("grade", label="信用等级（中文）")
    blacklisted = serializers.BooleanField(read_only=True, label="黑名单", help_text="D级，或有严重不良记录在有效期内")
    redlisted = serializers.BooleanField(read_only=True, label="红榜", help_text="A级且无严重不良记录")
    watched = serializers.SerializerMethodField(label="重点监管", help_text="C级、D级（内部重点监管名单）")
    rule_version = serializers.IntegerField(source="rule.version", read_only=True, label="计分规则版本")

    class Meta:
        model = CreditStanding
        fields = [
            *EnterpriseNamesMixin.FIELDS,
            "score",
            "grade",
            "grade_display",
            "major_in_force",
            "entries_in_force",
            "blacklisted",
            "redlisted",
            "watched",
            "rule_version",
            "since",
            "checked_on",
        ]
        read_only_fields = fields

    def get_watched(self, obj) -> bool:
        return scoring.under_watch(obj.grade)


class EnterpriseCreditSerializer(serializers.Serializer):
    """What the record showed for one enterprise on one day (``services.standing_on``)."""

    enterprise = serializers.IntegerField(label="单位ID")
    enterprise_name = serializers.CharField(label="单位名称")
    credit_code = serializers.CharField(label="统一社会信用代码")
    on = serializers.DateField(label="日期")
    score = serializers.DecimalField(label="信用分", max_digits=8, decimal_places=2)
    grade = serializers.ChoiceField(label="信用等级", choices=Grade.choices)
    grade_display = serializers.CharField(label="信用等级（中文）")
    major_in_force = serializers.BooleanField(label="有严重不良记录")
    entries_in_force = serializers.IntegerField(label="有效记录数")
    blacklisted = serializers.BooleanField(label="黑名单")
    redlisted = serializers.BooleanField(label="红榜")
    watched = serializers.BooleanField(label="重点监管")
    rule_version = serializers.IntegerField(label="计分规则版本")
    since = serializers.DateField(
        label="起始日期", allow_null=True, help_text="该信用分自哪一天起显示；为空表示当日尚无信用记录（基础分）"
    )


class OnDaySerializer(serializers.Serializer):
    on = serializers.DateField(label="日期", required=False, help_text="默认今天；不能晚于今天")

    def validate_on(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError("日期不能晚于今天（信用分只记录已经发生的情况）。")
        return value


class AppealDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = AppealDocument
        fields = ["id", "original_name", "content_type", "size", "uploaded_at"]
        read_only_fields = fields


class CreditAppealSerializer(EnterpriseNamesMixin, serializers.ModelSerializer):
    entry_behaviour = serializers.CharField(source="entry.behaviour", read_only=True, label="行为类别代码")
    entry_behaviour_display = serializers.CharField(
        source="entry.get_behaviour_display", read_only=True, label="行为类别"
    )
    entry_title = serializers.CharField(source="entry.title", read_only=True, label="行为摘要")
    entry_document_no = serializers.CharField(source="entry.document_no", read_only=True, label="文号")
    entry_occurred_on = serializers.DateField(source="entry.occurred_on", read_only=True, label="认定日期")
    entry_points = serializers.DecimalField(
        source="entry.points", max_digits=6, decimal_places=2, read_only=True, label="分值"
    )
    county = serializers.IntegerField(
        source="entry.county_id", read_only=True, allow_null=True, label="认定县（市、区）", help_text="处理申诉的县"
    )
    status_display = DisplayField("status", label="状态（中文）")
    submitted_by_name = serializers.CharField(
        source="submitted_by.display_name", read_only=True, default=None, allow_null=True, label="申诉人"
    )
    decided_by_name = serializers.CharField(
        source="decided_by.display_name", read_only=True, default=None, allow_null=True, label="处理人"
    )
    documents = AppealDocumentSerializer(many=True, read_only=True)
    may_decide = serializers.SerializerMethodField(label="可处理", help_text="当前用户可以处理该申诉")

    class Meta:
        model = CreditAppeal
        fields = [
            "id",
            "entry",
            "entry_behaviour",
            "entry_behaviour_display",
            "entry_title",
            "entry_document_no",
            "entry_occurred_on",
            "entry_points",
            "county",
            *EnterpriseNamesMixin.FIELDS,
            "reasons",
            "status",
            "status_display",
            "submitted_at",
            "submitted_by_name",
            "decided_at",
            "decided_by_name",
            "decision_reason",
            "documents",
            "may_decide",
        ]
        read_only_fields = fields

    def get_may_decide(self, obj) -> bool:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return bool(obj.status == "pending" and user is not None and services.may_decide(user, obj.entry))


@extend_schema_field(OpenApiTypes.INT)
class ScopedEntryField(serializers.PrimaryKeyRelatedField):
    """An entry the requesting user can see; others are "not found", so their existence does not leak."""

    default_error_messages = {
        "does_not_exist": "信用记录“{pk_value}”不存在。",
        "incorrect_type": "信用记录应填写ID（整数）。",
    }

    def get_queryset(self):
        request = self.context.get("request")
        return CreditEntry.objects.visible_to(request.user if request else None)


class AppealInputSerializer(serializers.Serializer):
    entry = ScopedEntryField(label="信用记录", help_text="本单位有效期内的不良行为记录")
    reasons = serializers.CharField(label="申诉理由", allow_blank=True, trim_whitespace=False)
    documents = serializers.ListField(
        child=serializers.FileField(), label="证明材料", required=False, default=list, help_text="最多5个文件"
    )


class DecisionInputSerializer(serializers.Serializer):
    withdraw = serializers.BooleanField(
        label="撤销该记录", help_text="true：撤销该记录（自今日起不再计分）；false：维持"
    )
    reason = serializers.CharField(label="处理理由", allow_blank=True, trim_whitespace=False)


class CreditRuleSerializer(serializers.ModelSerializer):
    created_by_name = serializers.CharField(
        source="created_by.display_name", read_only=True, default=None, allow_null=True, label="修订人"
    )

    class Meta:
        model = CreditRule
        fields = ["id", "version", "effective_from", "data", "change_note", "created_by_name", "created_at"]
        read_only_fields = fields


class RuleInputSerializer(serializers.Serializer):
    """A new version of the rule: the whole rule as data (the shape of version 1, ``credit.scoring.DEFAULT_RULE``)."""

    data = serializers.JSONField(label="规则内容", help_text="完整的规则（base、grades、behaviours …），格式同第1版")
    note = serializers.CharField(label="修订说明", allow_blank=True, max_length=2000)
    effective_from = serializers.DateField(label="生效日期", required=False, allow_null=True, help_text="默认今天")
