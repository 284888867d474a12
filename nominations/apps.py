from django.apps import AppConfig


class NominationsConfig(AppConfig):
    name = "nominations"
    verbose_name = "Đề nghị khen thưởng"

    def ready(self):
        from organizations.hooks import register_merge_handler

        from .restructuring import preview_nominations, reroute_nominations

        # a unit that ends: its pending dossier steps and open council sessions go to the successor
        register_merge_handler(
            "nominations.dossiers",
            reroute_nominations,
            order=30,
            preview=preview_nominations,
            title="Hồ sơ khen thưởng và Hội đồng TĐKT",
        )
