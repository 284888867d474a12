"""The seats of a unit's emulation and commendation council (Hội đồng Thi đua – Khen thưởng): add a
member, end a seat. A seat is ended (`valid_to`), never deleted, so the council of any past day stays
known (the session's count, its minutes).

Who: the officer who organises the council (`nomination.review` on the unit) or whoever manages the
unit's accounts (`role.manage`). A seat goes to a user holding a role on the unit or below it; one
who holds none on the unit itself gets the council-member role there in the same transaction
(`accounts.services.council_role_grant`), so they get the menu and can open the session."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.selectors import subtree_role_holders
from accounts.services import council_role_grant
from core.access import NOT_ALLOWED, Action, can
from core.audit import audit_record
from core.exceptions import ServiceError
from organizations.models import OrgUnit

from ..choices import CouncilRole
from ..models import CouncilMember

MANAGING_ACTIONS = (Action.NOMINATION_REVIEW, Action.ROLE_MANAGE)


def may_manage_council(user, unit: OrgUnit | None = None) -> bool:
    """May `user` change the seats of `unit`'s council (of some council, without a unit)?"""
    path = unit.path if unit is not None else None
    return any(can(user, action, path) for action in MANAGING_ACTIONS)


def _require(user, unit: OrgUnit) -> None:
    if not may_manage_council(user, unit):
        raise PermissionDenied(NOT_ALLOWED)


def seat_candidates(*, unit: OrgUnit, on: dt.date | None = None):
    """Who may be seated on `unit`'s council: active users holding a role today on the unit or below."""
    return subtree_role_holders(unit=unit, on=on)


def council_seat_add(
    *, acting_user, unit: OrgUnit, user, role: str = CouncilRole.MEMBER, valid_from: dt.date | None = None
) -> CouncilMember:
    valid_from = valid_from or timezone.localdate()
    if role not in CouncilRole.values:
        raise ServiceError("Chọn chức danh trong Hội đồng.", field="role")
    with transaction.atomic():
        unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)  # one change of a council at a time
        _require(acting_user, unit)
        if user is None:
            raise ServiceError("Chọn người được cử vào Hội đồng.", field="user")
        seats = CouncilMember.objects.filter(unit=unit).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)
        )
        held = seats.filter(user=user).order_by("valid_from").first()
        if held is not None:
            raise ServiceError(
                f"{user} đã là {held.get_role_display().lower()} của “{unit.name}” từ ngày "
                f"{held.valid_from:%d/%m/%Y}.",
                field="user",
            )
        if not seat_candidates(unit=unit).filter(pk=user.pk).exists():
            raise ServiceError(
                f"Người này không giữ vai trò nào tại “{unit.name}” hoặc đơn vị trực thuộc: hãy tạo tài khoản "
                "hoặc giao vai trò cho họ ở trang Quản lý tài khoản trước.",
                field="user",
            )
        if role == CouncilRole.CHAIR:
            chair = seats.filter(role=CouncilRole.CHAIR).select_related("user").first()
            if chair is not None:
                raise ServiceError(
                    f"Hội đồng của “{unit.name}” đã có Chủ tịch: {chair.user} (từ ngày "
                    f"{chair.valid_from:%d/%m/%Y}). Kết thúc nhiệm kỳ của người đó trước.",
                    field="role",
                )
        try:
            with transaction.atomic():
                seat = CouncilMember.objects.create(unit=unit, user=user, role=role, valid_from=valid_from)
        except IntegrityError as exc:
            raise ServiceError(f"{user} vừa được thêm vào Hội đồng của “{unit.name}”.", field="user") from exc
        audit_record(
            actor=acting_user,
            action="council.seat_add",
            obj=seat,
            unit=unit,
            summary=(
                f"Thêm {user} ({user.username}) vào Hội đồng Thi đua – Khen thưởng của “{unit.name}”, "
                f"chức danh {seat.get_role_display()}, từ ngày {valid_from:%d/%m/%Y}"
            ),
            changes={
                "user": [None, user.username],
                "role": [None, role],
                "valid_from": [None, valid_from.isoformat()],
            },
        )
        council_role_grant(acting_user=acting_user, user=user, unit=unit, valid_from=valid_from)
    return seat


def council_seat_end(*, acting_user, seat: CouncilMember, valid_to: dt.date | None = None) -> CouncilMember:
    today = timezone.localdate()
    valid_to = valid_to or today
    with transaction.atomic():
        unit = OrgUnit.objects.select_for_update().get(pk=seat.unit_id)
        _require(acting_user, unit)
        seat = CouncilMember.objects.select_for_update().get(pk=seat.pk)
        who = f"{seat.user} ({seat.get_role_display()})"
        if seat.valid_to is not None and seat.valid_to < today:
            raise ServiceError(
                f"Nhiệm kỳ trong Hội đồng của {who} đã kết thúc ngày {seat.valid_to:%d/%m/%Y}."
            )
        if valid_to < seat.valid_from:
            raise ServiceError(
                f"Ngày kết thúc phải từ ngày bắt đầu nhiệm kỳ của {who} ({seat.valid_from:%d/%m/%Y}) trở đi.",
                field="valid_to",
            )
        before = seat.valid_to
        seat.valid_to = valid_to
        seat.save(update_fields=["valid_to"])
        audit_record(
            actor=acting_user,
            action="council.seat_end",
            obj=seat,
            unit=unit,
            summary=(
                f"Kết thúc nhiệm kỳ của {who} trong Hội đồng Thi đua – Khen thưởng của “{unit.name}” từ ngày "
                f"{valid_to:%d/%m/%Y}"
            ),
            changes={"valid_to": [before.isoformat() if before else None, valid_to.isoformat()]},
        )
    return seat
