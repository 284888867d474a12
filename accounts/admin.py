from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("thidua", {"fields": ("full_name", "person")}))
    list_display = ("username", "full_name", "is_active", "is_staff")
    search_fields = ("username", "full_name", "email")
    raw_id_fields = ("person",)
    inlines = [RoleAssignmentInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "unit", "include_subtree", "valid_from", "valid_to")
    list_filter = ("role",)
    autocomplete_fields = ["user", "unit"]
