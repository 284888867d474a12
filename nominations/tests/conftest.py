import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.roles import Role
from nominations import services
from nominations.choices import DocumentKind
from nominations.models import CouncilMember


@pytest.fixture(autouse=True)
def catalogue(db):
    """Transactional tests flush the data-migration rows: make sure the catalogue and rule sets exist."""
    from commendations.reference import ensure_catalogue, ensure_rulesets
    from organizations.reference import ensure_reference_data

    ensure_reference_data()  # unit types first: the catalogue links the types that may confer each award
    ensure_catalogue()
    ensure_rulesets()


@pytest.fixture
def people(tree, make_user):
    """Officers along the path Công đoàn UBND huyện Mỹ Đức → LĐLĐ huyện Mỹ Đức → LĐLĐ TP Hà Nội, the city's
    leader who signs, and its council of 9."""
    council = [make_user() for _ in range(9)]
    for i, user in enumerate(council):
        CouncilMember.objects.create(
            unit=tree.hn, user=user, role="CHAIR" if i == 0 else "MEMBER", valid_from=dt.date(2024, 1, 1)
        )
    return {
        "cdcs": make_user(Role.OFFICER, tree.ubnd),
        "district": make_user(Role.OFFICER, tree.md),
        "city": make_user(Role.OFFICER, tree.hn),
        "leader": make_user(Role.LEADER, tree.hn),
        "outsider": make_user(Role.OFFICER, tree.hbt),
        "council": council,
    }


@pytest.fixture
def bk_city(db):
    """The city federation's Bằng khen, posted publicly before the council votes."""
    from commendations.models import AwardType

    award = AwardType.objects.get(code="BK_LDLD")
    award.requires_public_posting = True
    award.save()
    return award


def attach_documents(user, dossier):
    for kind in (DocumentKind.TO_TRINH, DocumentKind.DANH_SACH):
        services.document_add(
            acting_user=user,
            dossier=dossier,
            kind=kind,
            file=SimpleUploadedFile(f"{kind.lower()}.pdf", b"%PDF-1.4 test"),
        )


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """The public comment counters live in the default cache: every test starts with none."""
    from django.conf import settings
    from django.core.cache import caches

    caches[settings.PUBLIC_COMMENT_RATE_CACHE].clear()
    yield
