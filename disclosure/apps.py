from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "disclosure"
    verbose_name = "项目公示"

    def ready(self):
        # imports here, not at the top: apps.py is loaded before the models are (Django's app registry)
        from disclosure.services import create_for_new_project
        from projects.services import register_project_listener

        register_project_listener(create_for_new_project)  # every new project gets its unpublished 公示 row
        from accounts.roles import MANAGERS
        from core.registry import DashboardPanel, NavItem, register_nav, register_panel
        from disclosure.dashboard import coverage_panel
        from disclosure.notices import on_stage_change
        from projects.services import register_stage_listener

        register_nav(NavItem("项目公示", "disclosure:manage-list", MANAGERS, order=60, group="社会监督"))
        register_panel(
            DashboardPanel(
                "disclosure-coverage",
                "disclosure/panel_coverage.html",
                coverage_panel,
                MANAGERS,
                order=65,
                title="项目公示覆盖率",
                width="col-12 col-xl-6",
            )
        )
        # A project reaching 施工 unpublished: its county is reminded (through the projects app's stage service).
        register_stage_listener(on_stage_change)
