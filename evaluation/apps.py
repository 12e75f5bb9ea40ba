from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "evaluation"
    verbose_name = "精品工程评价"

    def ready(self):
        from evaluation.credit import register_source
        from evaluation.services import backfill_todos

        register_source()  # 精品工程/示范 results make 诚信档案 entries (credit.registry)
        from notifications.services import register_todo_source

        register_todo_source("evaluation", backfill_todos)  # to-dos from the state: demo seed, sync_todos
        from accounts import roles
        from core.registry import DashboardPanel, NavItem, register_nav, register_panel
        from evaluation.dashboard import evaluation_panel

        register_nav(NavItem("精品工程评价", "evaluation:evaluation-list", roles.MANAGERS, order=20))
        register_nav(NavItem("我的评审", "evaluation:evaluation-list", roles.EXPERTS, order=20))
        register_nav(NavItem("精品工程项目库", "evaluation:library", roles.MANAGERS, order=15))
        register_nav(NavItem("评价标准", "evaluation:template-list", roles.MANAGERS_AND_EXPERTS, order=25))
        register_panel(
            DashboardPanel(
                "evaluation",
                "evaluation/panel_evaluation.html",
                evaluation_panel,
                roles=roles.MANAGERS_AND_EXPERTS,
                order=200,
            )
        )
