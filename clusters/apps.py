from django.apps import AppConfig


class ClustersConfig(AppConfig):
    name = "clusters"
    verbose_name = "Cụm, khối thi đua"

    def ready(self):
        from organizations.hooks import register_merge_handler

        from .restructuring import carry_clusters, preview_clusters

        # a unit that ends: its open clusters and its seats in them go on at the successor
        register_merge_handler(
            "clusters.clusters",
            carry_clusters,
            order=40,
            preview=preview_clusters,
            title="Cụm, khối thi đua",
        )
