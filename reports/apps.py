from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = "报表"

    def ready(self):
        # imports here, not at the top: apps.py is loaded before the models are (Django's app registry)
        from accounts import roles
        from core.metrics import register_metrics
        from core.registry import NavItem, StatusSection, register_nav, register_status_section
        from reports.generators import annual, monthly  # noqa: F401 - the generators register on import
        from reports.metrics import report_metrics
        from reports.operations import report_runs_status

        register_nav(NavItem("报表", "reports:list", roles.MANAGERS, order=70))
        register_metrics(report_metrics)
        register_status_section(
            StatusSection("reports", "reports/operations_section.html", report_runs_status, order=20)
        )
