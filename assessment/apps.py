from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessment"
    verbose_name = "月度考评"

    def ready(self):
        # imports here, not at the top: apps.py is loaded before the models are (Django's app registry)
        from assessment.services import backfill_todos
        from notifications.services import register_todo_source

        register_todo_source("assessment", backfill_todos)  # to-dos from the state: demo seed, sync_todos
        from accounts.services import region_changed
        from assessment.services import rescore_after_region_change

        region_changed.connect(rescore_after_region_change, dispatch_uid="assessment-region-rescore")
        from accounts import roles
        from assessment.dashboard import city_panel, county_panel
        from core.registry import DashboardPanel, NavItem, register_nav, register_panel

        register_nav(NavItem("月度考评", "assessment:submission-list", roles.MANAGERS, order=40))
        register_panel(
            DashboardPanel(
                "assessment-city", "assessment/panel_city.html", city_panel, roles.CITY_ADMINS, 40, title="月度考评"
            )
        )
        register_panel(
            DashboardPanel(
                "assessment-county",
                "assessment/panel_county.html",
                county_panel,
                roles.COUNTY_STAFF,
                40,
                title="本县月度考评",
            )
        )
