from django.apps import AppConfig


class CommendationsConfig(AppConfig):
    name = "commendations"
    verbose_name = "Khen thưởng"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from movements.choices import register_title_source

        from .engine.declarations import registration_titles

        # the award types' registration titles are offered when registering for a movement
        register_title_source(registration_titles)
