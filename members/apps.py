from django.apps import AppConfig


def _transfer_memberships(*, acting_user, source, target, on, reason) -> str:
    """Merge hook (`organizations.hooks`): the source's open memberships reopen in the target."""
    from .services import membership_transfer_bulk

    moved = membership_transfer_bulk(
        acting_user=acting_user, from_unit=source, to_unit=target, on=on, reason=f"Sáp nhập vào {target.name}"
    )
    return f"{moved} đoàn viên"


def _preview_memberships(*, source, target, on) -> list[str]:
    """Merge preview: the members whose open membership moves to the target."""
    from .models import Membership

    open_memberships = Membership.objects.filter(unit=source, ended_on__isnull=True).select_related("person")
    return [
        f"Chuyển sinh hoạt của đoàn viên {m.person.full_name} sang “{target.name}”"
        for m in open_memberships.order_by("person__sort_key", "pk")
    ]


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Đoàn viên"

    def ready(self):
        from core import search
        from organizations.hooks import register_merge_handler

        from .models import Person

        search.register(Person)  # members/0008: pg_trgm GIN / SQLite FTS5 on the folded name
        register_merge_handler(
            "members.memberships",
            _transfer_memberships,
            order=10,
            preview=_preview_memberships,
            title="Đoàn viên chuyển sinh hoạt",
        )
