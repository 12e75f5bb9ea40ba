from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group

from accounts import roles, security, services
from accounts.forms import AdminLoginForm
from accounts.models import ApiToken, Enterprise, EnterpriseKind, EnterpriseRegistration, Region, SecurityEvent, User
from core.admin import ReadOnlyAdmin


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "level", "parent", "order", "prefab_target_ratio")
    list_filter = ("level",)
    search_fields = ("name", "code")
    ordering = ("level", "order")

    # A change goes through the same service as the API (rule, audit, open months re-scored).
    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name in services.REGION_FIELDS}
        if change:
            services.save_region(
                request.user, Region.objects.get(pk=obj.pk), request=request, channel="admin", **fields
            )
        else:
            services.save_region(request.user, None, request=request, channel="admin", **form.cleaned_data)


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
        ("角色与归属", {"fields": ("name", "role", "region", "enterprise", "is_enterprise_admin", "phone")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        ("角色与归属", {"fields": ("name", "role", "region", "enterprise")}),
    )
    # What makes an account climb: only a superuser grants it (accounts.roles, module docstring).
    PRIVILEGE_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += tuple(f for f in self.PRIVILEGE_FIELDS if f not in fields)
        return fields

    # Change (incl. deactivation and the password page, which asks has_change_permission) and delete (incl. the
    # bulk action, which asks per object): only on an account the rule lets the staff member act on.
    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or roles.can_act_on_account(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or roles.can_act_on_account(request.user, obj))

    def save_model(self, request, obj, form, change):
        """A deactivation saved here has the app's consequences and audit (``services.deactivated_in_admin``)."""
        was_active = change and User.objects.filter(pk=obj.pk, is_active=True).exists()
        super().save_model(request, obj, form, change)
        if was_active and not obj.is_active:
            services.deactivated_in_admin(request.user, obj, request=request)

    def user_change_password(self, request, id, form_url=""):
        """Django's password page (it asks ``has_change_permission`` first); a password it saves has the reset's
        consequences and audit (``security.password_set_in_admin``)."""
        target = self.get_object(request, unquote(id))
        before = target.password if target is not None else None
        response = super().user_change_password(request, id, form_url)
        if target is not None and request.method == "POST":
            target.refresh_from_db(fields=["password"])
            if target.password != before:
                security.password_set_in_admin(target, actor=request.user, request=request)
        return response


admin.site.login_form = AdminLoginForm


@admin.register(EnterpriseRegistration)
class EnterpriseRegistrationAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "credit_code", "county", "status", "submitted_at")
    list_filter = ("status", "county")
    search_fields = ("number", "name", "credit_code")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # decided in the app (accounts.services), where the rule and the audit are


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "kind", "channel", "username", "ip", "actor", "detail")
    list_filter = ("kind", "channel")
    search_fields = ("username", "ip")
    date_hierarchy = "at"


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "user", "created_at", "expires_at", "last_used_at")
    search_fields = ("name", "prefix", "user__username")
    readonly_fields = ("user", "name", "prefix", "created_at", "expires_at", "last_used_at")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or roles.can_act_on_account(request.user, obj.user))

    # Deleting a token here is a revocation: the same service (rule and audit) as the token page.
    def delete_model(self, request, obj):
        security.revoke_token(obj, actor=request.user, request=request, channel="admin")

    def delete_queryset(self, request, queryset):
        for token in queryset.select_related("user"):
            security.revoke_token(token, actor=request.user, request=request, channel="admin")


# Groups carry permissions: changing one grants them, so only a superuser edits groups.
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(BaseGroupAdmin):
    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
