from django.apps import AppConfig


class MovementsConfig(AppConfig):
    name = "movements"
    verbose_name = "Phong trào thi đua"

    def ready(self):
        from organizations.hooks import register_merge_handler

        from .restructuring import carry_movements, preview_movements

        # a unit that ends: the movements it launched that are still running go on at the successor
        register_merge_handler(
            "movements.movements",
            carry_movements,
            order=50,
            preview=preview_movements,
            title="Phong trào thi đua",
        )
