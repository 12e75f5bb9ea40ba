from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "inspections"
    verbose_name = "双随机检查"

    def ready(self):
        from core.registry import DashboardPanel, NavItem, register_nav, register_panel
        from inspections.dashboard import inspections_panel

        staff = ("city_admin", "county_staff")
        register_nav(
            NavItem(
                "检查计划",
                "inspections:plan-list",
                ("city_admin", "county_staff", "expert"),
                order=60,
                group="督查",
            )
        )
        register_nav(
            NavItem(
                "整改通知单",
                "inspections:notice-list",
                ("city_admin", "county_staff", "expert", "unit_user"),
                order=61,
                group="督查",
            )
        )
        register_panel(DashboardPanel("inspections", "inspections/panel.html", inspections_panel, staff, order=600))
