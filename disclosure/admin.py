from django.contrib import admin

from disclosure.models import ProjectDisclosure


@admin.register(ProjectDisclosure)
class ProjectDisclosureAdmin(admin.ModelAdmin):
    list_display = ("project", "published", "published_at", "public_id")
    list_filter = ("published", "project__county")
    search_fields = ("project__name", "project__code", "public_id")
    readonly_fields = ("public_id", "published_at", "published_by", "withdrawn_at", "created_at")
    raw_id_fields = ("project",)
