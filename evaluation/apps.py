from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "evaluation"
    verbose_name = "精品工程评价"

    def ready(self):
        from core.registry import DashboardPanel, NavItem, register_nav, register_panel
        from evaluation.dashboard import evaluation_panel

        register_nav(NavItem("精品工程评价", "evaluation:evaluation-list", ("city_admin", "county_staff"), order=20))
        register_nav(NavItem("我的评审", "evaluation:evaluation-list", ("expert",), order=20))
        register_nav(NavItem("精品工程项目库", "evaluation:library", ("city_admin", "county_staff"), order=15))
        register_nav(
            NavItem("评价标准", "evaluation:template-list", ("city_admin", "county_staff", "expert"), order=25)
        )
        register_panel(
            DashboardPanel(
                "evaluation",
                "evaluation/panel_evaluation.html",
                evaluation_panel,
                roles=("city_admin", "county_staff", "expert"),
                order=200,
            )
        )
