from django.contrib import admin

from assessment.models import (
    Adjustment,
    AnnualTarget,
    AuditEntry,
    DeadlineException,
    Evidence,
    ItemScore,
    Rubric,
    RubricGroup,
    RubricItem,
    Submission,
)
from core.admin import ReadOnlyAdmin


class ServiceOnlyAdmin(ReadOnlyAdmin):
    """Viewable here, written only through assessment's services (year page, review pages, API): they check the
    input, keep the audit trail and re-score the open months."""


class RubricReadOnlyInline(admin.TabularInline):
    """Groups and items are read-only here: maxima and rules change only through the services that keep a rubric at
    100 points with every group adding up and never change a published month's version (年度设定 page, API)."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return list(self.fields)

    def has_add_permission(self, request, obj=None):
        return False


class RubricGroupInline(RubricReadOnlyInline):
    model = RubricGroup
    fields = ("order", "category", "name", "max_points")


class RubricItemInline(RubricReadOnlyInline):
    model = RubricItem
    fields = ("order", "code", "group", "content", "max_points", "kind", "params", "zero_target_policy")


@admin.register(Rubric)
class RubricAdmin(ServiceOnlyAdmin):
    """A year's rubric starts on the 年度设定 page (years.start_year) and changes only through its services."""

    list_display = ("year", "version", "title", "frozen_at", "created_at")
    inlines = [RubricGroupInline, RubricItemInline]


@admin.register(AnnualTarget)
class AnnualTargetAdmin(ServiceOnlyAdmin):
    list_display = (
        "county",
        "year",
        "retrofit_residential_area",
        "retrofit_public_area",
        "prefab_ratio",
        "green_ratio",
    )
    list_filter = ("year",)


class ItemScoreInline(admin.TabularInline):
    model = ItemScore
    extra = 0
    readonly_fields = ("item", "ratio", "score", "explanation", "evidence_missing")
    can_delete = False


@admin.register(Submission)
class SubmissionAdmin(ServiceOnlyAdmin):
    """Read-mostly: changes go through the web UI / API so they are validated and audited."""

    list_display = ("county", "year", "month", "status", "is_late", "items_total", "adjustments_total", "score")
    list_filter = ("year", "month", "status", "is_late", "county")
    readonly_fields = [f.name for f in Submission._meta.fields]
    inlines = [ItemScoreInline]


@admin.register(Evidence)
class EvidenceAdmin(ServiceOnlyAdmin):
    list_display = ("original_name", "submission", "item", "content_type", "size", "uploaded_at")
    readonly_fields = ("submission", "item", "file", "original_name", "content_type", "size", "uploaded_by")


@admin.register(Adjustment)
class AdjustmentAdmin(ServiceOnlyAdmin):
    list_display = ("submission", "points", "reason", "created_by", "created_at")
    readonly_fields = ("submission", "points", "reason", "created_by")


@admin.register(DeadlineException)
class DeadlineExceptionAdmin(ServiceOnlyAdmin):
    list_display = ("county", "year", "month", "new_deadline", "reason", "granted_by", "granted_at")


@admin.register(AuditEntry)
class AuditEntryAdmin(ServiceOnlyAdmin):
    list_display = ("at", "county", "year", "month", "actor", "kind", "field", "old_value", "new_value", "reason")
    list_filter = ("kind", "year")
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
