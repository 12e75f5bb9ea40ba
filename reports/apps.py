from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = "报表"

    def ready(self):
        from accounts import roles
        from core.metrics import register_metrics
        from core.registry import NavItem, register_nav
        from reports.metrics import report_metrics

        register_nav(NavItem("报表", "reports:list", roles.MANAGERS, order=70))
        register_metrics(report_metrics)
