from django.contrib import admin

from .models import BuildJob


@admin.register(BuildJob)
class BuildJobAdmin(admin.ModelAdmin):
    """Read-only: jobs are written by the services and the worker."""

    list_display = ["title", "unit", "status", "percent", "created_by", "created_at", "finished_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "filename"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
