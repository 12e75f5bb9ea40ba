from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = "通知"

    def ready(self):
        # imports here, not at the top: apps.py is loaded before the models are (Django's app registry)
        from core.registry import DashboardPanel, register_panel
        from notifications.dashboard import todos_panel

        # Every role, before every other panel: what waits for this user comes first.
        register_panel(
            DashboardPanel("todos", "notifications/panel_todos.html", todos_panel, None, order=-100, title="我的待办")
        )
