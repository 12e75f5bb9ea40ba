from django.apps import AppConfig


class PilotsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pilots"
    verbose_name = "绿色建造试点"

    def ready(self):
        from accounts import roles
        from core.registry import DashboardPanel, NavItem, register_nav, register_panel
        from notifications.services import register_todo_source
        from pilots import report  # noqa: F401 - registers the 绿色建造试点通报 generator (reports' registry)
        from pilots.dashboard import pilots_panel
        from pilots.notices import backfill_todos

        # Under 督查 (seed 003 五(四): 定期检查、定期评估、定期通报): the navbar keeps its ten groups on one line.
        register_nav(NavItem("绿色建造试点", "pilots:programme", roles.MANAGERS, order=65, group="督查"))
        register_panel(
            DashboardPanel(
                "green-pilots", "pilots/panel_pilots.html", pilots_panel, roles.MANAGERS, order=22, title="绿色建造试点"
            )
        )
        register_todo_source("pilots", backfill_todos)  # to-dos from the state: demo seed, sync_todos
        register_nav(
            NavItem("绿色建造试点", "pilots:pilot-list", roles.UNIT_USERS + roles.EXPERTS, order=65, group="督查")
        )
