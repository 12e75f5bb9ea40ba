from django.apps import AppConfig


class AwardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "awards"
    verbose_name = "奖励与积分"

    def ready(self):
        from awards.dashboard import ledger_panel
        from core.registry import DashboardPanel, NavItem, register_nav, register_panel

        staff = ("city_admin", "county_staff")
        readers = ("city_admin", "county_staff", "unit_user")
        register_nav(NavItem("奖励记录", "awards:record-list", readers, order=40))
        register_nav(NavItem("积分台账", "awards:ledger", readers, order=41))
        register_nav(NavItem("丹河杯", "awards:danhe-list", staff, order=42))
        register_nav(NavItem("激励奖金", "awards:savings-list", readers, order=43))
        register_panel(DashboardPanel("awards-ledger", "awards/panel_ledger.html", ledger_panel, readers, order=400))
