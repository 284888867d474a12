"""The 2025 restructuring of the demo tree, performed through the organisation services.

On 01/07/2025 the district level ended (Kết luận 127-KL/TW, Nghị quyết 202/2025/QH15): LĐLĐ huyện Mỹ Đức
and LĐLĐ quận Hai Bà Trưng are dissolved into LĐLĐ thành phố Hà Nội, LĐLĐ tỉnh Ninh Bình is consolidated
with LĐLĐ tỉnh Hà Nam and LĐLĐ tỉnh Nam Định into the new LĐLĐ tỉnh Ninh Bình, and LĐLĐ huyện Yên Khánh
is dissolved into it. Their grassroots unions move under the federation that takes them over, so the demo
of today shows the new tree while the years up to 2024 are reported on the tree as it stood then
(`organizations.tree`). The demo's officers of the old Ninh Bình federation continue in the new one.

Run by `DemoBuilder` after the apps' history and before the counters are rebuilt; acting as the system
administrator. Idempotent: a step already done (its unit closed, the new unit present) is skipped.
"""

from __future__ import annotations

import datetime as dt

from accounts.models import RoleAssignment, User
from accounts.services import role_assign
from organizations import services
from organizations.models import OrgUnit, OrgUnitType

ON = dt.date(2025, 7, 1)
NEW_NINH_BINH = "NB2025"  # the code of the consolidated federation (the old one keeps "NB")

# (unit code, successor code, document number, document date, reason)
DISSOLUTIONS = [
    (
        "HN-MD",
        "HN",
        "1865/QĐ-LĐLĐ",
        dt.date(2025, 6, 27),
        "Kết thúc hoạt động của cấp huyện; các công đoàn cơ sở trực thuộc LĐLĐ thành phố",
    ),
    (
        "HN-HBT",
        "HN",
        "1866/QĐ-LĐLĐ",
        dt.date(2025, 6, 27),
        "Kết thúc hoạt động của cấp huyện; các công đoàn cơ sở trực thuộc LĐLĐ thành phố",
    ),
]
CONSOLIDATION = {
    "sources": ["NB", "HNA", "ND"],
    "parent": "VN",
    "name": "Liên đoàn Lao động tỉnh Ninh Bình",
    "short_name": "LĐLĐ tỉnh Ninh Bình",
    "document_number": "2150/QĐ-TLĐ",
    "document_date": dt.date(2025, 6, 30),
    "reason": "Hợp nhất tỉnh Ninh Bình, tỉnh Hà Nam và tỉnh Nam Định theo Nghị quyết 202/2025/QH15",
}
# dissolved after the consolidation, into the new provincial federation
LATER_DISSOLUTIONS = [
    (
        "NB-YK",
        NEW_NINH_BINH,
        "12/QĐ-LĐLĐ",
        dt.date(2025, 7, 1),
        "Kết thúc hoạt động của cấp huyện; các công đoàn cơ sở trực thuộc LĐLĐ tỉnh",
    ),
]
# the demo officers of the old federation, in the new one from the day it began
CARRIED_ROLES = {"NB": NEW_NINH_BINH}


def restructure(*, acting_user: User) -> int:
    """Performs the steps not done yet; returns how many were performed."""
    done = 0
    for code, successor, number, date, reason in DISSOLUTIONS:
        done += _dissolve(acting_user, code, successor, number, date, reason)
    sources = OrgUnit.objects.filter(code__in=CONSOLIDATION["sources"], valid_to__isnull=True)
    if not OrgUnit.objects.filter(code=NEW_NINH_BINH).exists() and sources.count() == len(
        CONSOLIDATION["sources"]
    ):
        c = CONSOLIDATION
        services.orgunit_consolidate(
            acting_user=acting_user,
            sources=[OrgUnit.objects.get(code=code) for code in c["sources"]],
            parent=OrgUnit.objects.get(code=c["parent"]),
            name=c["name"],
            code=NEW_NINH_BINH,
            unit_type=OrgUnitType.objects.get(code="LDLD_TINH"),
            short_name=c["short_name"],
            on=ON,
            document_number=c["document_number"],
            document_date=c["document_date"],
            reason=c["reason"],
        )
        done += 1
    for code, successor, number, date, reason in LATER_DISSOLUTIONS:
        done += _dissolve(acting_user, code, successor, number, date, reason)
    if done:
        _carry_roles(acting_user)
    return done


def _dissolve(acting_user, code: str, successor: str, number: str, date: dt.date, reason: str) -> int:
    unit = OrgUnit.objects.filter(code=code, valid_to__isnull=True).first()
    target = OrgUnit.objects.filter(code=successor).first()
    if unit is None or target is None:
        return 0
    services.orgunit_dissolve(
        acting_user=acting_user,
        unit=unit,
        successor=target,
        on=ON,
        document_number=number,
        document_date=date,
        reason=reason,
    )
    return 1


def _carry_roles(acting_user) -> None:
    """The role assignments the consolidation ended on the old federation, again on the new one."""
    for old_code, new_code in CARRIED_ROLES.items():
        new = OrgUnit.objects.filter(code=new_code).first()
        if new is None:
            continue
        ended = RoleAssignment.objects.filter(unit__code=old_code, valid_to=ON - dt.timedelta(days=1))
        for assignment in ended:
            if RoleAssignment.objects.filter(user=assignment.user, role=assignment.role, unit=new).exists():
                continue
            role_assign(
                acting_user=acting_user,
                user_id=assignment.user_id,
                role=assignment.role,
                unit=new,
                include_subtree=assignment.include_subtree,
                valid_from=ON,
            )
