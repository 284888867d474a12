from django.apps import AppConfig


def _transfer_memberships(*, acting_user, source, target, on, reason) -> str:
    """Merge hook (`organizations.hooks`): the source's open memberships reopen in the target."""
    from .services import membership_transfer_bulk

    moved = membership_transfer_bulk(
        acting_user=acting_user, from_unit=source, to_unit=target, on=on, reason=f"Sáp nhập vào {target.name}"
    )
    return f"{moved} đoàn viên"


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Đoàn viên"

    def ready(self):
        from organizations.figures import register_member_figures
        from organizations.hooks import register_merge_handler

        from .selectors import subtree_member_counts, unit_member_totals

        register_member_figures(subtree_counts=subtree_member_counts, unit_totals=unit_member_totals)
        register_merge_handler("members.memberships", _transfer_memberships, order=10)
