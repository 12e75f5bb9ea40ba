from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.forms import AdminLoginForm
from accounts.models import ApiToken, Enterprise, EnterpriseKind, Region, SecurityEvent, User


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "level", "parent", "order", "prefab_target_ratio")
    list_filter = ("level",)
    search_fields = ("name", "code")
    ordering = ("level", "order")


@admin.register(EnterpriseKind)
class EnterpriseKindAdmin(admin.ModelAdmin):
    list_display = ("code", "name")


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ("name", "credit_code", "region")
    list_filter = ("kinds", "region")
    search_fields = ("name", "credit_code")
    filter_horizontal = ("kinds",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "name", "role", "region", "enterprise", "is_active")
    list_filter = ("role", "region", "is_active")
    search_fields = ("username", "name")
    fieldsets = BaseUserAdmin.fieldsets + (
        ("角色与归属", {"fields": ("name", "role", "region", "enterprise", "phone")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        ("角色与归属", {"fields": ("name", "role", "region", "enterprise")}),
    )


admin.site.login_form = AdminLoginForm


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    list_display = ("at", "kind", "channel", "username", "ip", "actor", "detail")
    list_filter = ("kind", "channel")
    search_fields = ("username", "ip")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "user", "created_at", "expires_at", "last_used_at")
    search_fields = ("name", "prefix", "user__username")
    readonly_fields = ("user", "name", "prefix", "created_at", "expires_at", "last_used_at")

    def has_add_permission(self, request):
        return False
