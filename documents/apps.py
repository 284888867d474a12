from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Văn bản"

    def ready(self) -> None:
        from nominations.numbering import register_decision_numberer

        from .services import decision_number_allocate

        # award decisions take their number from this app's register of outgoing documents
        register_decision_numberer(decision_number_allocate)
