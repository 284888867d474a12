from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Tệp tạo trong nền"

    def ready(self) -> None:
        from . import builders  # noqa: F401  (registers the builders)
