from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = "Tổ chức công đoàn"

    def ready(self):
        # Each app's `panels.py` registers its parts of the unit page (`organizations.panels`).
        autodiscover_modules("panels")
        # Each app's `home.py` registers its cards of waiting work (`organizations.tasks_panel`).
        autodiscover_modules("home")
