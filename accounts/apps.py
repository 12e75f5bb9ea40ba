from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "组织与用户"

    def ready(self):
        from accounts import roles
        from accounts.dashboard import organisation_panel
        from core.registry import DashboardPanel, NavItem, register_nav, register_panel

        register_nav(NavItem("单位", "accounts:enterprise-list", roles.MANAGERS, order=80))
        register_nav(NavItem("用户", "accounts:user-list", roles.MANAGERS, order=90))
        register_nav(NavItem("安全日志", "accounts:security-log", roles.CITY_ADMINS, order=95))
        register_panel(
            DashboardPanel("organisation", "accounts/panel_organisation.html", organisation_panel, order=900)
        )
