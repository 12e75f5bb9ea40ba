from django.contrib import admin

from projects import services
from projects.models import ConstraintRecord, MonthlyReport, MonthlyReportVersion, Participant, Project, StageChange


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    readonly_fields = ("from_stage", "to_stage", "changed_on", "changed_by", "note")
    can_delete = False


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    autocomplete_fields = ("enterprise",)


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "county", "year", "category", "government_invested", "stage", "jingpin_status")
    list_filter = ("county", "category", "stage", "jingpin_status", "government_invested", "green_pilot")
    search_fields = ("code", "name")
    readonly_fields = ("stage", "jingpin_status", "priority_recommended", "created_by", "created_at", "updated_at")
    inlines = [ParticipantInline, StageChangeInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            services.project_registered(obj)  # what projects.services.create_project tells the other apps


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ("project", "enterprise", "role", "key_person", "insurance_valid_until")
    list_filter = ("role",)
    search_fields = ("project__code", "project__name", "enterprise__name")
    autocomplete_fields = ("project", "enterprise")


@admin.register(ConstraintRecord)
class ConstraintRecordAdmin(admin.ModelAdmin):
    list_display = ("participant", "kind", "occurred_on", "status", "status_changed_by", "status_changed_at")
    list_filter = ("kind", "status")
    readonly_fields = ("status_changed_by", "status_changed_at", "created_by")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            services.constraint_recorded(obj)  # what projects.services.add_constraint_record tells the other apps


class MonthlyReportVersionInline(admin.TabularInline):
    model = MonthlyReportVersion
    extra = 0
    can_delete = False
    readonly_fields = ("version", "status", "return_reason", "submitted_by", "submitted_at", "data")


@admin.register(MonthlyReport)
class MonthlyReportAdmin(admin.ModelAdmin):
    list_display = ("project", "year", "month", "status", "version", "submitted_at", "reviewed_at")
    list_filter = ("status", "year", "month")
    search_fields = ("project__code", "project__name")
    readonly_fields = ("status", "version", "created_by", "submitted_at", "reviewed_by", "reviewed_at")
    inlines = [MonthlyReportVersionInline]
