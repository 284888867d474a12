from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("thidua", {"fields": ("full_name", "person", "must_change_password", "otp_enrolled")}),
    )
    list_display = ("username", "full_name", "is_active", "is_staff")
    search_fields = ("username", "full_name", "email")
    raw_id_fields = ("person",)
    inlines = [RoleAssignmentInline]
    actions = ["unlock_login"]

    @admin.action(description="Mở khóa đăng nhập (xóa các lần nhập sai mật khẩu)", permissions=["change"])
    def unlock_login(self, request, queryset):
        from .services import login_unlock

        for user in queryset:
            login_unlock(acting_user=request.user, user=user)
        self.message_user(
            request, f"Đã mở khóa đăng nhập cho {queryset.count()} tài khoản.", messages.SUCCESS
        )


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "unit", "include_subtree", "valid_from", "valid_to")
    list_filter = ("role",)
    autocomplete_fields = ["user", "unit"]
