from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "projects"
    verbose_name = "项目库"

    def ready(self):
        from core.registry import DashboardPanel, NavItem, register_nav, register_panel
        from projects.dashboard import cultivation_panel, projects_panel

        managers = ("city_admin", "county_staff")
        register_nav(NavItem("项目库", "projects:project-list", managers, order=10))
        register_nav(NavItem("我的项目", "projects:my-projects", ("unit_user",), order=10))
        register_nav(NavItem("项目月报", "projects:report-list", (*managers, "unit_user"), order=12))
        register_nav(NavItem("月报审核", "projects:review-queue", managers, order=13))
        register_nav(NavItem("参建单位与保险", "projects:participant-list", managers, order=14))
        register_nav(NavItem("约束记录", "projects:constraint-list", managers, order=15))
        register_panel(
            DashboardPanel(
                "projects-summary",
                "projects/panel_summary.html",
                projects_panel,
                ("city_admin", "county_staff", "unit_user"),
                order=10,
            )
        )
        register_panel(
            DashboardPanel(
                "cultivation-ratio", "projects/panel_cultivation.html", cultivation_panel, managers, order=20
            )
        )
