"""Admin bases shared by the apps."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewable in the admin, never written there: the rows are written only through their app's services (which
    check the input and keep the audit), or they are an audit trail themselves."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
