from django.apps import AppConfig


class AwardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "awards"
    verbose_name = "奖励与积分"

    def ready(self):
        # imports here, not at the top: apps.py is loaded before the models are (Django's app registry)
        from accounts import roles
        from awards.credit import register_source
        from awards.dashboard import ledger_panel
        from awards.querysets import LEDGER_MODELS
        from core.panel_cache import connect
        from core.registry import DashboardPanel, NavItem, register_nav, register_panel

        register_source()  # award records make 诚信档案 entries (credit.registry)
        connect(*LEDGER_MODELS)  # every process drops the cached ledger rows when their data changes

        register_nav(NavItem("奖励记录", "awards:record-list", roles.MANAGERS_AND_UNITS, order=40))
        register_nav(NavItem("积分台账", "awards:ledger", roles.MANAGERS_AND_UNITS, order=41))
        register_nav(NavItem("丹河杯", "awards:danhe-list", roles.MANAGERS, order=42))
        register_nav(NavItem("激励奖金", "awards:savings-list", roles.MANAGERS_AND_UNITS, order=43))
        register_panel(
            DashboardPanel(
                "awards-ledger",
                "awards/panel_ledger.html",
                ledger_panel,
                roles.MANAGERS_AND_UNITS,
                order=400,
                title="积分台账",
                width="col-lg-6",
            )
        )
