"""Disclosure API shapes. The public serializer renders only disclosure.public's record (the whitelist)."""

from __future__ import annotations

import dataclasses

from rest_framework import serializers

from disclosure import public
from disclosure.models import ProjectDisclosure


class PublicUnitSerializer(serializers.Serializer):
    role = serializers.CharField()
    role_label = serializers.CharField()
    name = serializers.CharField()
    person = serializers.CharField()
    person_title = serializers.CharField()


class PublicAwardSerializer(serializers.Serializer):
    name = serializers.CharField()
    level = serializers.CharField()
    year = serializers.IntegerField()
    document_no = serializers.CharField()


class PublicInspectionSerializer(serializers.Serializer):
    date = serializers.DateField(allow_null=True)
    title = serializers.CharField()
    result = serializers.CharField()


class PublicProjectSerializer(serializers.Serializer):
    """A published project as the public sees it (no login)."""

    public_id = serializers.CharField()
    url = serializers.CharField()
    code = serializers.CharField()
    name = serializers.CharField()
    county = serializers.CharField()
    location = serializers.CharField()
    category = serializers.CharField()
    stage = serializers.CharField()
    jingpin_status = serializers.CharField()
    scale = serializers.CharField()
    planned_start = serializers.DateField(allow_null=True)
    planned_completion = serializers.DateField(allow_null=True)
    actual_start = serializers.DateField(allow_null=True)
    actual_completion = serializers.DateField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    units = PublicUnitSerializer(many=True)
    awards = PublicAwardSerializer(many=True)
    inspections = PublicInspectionSerializer(many=True)
    complaints_received = serializers.IntegerField()
    complaints_closed = serializers.IntegerField()

    def to_representation(self, instance):
        record = public.build(instance) if isinstance(instance, ProjectDisclosure) else instance
        return super().to_representation(dataclasses.asdict(record) if dataclasses.is_dataclass(record) else record)


class PublicWithdrawalSerializer(serializers.Serializer):
    """A withdrawn page as the public API answers it (410): 已撤销公示, the date and the reason only."""

    detail = serializers.CharField(default="已撤销公示")
    public_id = serializers.CharField()
    url = serializers.CharField()
    code = serializers.CharField()
    name = serializers.CharField()
    county = serializers.CharField()
    withdrawn_at = serializers.DateTimeField()
    reason = serializers.CharField()

    def to_representation(self, instance):
        data = super().to_representation(
            dataclasses.asdict(instance) if dataclasses.is_dataclass(instance) else instance
        )
        data["detail"] = "已撤销公示"
        return data


class ProjectDisclosureSerializer(serializers.ModelSerializer):
    project_code = serializers.CharField(source="project.code", read_only=True)
    project_name = serializers.CharField(source="project.name", read_only=True)
    county_name = serializers.CharField(source="project.county.name", read_only=True)

    class Meta:
        model = ProjectDisclosure
        fields = [
            "id",
            "project",
            "project_code",
            "project_name",
            "county_name",
            "public_id",
            "location",
            "published",
            "published_at",
            "withdrawn_at",
            "withdrawal_reason",
        ]
        read_only_fields = fields


class PublishInputSerializer(serializers.Serializer):
    location = serializers.CharField(label="工程地点", max_length=200, required=False, allow_blank=True)


class WithdrawInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        label="撤销原因", help_text="必填，在公示页上向公众显示", max_length=200, allow_blank=True, required=False
    )
