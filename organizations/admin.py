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
