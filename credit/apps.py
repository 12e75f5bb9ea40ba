from django.apps import AppConfig


class CreditConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "credit"
    verbose_name = "诚信档案"

    def ready(self):
        # imports here, not at the top: apps.py is loaded before the models are (Django's app registry)
        from accounts import roles
        from core.registry import DashboardPanel, NavItem, register_nav, register_panel
        from credit import notices, sources
        from credit.dashboard import credit_panel
        from notifications.services import register_todo_source

        sources.register_all()  # the sources kept by ``projects`` (constraint records, insurance, green pilots)
        register_todo_source("credit", notices.backfill_todos)  # pending appeals wait for their county

        # group: one "诚信档案" menu for this app's pages whatever their URL namespace
        group = "诚信档案"
        register_nav(NavItem("诚信档案", "credit:enterprise-list", roles.MANAGERS, order=50, group=group))
        register_nav(NavItem("本单位诚信档案", "credit:mine", roles.UNIT_USERS, order=50, group=group))
        register_nav(NavItem("信用修复申诉", "credit:appeal-list", roles.MANAGERS_AND_UNITS, order=52, group=group))
        register_nav(NavItem("信用评价规则", "credit:rule", roles.MANAGERS, order=54, group=group))
        register_nav(NavItem("重点监管名单", "credit_lists:watchlist", roles.MANAGERS, order=55, group=group))
        register_panel(
            DashboardPanel(
                "credit",
                "credit/panel_credit.html",
                credit_panel,
                roles.MANAGERS,
                order=450,
                title="诚信档案 · 信用等级分布",
                width="col-lg-6",
            )
        )
