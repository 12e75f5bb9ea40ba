from django.apps import AppConfig


class CreditConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "credit"
    verbose_name = "诚信档案"

    def ready(self):
        from accounts import roles
        from core.registry import DashboardPanel, NavItem, register_nav, register_panel
        from credit import sources
        from credit.dashboard import credit_panel

        sources.register_all()  # the sources kept by ``projects`` (constraint records, insurance, green pilots)

        # group: one "诚信档案" menu for this app's pages whatever their URL namespace
        register_nav(NavItem("重点监管名单", "credit_lists:watchlist", roles.MANAGERS, order=55, group="诚信档案"))
        register_panel(DashboardPanel("credit", "credit/panel_credit.html", credit_panel, roles.MANAGERS, order=450))
