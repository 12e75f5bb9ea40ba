from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "evaluation"
    verbose_name = "精品工程评价"

    def ready(self):
        # imports here, not at the top: apps.py is loaded before the models are (Django's app registry)
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
        register_nav(NavItem("精品工程复核", "evaluation:review-list", roles.MANAGERS, order=16))
        register_nav(NavItem("评价标准", "evaluation:template-list", roles.MANAGERS_AND_EXPERTS, order=25))
        register_panel(
            DashboardPanel(
                "evaluation",
                "evaluation/panel_evaluation.html",
                evaluation_panel,
                roles=roles.MANAGERS_AND_EXPERTS,
                order=200,
                title="精品工程评价",
                width="col-lg-6",
            )
        )

        # 复核: a veto event after certification. Every one-vote veto that happens on the record makes a constraint
        # record (an escalated 整改通知单, an accident, a penalty …): its creation checks the project at once; the
        # daily task (evaluation.tasks.review_certified_projects) catches the rest (insurance lapsing with time).
        from disclosure.public import register_jingpin_label
        from evaluation.review import public_jingpin_label, review_on_constraint_record
        from projects.services import register_constraint_listener

        register_constraint_listener(review_on_constraint_record)
        register_jingpin_label(public_jingpin_label)
