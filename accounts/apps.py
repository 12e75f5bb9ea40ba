from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "组织与用户"

    def ready(self):
        # imports here, not at the top: apps.py is loaded before the models are (Django's app registry)
        from accounts import roles
        from accounts.dashboard import organisation_panel
        from accounts.querysets import autocomplete_enterprises
        from core.registry import DashboardPanel, NavItem, register_autocomplete, register_nav, register_panel

        register_autocomplete("enterprises", autocomplete_enterprises)
        group = "组织与用户"
        register_nav(NavItem("单位", "accounts:enterprise-list", roles.MANAGERS, order=80, group=group))
        register_nav(
            NavItem("用户", "accounts:user-list", None, order=90, group=group, visible=roles.may_manage_accounts)
        )
        register_nav(NavItem("单位注册审核", "accounts:registration-list", roles.MANAGERS, order=92, group=group))
        register_nav(NavItem("安全日志", "accounts:security-log", roles.CITY_ADMINS, order=95, group=group))
        register_panel(
            DashboardPanel(
                "organisation",
                "accounts/panel_organisation.html",
                organisation_panel,
                roles.MANAGERS,
                order=900,
                title="组织概况",
            )
        )
