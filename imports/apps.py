from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = "Nhập dữ liệu từ tệp"

    def ready(self) -> None:
        # Each app registers its own import kinds in its `importers` module (`commendations/importers.py`,
        # `movements/importers.py`, …) with `imports.kinds.register`; imports names none of them.
        autodiscover_modules("importers")
