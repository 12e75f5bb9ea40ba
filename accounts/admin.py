from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import Enterprise, EnterpriseKind, Region, User


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
