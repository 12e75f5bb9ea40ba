from django.apps import AppConfig


class CreditConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "credit"
    verbose_name = "诚信档案"

    def ready(self):
        from credit import sources

        sources.register_all()  # the sources kept by ``projects`` (constraint records, insurance, green pilots)
