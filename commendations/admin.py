from django.contrib import admin

from .models import AwardRecord, AwardType, RuleSet


@admin.register(AwardType)
class AwardTypeAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "kind",
        "subject",
        "conferred_by_state",
        "requires_public_posting",
        "active",
    ]
    list_filter = ["kind", "subject", "active"]
    filter_horizontal = ["conferring_unit_types"]
    ordering = ["position"]


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    """Read-mostly: new versions are added with the “Thêm phiên bản mới” screen (periods never overlap)."""

    list_display = ["code", "name", "valid_from", "valid_to"]
    readonly_fields = ["created_by", "created_at"]


@admin.register(AwardRecord)
class AwardRecordAdmin(admin.ModelAdmin):
    list_display = ["award_type", "year", "person", "unit", "decision_number", "issuing_unit", "status"]
    list_filter = ["status", "award_type", "year"]
    raw_id_fields = ["person", "unit", "scope_unit", "issuing_unit", "used_for"]
    search_fields = ["decision_number", "person__search_text", "achievement_id"]
