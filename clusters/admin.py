"""Read-only admin of the clusters: they are created, filled and ranked through the audited services
(`clusters/services.py`) on the cluster pages."""

from django.contrib import admin

from .models import Cluster, ClusterMember, Covenant


class ClusterMemberInline(admin.TabularInline):
    model = ClusterMember
    fields = ("unit", "role", "rank", "score", "proposed_for_flag")
    raw_id_fields = ("unit",)
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    """Read-only: clusters are created, filled and ranked through the audited services."""

    list_display = ("name", "organiser", "year", "kind")
    list_filter = ("year", "kind")
    search_fields = ("name", "organiser__name", "organiser__code")
    raw_id_fields = ("organiser",)
    inlines = [ClusterMemberInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Covenant)
class CovenantAdmin(admin.ModelAdmin):
    list_display = ("cluster", "signed_on", "place")
    raw_id_fields = ("cluster", "created_by")
    filter_horizontal = ()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
