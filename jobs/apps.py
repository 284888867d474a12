from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Tệp tạo trong nền"

    def ready(self) -> None:
        # Each app registers its own builders in its `builders` module (`reports/builders.py`,
        # `members/builders.py`, …) with `jobs.registry.register`; jobs imports none of them by name.
        autodiscover_modules("builders")
