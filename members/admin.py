from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Membership, Person


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("unit",)


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ("full_name", "gender", "birth_date")
    search_fields = ("search_text", "full_name")
    exclude = ("citizen_id",)  # sensitive: never shown in full, even to administrators' list screens
    inlines = [MembershipInline]

    def has_delete_permission(self, request, obj=None):
        return False
