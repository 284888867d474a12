from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import OrgUnit, OrgUnitType, Sector


@admin.register(OrgUnit)
class OrgUnitAdmin(SimpleHistoryAdmin):
    """Read-mostly: structural changes go through the tree services (audited) on the unit pages."""

    list_display = ("name", "code", "unit_type", "sector", "valid_from", "valid_to")
    list_filter = ("unit_type", "sector")
    search_fields = ("name", "code", "search_text")
    readonly_fields = ("path", "depth", "numchild")
    fields = (
        "name",
        "short_name",
        "code",
        "unit_type",
        "sector",
        "area",
        "valid_from",
        "valid_to",
        "successor",
        "path",
        "depth",
        "numchild",
    )
    raw_id_fields = ("successor",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(OrgUnitType)
admin.site.register(Sector)


# --- emulation clusters (changes go through organizations/clusters.py services on the cluster pages) -----
from .models import Cluster, ClusterMember, Covenant  # noqa: E402


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
