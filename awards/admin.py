"""Django admin for the award catalogue (reference data). Values are changed with a date through the app
(awards.services.change_award_value) so the history rules hold; here they are read-only."""

from django.contrib import admin

from awards.models import Award, AwardRecord, AwardValue, DanheSelection


class AwardValueInline(admin.TabularInline):
    model = AwardValue
    extra = 0
    can_delete = False
    fields = ["effective_from", "points", "bonus_wan", "basis", "created_by", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Award)
class AwardAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "full_name", "order"]
    list_filter = ["level"]
    fields = ["code", "name", "full_name", "level", "order"]
    readonly_fields = ["code"]
    inlines = [AwardValueInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AwardRecord)
class AwardRecordAdmin(admin.ModelAdmin):
    list_display = ["year", "award", "project", "contractor", "points", "bonus_wan", "grant_date", "document_no"]
    list_filter = ["award__level", "award", "year"]
    search_fields = ["project__name", "project__code", "document_no", "contractor__name"]
    list_select_related = ["award", "project", "contractor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DanheSelection)
class DanheSelectionAdmin(admin.ModelAdmin):
    list_display = ["county", "year", "method", "winners_count", "status", "confirmed_at"]
    list_filter = ["status", "year"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
