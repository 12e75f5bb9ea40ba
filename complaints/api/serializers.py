"""Serializers of the ledger API: shapes only; every step goes through complaints.services."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Enterprise, Region, User
from complaints.choices import STAFF_CHANNEL_CHOICES, Satisfaction, Substantiated
from complaints.models import Complaint, ComplaintCategory, ComplaintEvent, Extension, ReturnVisit
from projects.models import Project


class ComplaintEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.display_name", default=None, allow_null=True, read_only=True)

    class Meta:
        model = ComplaintEvent
        fields = ["action", "from_status", "to_status", "actor", "note", "at"]


class ReturnVisitSerializer(serializers.ModelSerializer):
    recorded_by = serializers.CharField(
        source="recorded_by.display_name", default=None, allow_null=True, read_only=True, label="回访人"
    )
    decision = serializers.ChoiceField(
        choices=ReturnVisit.Decision.choices, allow_blank=True, read_only=True, label="市局决定"
    )

    class Meta:
        model = ReturnVisit
        fields = ["satisfaction", "channel", "note", "recorded_by", "at", "decision", "decision_reason", "decided_at"]
        read_only_fields = fields


class ComplaintSerializer(serializers.ModelSerializer):
    county_name = serializers.CharField(source="county.name", read_only=True)
    project_name = serializers.CharField(source="project.name", default=None, allow_null=True, read_only=True)
    handler_name = serializers.CharField(source="handler.display_name", default=None, allow_null=True, read_only=True)
    overdue_stage = serializers.ChoiceField(
        choices=Complaint._meta.get_field("overdue_stage").choices, allow_blank=True, read_only=True
    )
    overdue = serializers.SerializerMethodField()
    entered_by_name = serializers.CharField(
        source="entered_by.display_name", default=None, allow_null=True, read_only=True, label="录入人"
    )
    category = serializers.CharField(source="category_id", read_only=True, label="类别代码")
    category_name = serializers.CharField(source="category.name", read_only=True, label="类别")
    subcategory_name = serializers.CharField(
        source="subcategory.name", default=None, allow_null=True, read_only=True, label="子类别"
    )
    responsible_enterprises = serializers.PrimaryKeyRelatedField(many=True, read_only=True, label="责任单位")
    responsible_enterprise_names = serializers.SerializerMethodField(label="责任单位名称")
    # Blank until 办结 (as overdue_stage): the schema's enum must allow "" or every open complaint violates it.
    substantiated = serializers.ChoiceField(
        choices=Complaint._meta.get_field("substantiated").choices,
        allow_blank=True,
        read_only=True,
        label="核查结论",
        help_text="办结时认定（yes 属实 / partly 部分属实 / no 不属实）；办结前为空",
    )

    class Meta:
        model = Complaint
        fields = [
            "id",
            "tracking_no",
            "county",
            "county_name",
            "project",
            "project_name",
            "address",
            "category",
            "category_name",
            "subcategory",
            "subcategory_name",
            "description",
            "status",
            "handler",
            "handler_name",
            "received_at",
            "channel",
            "received_on",
            "source_ref",
            "entered_by_name",
            "accept_due",
            "close_due",
            "close_due_original",
            "accepted_at",
            "accepted_late",
            "closed_late",
            "finished_at",
            "findings",
            "reply",
            "substantiated",
            "responsible_enterprises",
            "responsible_enterprise_names",
            "reject_reason",
            "targeted_plan",
            "overdue",
            "overdue_stage",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_overdue(self, obj) -> bool:
        return obj.is_overdue()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_responsible_enterprise_names(self, obj) -> list[str]:
        return [e.name for e in obj.responsible_enterprises.all()]


class ExtensionSerializer(serializers.ModelSerializer):
    requested_by = serializers.CharField(
        source="requested_by.display_name", default=None, allow_null=True, read_only=True, label="申请人"
    )
    decided_by = serializers.CharField(
        source="decided_by.display_name", default=None, allow_null=True, read_only=True, label="审批人"
    )

    class Meta:
        model = Extension
        fields = [
            "id",
            "previous_due",
            "requested_due",
            "reason",
            "requested_by",
            "requested_at",
            "state",
            "decided_by",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields


class ComplaintDetailSerializer(ComplaintSerializer):
    events = ComplaintEventSerializer(many=True, read_only=True)
    extensions = ExtensionSerializer(many=True, read_only=True)
    return_visits = ReturnVisitSerializer(many=True, read_only=True)

    class Meta(ComplaintSerializer.Meta):
        fields = [*ComplaintSerializer.Meta.fields, "events", "extensions", "return_visits"]
        read_only_fields = fields


class ContactSerializer(serializers.Serializer):
    """The complainant's contact, for one audited display (``GET /api/v1/complaints/<id>/contact/``)."""

    complainant_name = serializers.CharField(label="投诉人姓名", allow_blank=True)
    complainant_phone = serializers.CharField(label="联系电话", allow_blank=True)


class ExtensionInputSerializer(serializers.Serializer):
    new_due = serializers.DateField(label="申请延至")
    reason = serializers.CharField(label="延期理由", max_length=1000)


class ExtensionDecisionInputSerializer(serializers.Serializer):
    approve = serializers.BooleanField(label="是否批准")
    note = serializers.CharField(
        label="审批意见", max_length=1000, required=False, allow_blank=True, default="", help_text="不批准时必填"
    )


class NoteInputSerializer(serializers.Serializer):
    note = serializers.CharField(label="说明", max_length=1000, required=False, allow_blank=True, default="")


class CloseInputSerializer(serializers.Serializer):
    """办结销号: the 核查结论, and for a complaint found (partly) true the responsible unit — a participant of the
    complaint's project (any enterprise, or none, for a complaint about an address); checked by the service."""

    findings = serializers.CharField(label="核查情况", max_length=4000)
    reply = serializers.CharField(label="答复意见", max_length=4000)
    substantiated = serializers.ChoiceField(
        label="核查结论",
        choices=Substantiated.choices,
        error_messages={
            "required": "请选择核查结论（属实、部分属实或不属实）。",
            "invalid_choice": "核查结论应为 yes（属实）、partly（部分属实）或 no（不属实）。",
        },
    )
    responsible_enterprises = serializers.PrimaryKeyRelatedField(
        label="责任单位",
        many=True,
        queryset=Enterprise.objects.all(),
        required=False,
        default=list,
        help_text="单位编号列表；属实或部分属实时认定（本项目参建单位），各记入其诚信档案",
        error_messages={"does_not_exist": "责任单位不存在。", "incorrect_type": "责任单位应为单位编号。"},
    )
    responsible_enterprise = serializers.PrimaryKeyRelatedField(
        label="责任单位（单个，兼容旧版）",
        queryset=Enterprise.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        error_messages={"does_not_exist": "责任单位不存在。", "incorrect_type": "责任单位应为单位编号。"},
    )


class ReturnVisitInputSerializer(serializers.Serializer):
    """电话回访: the complainant's satisfaction as told by phone (recorded by the handler or the city)."""

    satisfaction = serializers.ChoiceField(
        label="满意度",
        choices=Satisfaction.choices,
        error_messages={"invalid_choice": "满意度应为 satisfied（满意）、basic（基本满意）或 unsatisfied（不满意）。"},
    )
    note = serializers.CharField(label="投诉人意见", max_length=500, required=False, allow_blank=True, default="")


class ReopenDecisionInputSerializer(serializers.Serializer):
    """市局对回访不满意的决定: reopen（重新办理）or keep（维持办结）, with a reason."""

    decision = serializers.ChoiceField(label="决定", choices=ReturnVisit.Decision.choices)
    reason = serializers.CharField(label="决定理由", max_length=500)


class RejectInputSerializer(serializers.Serializer):
    reason = serializers.CharField(label="不予受理理由", max_length=2000)


class AssignInputSerializer(serializers.Serializer):
    handler = serializers.PrimaryKeyRelatedField(
        label="承办人", queryset=User.objects.filter(role=User.Role.COUNTY_STAFF, is_active=True)
    )


class ReassignInputSerializer(serializers.Serializer):
    county = serializers.PrimaryKeyRelatedField(label="县（市、区）", queryset=Region.objects.filter(level="county"))
    reason = serializers.CharField(label="改派理由", max_length=500)


class EnterInputSerializer(serializers.Serializer):
    """A complaint that came by 12345, phone, letter, visit or 信访 referral, entered by staff."""

    channel = serializers.ChoiceField(label="来源渠道", choices=STAFF_CHANNEL_CHOICES)
    received_on = serializers.DateField(label="收到日期")
    category = serializers.SlugRelatedField(
        label="问题类别",
        slug_field="code",
        queryset=ComplaintCategory.objects.top(),
        required=False,
        allow_null=True,
        default=None,
        help_text="一级类别代码（如 quality 质量、safety 安全、civilized 文明施工、other 其他）；选了子类别可不填",
        error_messages={"does_not_exist": "问题类别不存在。"},
    )
    subcategory = serializers.PrimaryKeyRelatedField(
        label="子类别",
        queryset=ComplaintCategory.objects.filter(parent__isnull=False),
        required=False,
        allow_null=True,
        default=None,
        error_messages={"does_not_exist": "子类别不存在。"},
    )
    description = serializers.CharField(label="问题描述", max_length=2000)
    project = serializers.PrimaryKeyRelatedField(
        label="项目", queryset=Project.objects.all(), required=False, allow_null=True, default=None
    )
    county = serializers.PrimaryKeyRelatedField(
        label="县（市、区）",
        queryset=Region.objects.filter(level="county"),
        required=False,
        allow_null=True,
        default=None,
    )
    address = serializers.CharField(label="地点", max_length=200, required=False, allow_blank=True, default="")
    name = serializers.CharField(label="投诉人姓名", max_length=50, required=False, allow_blank=True, default="")
    phone = serializers.CharField(label="联系电话", max_length=30, required=False, allow_blank=True, default="")
    source_ref = serializers.CharField(
        label="来文/工单编号", max_length=60, required=False, allow_blank=True, default=""
    )
    documents = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class EnteredComplaintSerializer(serializers.Serializer):
    complaint = ComplaintDetailSerializer()
    secret = serializers.CharField(label="查询码（只显示这一次，告知投诉人）")
