from django.contrib import admin

from disclosure.models import DisclosureEvent, ProjectDisclosure


class DisclosureEventInline(admin.TabularInline):
    model = DisclosureEvent
    extra = 0
    can_delete = False
    readonly_fields = ("action", "reason", "actor", "created_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ProjectDisclosure)
class ProjectDisclosureAdmin(admin.ModelAdmin):
    list_display = ("project", "published", "published_at", "public_id")
    list_filter = ("published", "project__county")
    search_fields = ("project__name", "project__code", "public_id")
    readonly_fields = (
        "public_id",
        "published",
        "published_at",
        "published_by",
        "withdrawn_at",
        "withdrawn_by",
        "withdrawal_reason",
        "created_at",
    )
    inlines = [DisclosureEventInline]
    raw_id_fields = ("project",)
