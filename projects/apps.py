from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "projects"
    verbose_name = "项目库"

    def ready(self):
        # imports here, not at the top: apps.py is loaded before the models are (Django's app registry)
        from notifications.services import register_todo_source
        from projects.notices import backfill_todos

        register_todo_source("projects", backfill_todos)  # to-dos from the state: demo seed, sync_todos
        from accounts import roles
        from core.registry import DashboardPanel, NavItem, register_autocomplete, register_nav, register_panel
        from projects.dashboard import cultivation_panel, programme_panel, projects_panel
        from projects.models import Project

        register_autocomplete("projects", Project.objects.autocomplete)

        register_nav(NavItem("项目库", "projects:project-list", roles.MANAGERS, order=10))
        register_nav(NavItem("我的项目", "projects:my-projects", roles.UNIT_USERS, order=10))
        register_nav(NavItem("项目月报", "projects:report-list", roles.MANAGERS_AND_UNITS, order=12))
        register_nav(NavItem("月报审核", "projects:review-queue", roles.MANAGERS, order=13))
        register_nav(NavItem("参建单位与保险", "projects:participant-list", roles.MANAGERS, order=14))
        register_nav(NavItem("约束记录", "projects:constraint-list", roles.MANAGERS, order=15))
        register_nav(NavItem("进度滞后", "projects:laggard-list", roles.MANAGERS, order=16))
        register_nav(NavItem("项目目标核查", "projects:unmet-goal-list", roles.MANAGERS, order=17))
        register_panel(
            DashboardPanel(
                "projects-summary",
                "projects/panel_summary.html",
                projects_panel,
                roles.MANAGERS_AND_UNITS,
                order=10,
                title="项目概况",
            )
        )
        register_panel(
            DashboardPanel(
                "cultivation-ratio",
                "projects/panel_cultivation.html",
                cultivation_panel,
                roles.MANAGERS,
                order=20,
                title="精品工程培育比例",
            )
        )
        register_panel(
            DashboardPanel(
                "programme-checks",
                "projects/panel_programme.html",
                programme_panel,
                roles.MANAGERS,
                order=21,
                title="进度滞后与项目目标",
            )
        )
