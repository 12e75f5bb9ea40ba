from django.contrib import admin

from complaints.models import CalendarDay, Complaint, ComplaintEvent, ContactView
from core.admin import ReadOnlyAdmin


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "name", "is_workday")
    list_filter = ("is_workday",)
    date_hierarchy = "date"


class EventInline(admin.TabularInline):
    model = ComplaintEvent
    extra = 0
    can_delete = False
    readonly_fields = ("action", "actor", "from_status", "to_status", "note", "at")


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    """Read-only here: the ledger's steps go through the services (state machine and audit)."""

    list_display = (
        "tracking_no",
        "county",
        "category",
        "channel",
        "status",
        "handler",
        "received_on",
        "overdue_stage",
    )
    list_filter = ("status", "category", "channel", "county")
    search_fields = ("tracking_no", "project__name", "address")
    inlines = [EventInline]
    # The contact is shown only through the audited reveal on the complaint's page (services.reveal_contact).
    exclude = ("complainant_name", "complainant_phone")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ContactView)
class ContactViewAdmin(ReadOnlyAdmin):
    """The audit of contact displays: read-only."""

    list_display = ("at", "complaint", "viewer_name", "viewer_was_handler", "channel")
    list_filter = ("channel",)
    search_fields = ("complaint__tracking_no", "viewer_name")
