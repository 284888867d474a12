from django.apps import AppConfig


class CommendationsConfig(AppConfig):
    name = "commendations"
    verbose_name = "Khen thưởng"
    default_auto_field = "django.db.models.BigAutoField"
