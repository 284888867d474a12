from django.contrib import admin

from .models import CouncilMember, CouncilSession, Decision, Dossier, NominationDeadline


@admin.register(CouncilMember)
class CouncilMemberAdmin(admin.ModelAdmin):
    """Seats on a unit's Hội đồng TĐKT (who may vote on the dossiers that unit decides)."""

    list_display = ("user", "role", "unit", "valid_from", "valid_to")
    list_filter = ("role",)
    autocomplete_fields = ["user", "unit"]


@admin.register(NominationDeadline)
class NominationDeadlineAdmin(admin.ModelAdmin):
    list_display = ("organiser", "kind", "year", "due_on")
    list_filter = ("kind", "year")
    autocomplete_fields = ["organiser"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Workflow records change only through the services (locks, audit): read-only here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdmin):
    list_display = ("title", "proposing_unit", "authority", "state", "year")
    list_filter = ("state", "kind", "year")


@admin.register(CouncilSession)
class CouncilSessionAdmin(ReadOnlyAdmin):
    list_display = ("title", "unit", "held_on", "state")


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "issuing_unit", "issued_on", "signer_name")
