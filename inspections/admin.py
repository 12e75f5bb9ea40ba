from django.contrib import admin

from core.admin import ReadOnlyAdmin
from inspections.models import (
    A1Override,
    ChecklistTemplate,
    Finding,
    Inspection,
    InspectionPlan,
    Inspector,
    RectificationNotice,
)


@admin.register(Inspector)
class InspectorAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "county", "specialty", "active")
    list_filter = ("kind", "county", "active")
    search_fields = ("user__name", "user__username")
    raw_id_fields = ("user",)


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "version", "active")
    list_filter = ("code", "active")


@admin.register(InspectionPlan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("name", "county", "year", "status", "drawn_at")
    list_filter = ("status", "year", "county")
    readonly_fields = (
        "status",
        "draw_scheme",
        "value_source",
        "value_not_before",
        "commitment",
        "record_json",
        "locked_at",
        "locked_by",
        "cancel_reason",
        "cancelled_at",
        "cancelled_by",
        "public_value",
        "seed",
        "eligible_projects",
        "eligible_inspectors",
        "exclusions",
        "draw_result",
        "drawn_at",
        "drawn_by",
    )

    def get_readonly_fields(self, request, obj=None):
        """A locked plan is frozen (its record is committed): the lifecycle goes through inspections.services."""
        if obj is not None and obj.status != "draft":
            return [f.name for f in self.model._meta.concrete_fields] + ["scope_counties"]
        return self.readonly_fields


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ("plan", "project", "status", "inspected_on")
    list_filter = ("status",)
    raw_id_fields = ("project",)


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ("__str__", "inspection", "severity", "participant")
    list_filter = ("severity",)
    raw_id_fields = ("inspection", "participant")


@admin.register(RectificationNotice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ("number", "deadline", "status", "closed_on", "penalty_doc_no")
    list_filter = ("status",)
    raw_id_fields = ("finding", "constraint_record")


@admin.register(A1Override)
class A1OverrideAdmin(ReadOnlyAdmin):
    """Read-only here: an override is set on the A1 page, where it is audited and the month rescored."""

    list_display = ("county", "year", "month", "value", "reason", "set_by", "set_at")
