"""Demo content for nominations: the city federation's emulation council (9 members, demo accounts
hoidong.hanoi … hoidong.hanoi9) and one dossier of Công đoàn UBND huyện Mỹ Đức waiting at the district.
Idempotent: nothing is created when the council already exists."""

from __future__ import annotations

import datetime as dt
import random

from django.core.files.base import ContentFile
from django.db import transaction

from accounts.models import User
from commendations.models import AwardType
from core.demo import DEMO_PASSWORD
from core.demo_names import FAMILY, GIVEN_MALE, MIDDLE_MALE
from members.models import Membership
from organizations.models import OrgUnit

from . import services
from .choices import DocumentKind
from .models import CouncilMember


@transaction.atomic
def build_demo(*, rng: random.Random, year: int = 2024) -> int:
    city = OrgUnit.objects.get(code="HN")
    if CouncilMember.objects.filter(unit=city).exists():
        return 0
    council = [User.objects.get(username="hoidong.hanoi")]
    for i in range(2, 10):
        user, created = User.objects.get_or_create(
            username=f"hoidong.hanoi{i}",
            defaults={
                "full_name": f"{rng.choice([f for f, _ in FAMILY])} {rng.choice(MIDDLE_MALE)} {rng.choice(GIVEN_MALE)}"
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        council.append(user)
    for i, user in enumerate(council):
        CouncilMember.objects.create(
            unit=city,
            user=user,
            role="CHAIR" if i == 0 else ("VICE" if i == 1 else "MEMBER"),
            valid_from=dt.date(2024, 1, 1),
        )

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
