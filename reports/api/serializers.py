from django.urls import reverse
from rest_framework import serializers

from core.api.fields import DisplayField
from reports.choices import ReportType
from reports.models import ReportArchive


class ReportArchiveSerializer(serializers.ModelSerializer):
    status_display = DisplayField("status")
    report_type_display = DisplayField("report_type")
    requested_by = serializers.StringRelatedField()
    pdf_url = serializers.SerializerMethodField()
    xlsx_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportArchive
        fields = [
            "id",
            "report_type",
            "report_type_display",
            "params",
            "title",
            "status",
            "status_display",
            "progress",
            "error",
            "requested_by",
            "requested_at",
            "started_at",
            "finished_at",
            "summary",
            "has_published_data",
            "pdf_url",
            "xlsx_url",
        ]
        read_only_fields = fields

    def _url(self, obj, kind) -> str | None:
        if not obj.is_done:
            return None
        return reverse("reportarchive-download", kwargs={"pk": obj.pk, "kind": kind})

    def get_pdf_url(self, obj) -> str | None:
        return self._url(obj, "pdf")

    def get_xlsx_url(self, obj) -> str | None:
        return self._url(obj, "xlsx")


class ReportRequestSerializer(serializers.Serializer):
    report_type = serializers.ChoiceField(choices=ReportType.choices)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=1, max_value=12, required=False)

    def params(self) -> dict:
        data = dict(self.validated_data)
        data.pop("report_type")
        return data
