from django.apps import AppConfig


def is_city_admin(user) -> bool:
    """The user's own predicate (accounts' ``User.is_city_admin``): core names no role of accounts."""
    return bool(getattr(user, "is_city_admin", False))


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = "公共"

    def ready(self):
        # imports here, not at the top: apps.py is loaded before the models are (Django's app registry)
        from core import images, numbers, observability
        from core.panel_cache import connect_row_counts
        from core.registry import NavItem, register_nav

        numbers.install()
        images.install_limit()  # Pillow's decompression-bomb guard at the product's pixel limit
        connect_row_counts()  # the cached counts of unfiltered lists (core.api.pagination)
        observability.connect_request_signals()  # the request id of every log line (core/observability.py)
        observability.setup_sentry()  # only with SENTRY_DSN

        register_nav(NavItem("驾驶舱", "dashboard", order=0))  # every role
        # 运行状态 (core/operations.py), city admin only, in the 组织与用户 menu beside 安全日志 (the navbar stays one line)
        register_nav(NavItem("运行状态", "operations", order=96, group="组织与用户", visible=is_city_admin))
