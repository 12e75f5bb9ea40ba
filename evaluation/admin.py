from django.contrib import admin

from evaluation.models import CriteriaTemplate, Evaluation, TemplateElement, TemplateItem, VetoItem


class TemplateItemInline(admin.TabularInline):
    model = TemplateItem
    extra = 0


@admin.register(TemplateElement)
class TemplateElementAdmin(admin.ModelAdmin):
    list_display = ("template", "element", "weight")
    inlines = [TemplateItemInline]

    def has_change_permission(self, request, obj=None):
        return False  # templates change through the service (versioning), not here


@admin.register(CriteriaTemplate)
class CriteriaTemplateAdmin(admin.ModelAdmin):
    list_display = ("category", "version", "name", "frozen_at", "created_at")
    list_filter = ("category",)
    readonly_fields = ("category", "version", "frozen_at", "created_by", "created_at")


@admin.register(VetoItem)
class VetoItemAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "is_active", "order")
    list_editable = ("is_active", "order")


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ("project", "year", "status", "result", "total_score", "demonstration")
    list_filter = ("status", "result", "year")
    search_fields = ("project__code", "project__name")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]
