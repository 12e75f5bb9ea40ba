from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "disclosure"
    verbose_name = "项目公示"

    def ready(self):
        from django.db.models.signals import post_save

        from disclosure.services import create_for_new_project

        post_save.connect(create_for_new_project, sender="projects.Project", dispatch_uid="disclosure-for-project")
        from accounts.roles import MANAGERS
        from core.registry import NavItem, register_nav

        register_nav(NavItem("项目公示", "disclosure:manage-list", MANAGERS, order=60, group="社会监督"))
