from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "inspections"
    verbose_name = "双随机检查"

    def ready(self):
        # imports here, not at the top: apps.py is loaded before the models are (Django's app registry)
        from inspections.notices import backfill_todos
        from notifications.services import register_todo_source

        register_todo_source("inspections", backfill_todos)  # to-dos from the state: demo seed, sync_todos
        from accounts import roles
        from assessment import facts
        from core.registry import DashboardPanel, NavItem, register_nav, register_panel
        from disclosure.public import register_inspection_source
        from evaluation.choices import VetoKind
        from evaluation.services import register_veto_check
        from inspections.a1 import a1_fact
        from inspections.credit import register_source
        from inspections.dashboard import inspections_panel
        from inspections.public import published_rows
        from inspections.rectification import overdue_veto_details

        register_nav(NavItem("检查计划", "inspections:plan-list", roles.MANAGERS_AND_EXPERTS, order=60, group="督查"))
        register_nav(NavItem("整改通知单", "inspections:notice-list", roles.ALL_ROLES, order=61, group="督查"))
        register_panel(
            DashboardPanel(
                "inspections",
                "inspections/panel.html",
                inspections_panel,
                roles.MANAGERS,
                order=600,
                title="双随机检查问题",
                width="col-lg-6",
            )
        )
        # A1 is computed from the records; an overdue finding opens the 精品工程 veto.
        facts.register(facts.FactProvider("no_unrectified_findings", "A1", a1_fact, "inspections/_a1_line.html"))
        register_veto_check(VetoKind.OVERDUE_FINDING, overdue_veto_details)
        register_source()  # escalated notices, 行政处罚 and on-time rectification make 诚信档案 entries
        register_inspection_source(published_rows)  # 一公开: the confirmed results on the public project page
