from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "complaints"
    verbose_name = "投诉举报"

    def ready(self):
        # imports here, not at the top: apps.py is loaded before the models are (Django's app registry)
        from complaints.credit import register_source
        from complaints.services import backfill_todos
        from notifications.services import register_todo_source

        register_todo_source("complaints", backfill_todos)  # to-dos from the state: demo seed, sync_todos
        register_source()  # substantiated complaints make 诚信档案 entries of their responsible unit
        from accounts.roles import MANAGERS as managers
        from complaints.dashboard import complaints_panel
        from complaints.public import annotate_disclosures
        from core.registry import DashboardPanel, NavItem, register_nav, register_panel
        from disclosure.public import register_annotator

        register_nav(NavItem("投诉举报台账", "complaints:ledger", managers, order=61, group="社会监督"))
        register_nav(NavItem("节假日安排", "complaints:calendar", managers, order=62, group="社会监督"))
        register_annotator(annotate_disclosures)
        register_panel(
            DashboardPanel(
                "complaints", "complaints/panel.html", complaints_panel, managers, order=40, title="投诉举报"
            )
        )
