"""Demo content for nominations: the city federation's emulation council (9 members, demo accounts
hoidong.hanoi … hoidong.hanoi9, each with the council-member role on the city) and one dossier of Công
đoàn UBND huyện Mỹ Đức waiting at the district. Idempotent: nothing is created when the council already
exists (but a missing council-member role of a seated member)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.db import transaction

from accounts.models import RoleAssignment, User
from accounts.roles import Role
from commendations.models import AwardType
from members.models import Membership
from organizations.models import OrgUnit

from . import services
from .choices import DocumentKind
from .models import CouncilMember

DEMO_ORDER = 50  # after the award registry: the dossier's nominees are checked against it
DEMO_LABELS = {"dossiers": "hồ sơ đề nghị"}


@transaction.atomic
def build_demo(*, year: int = 2024, password: str, male_name: Callable[[], str]) -> int:
    """The council (its new accounts get `password` and a synthetic name from `male_name`) and the
    dossier; returns how many dossiers were created."""
    city = OrgUnit.objects.get(code="HN")
    if CouncilMember.objects.filter(unit=city).exists():
        _council_roles(city)  # a database loaded before the council members had their role
        return 0
    council = [User.objects.get(username="hoidong.hanoi")]
    for i in range(2, 10):
        user, created = User.objects.get_or_create(
            username=f"hoidong.hanoi{i}",
            defaults={"full_name": male_name()},
        )
        if created:
            user.set_password(password)
            user.save()
        council.append(user)
    for i, user in enumerate(council):
        CouncilMember.objects.create(
            unit=city,
            user=user,
            role="CHAIR" if i == 0 else ("VICE" if i == 1 else "MEMBER"),
            valid_from=dt.date(2024, 1, 1),
        )
    _council_roles(city)

    officer = User.objects.get(username="canbo.myduc")
    ubnd = OrgUnit.objects.get(code="HN-MD-UBND")
    award = AwardType.objects.get(code="BK_LDLD")
    dossier = services.dossier_create(
        acting_user=officer,
        proposing_unit=ubnd,
        kind="YEARLY",
        year=year,
        title=f"Đề nghị tặng Bằng khen LĐLĐ thành phố năm {year}",
    )
    officers = (
        Membership.objects.filter(unit__path__startswith=ubnd.path, ended_on__isnull=True)
        .exclude(union_role="DOAN_VIEN")
        .select_related("person")
        .order_by("person__sort_key")[:3]
    )
    for membership in officers:
        services.item_add(
            acting_user=officer,
            dossier=dossier,
            award_type=award,
            person=membership.person,
            achievement_summary=f"Hoàn thành xuất sắc nhiệm vụ năm {year}; tích cực trong phong trào "
            "“Lao động giỏi, Lao động sáng tạo”.",
        )
    for kind in (DocumentKind.TO_TRINH, DocumentKind.DANH_SACH):
        services.document_add(
            acting_user=officer,
            dossier=dossier,
            kind=kind,
            file=ContentFile(b"%PDF-1.4\n% demo\n", name=f"{kind.lower()}.pdf"),
        )
    services.dossier_submit(acting_user=officer, dossier=dossier)
    return 1


def _council_roles(city: OrgUnit) -> None:
    """Every seated member of the city's council holds the council-member role on the city (the menu,
    the dossiers before the council, the session page), as adding a seat on the screen gives it."""
    for seat in CouncilMember.objects.filter(unit=city).select_related("user").order_by("pk"):
        RoleAssignment.objects.get_or_create(
            user=seat.user,
            role=Role.COUNCIL,
            unit=city,
            defaults={"include_subtree": True, "valid_from": seat.valid_from},
        )


def demo_part(demo) -> dict[str, int]:
    """Part of `load_demo` (see `demo/parts.py`)."""
    return {"dossiers": build_demo(year=demo.year, password=demo.password, male_name=demo.male_name)}
