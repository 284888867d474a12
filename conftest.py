"""Shared fixtures: a small organisation tree with members, and users holding roles on it.

Tree (codes):
  VN (Tổng LĐ)
  ├── HN (LĐLĐ thành phố Hà Nội)
  │   ├── HN-MD (LĐLĐ huyện Mỹ Đức)
  │   │   └── HN-MD-UBND (Công đoàn UBND huyện Mỹ Đức, CĐCS) ── T1, T2 (tổ công đoàn)
  │   └── HN-HBT (LĐLĐ quận Hai Bà Trưng)
  │       └── HN-HBT-MK (Công đoàn phường Minh Khai, CĐCS)
  └── NB (LĐLĐ tỉnh Ninh Bình) ── NB-YK (LĐLĐ huyện Yên Khánh) ── NB-YK-UBND (CĐCS)
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from accounts.models import RoleAssignment, User
from accounts.roles import Role
from members.models import Membership, Person
from organizations.models import OrgUnit, OrgUnitType
from organizations.reference import ensure_reference_data


def add_unit(parent: OrgUnit | None, code: str, name: str, type_code: str, **extra) -> OrgUnit:
    fields = {"code": code, "name": name, "unit_type": OrgUnitType.objects.get(code=type_code), **extra}
    if parent is None:
        return OrgUnit.objects.add_root(create_kwargs=fields)
    parent.refresh_from_db()
    return OrgUnit.objects.add_child(parent, create_kwargs=fields)


def add_person(
    unit: OrgUnit,
    full_name: str,
    *,
    gender: str = "F",
    citizen_id: str | None = None,
    card: str = "",
    role: str = "DOAN_VIEN",
    started: dt.date = dt.date(2020, 1, 1),
) -> Person:
    words = full_name.split()
    person = Person.objects.create(
        family_name=words[0],
        middle_name=" ".join(words[1:-1]),
        given_name=words[-1],
        gender=gender,
        birth_date=dt.date(1985, 5, 17),
        citizen_id=citizen_id,
    )
    Membership.objects.create(person=person, unit=unit, card_number=card, union_role=role, started_on=started)
    return person


def pytest_collection_modifyitems(config, items):
    """Browser tests last: they use transactional databases, slower and flushed afterwards."""
    items.sort(key=lambda item: "browser_tests" in str(item.fspath))


@pytest.fixture
def tree(db):
    return build_tree()


def build_tree() -> SimpleNamespace:
    """The tree of the module docstring (a plain function, for module-scoped data such as the generated
    permission matrix in accounts/tests)."""
    ensure_reference_data()
    vn = add_unit(None, "VN", "Tổng Liên đoàn Lao động Việt Nam", "TLD")
    hn = add_unit(
        vn, "HN", "Liên đoàn Lao động thành phố Hà Nội", "LDLD_TINH", short_name="LĐLĐ thành phố Hà Nội"
    )
    md = add_unit(
        hn, "HN-MD", "Liên đoàn Lao động huyện Mỹ Đức", "LDLD_HUYEN", short_name="LĐLĐ huyện Mỹ Đức"
    )
    ubnd = add_unit(md, "HN-MD-UBND", "Công đoàn Ủy ban nhân dân huyện Mỹ Đức", "CDCS")
    t1 = add_unit(ubnd, "HN-MD-UBND-T01", "Tổ công đoàn Phòng Nội vụ", "TO_CD")
    t2 = add_unit(ubnd, "HN-MD-UBND-T02", "Tổ công đoàn Phòng Tài chính - Kế hoạch", "TO_CD")
    hbt = add_unit(hn, "HN-HBT", "Liên đoàn Lao động quận Hai Bà Trưng", "LDLD_HUYEN")
    mk = add_unit(hbt, "HN-HBT-MK", "Công đoàn phường Minh Khai", "CDCS")
    nb = add_unit(vn, "NB", "Liên đoàn Lao động tỉnh Ninh Bình", "LDLD_TINH")
    yk = add_unit(nb, "NB-YK", "Liên đoàn Lao động huyện Yên Khánh", "LDLD_HUYEN")
    yk_ubnd = add_unit(yk, "NB-YK-UBND", "Công đoàn cơ quan UBND huyện Yên Khánh", "CDCS")
    an = add_person(t1, "Nguyễn Văn An", gender="M", citizen_id="001085012345", card="0100000001")
    hoa = add_person(t2, "Trần Thị Hoa", citizen_id="001185054321", card="0100000002")
    chu_tich = add_person(ubnd, "Đặng Đức Thắng", gender="M", role="CHU_TICH", card="0100000003")
    minh_khai = add_person(mk, "Lê Thị Ánh", citizen_id="001190000077", card="0100000004")
    yen_khanh = add_person(yk_ubnd, "Phạm Văn Bình", gender="M", citizen_id="037080000011", card="3700000001")
    units = {
        u.code: OrgUnit.objects.get(pk=u.pk) for u in (vn, hn, md, ubnd, t1, t2, hbt, mk, nb, yk, yk_ubnd)
    }
    return SimpleNamespace(
        units=units,
        an=an,
        hoa=hoa,
        chu_tich=chu_tich,
        minh_khai=minh_khai,
        yen_khanh=yen_khanh,
        vn=units["VN"],
        hn=units["HN"],
        md=units["HN-MD"],
        ubnd=units["HN-MD-UBND"],
        t1=units["HN-MD-UBND-T01"],
        t2=units["HN-MD-UBND-T02"],
        hbt=units["HN-HBT"],
        mk=units["HN-HBT-MK"],
        nb=units["NB"],
        yk=units["NB-YK"],
        yk_ubnd=units["NB-YK-UBND"],
    )


@pytest.fixture
def counted(tree):
    """The tree with this year's counters built (the home, tree and unit pages read their figures from
    the pre-rolled counters; without them they say "Chưa tổng hợp số liệu năm N.")."""
    from django.utils import timezone

    from reports.services import counters_rebuild

    counters_rebuild(year=timezone.localdate().year)
    return tree


@pytest.fixture
def make_user(db):
    counter = {"n": 0}

    def _make(
        role: str | None = None, unit: OrgUnit | None = None, *, include_subtree: bool = True, **extra
    ) -> User:
        counter["n"] += 1
        user = User.objects.create_user(
            username=f"user{counter['n']}", password="pw", full_name=f"Người dùng {counter['n']}", **extra
        )
        if role:
            RoleAssignment.objects.create(
                user=user,
                role=role,
                unit=unit,
                include_subtree=include_subtree,
                valid_from=dt.date(2020, 1, 1),
            )
        return user

    return _make


@pytest.fixture
def officer(make_user, tree):
    """Emulation officer of LĐLĐ huyện Mỹ Đức and its subtree."""
    return make_user(Role.OFFICER, tree.md)


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client
