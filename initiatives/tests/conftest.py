import datetime as dt

import pytest

from accounts.roles import Role
from initiatives import services

UBND_TEXT = (
    "Ứng dụng phần mềm quản lý hồ sơ một cửa điện tử tại UBND huyện",
    "Xây dựng phần mềm tiếp nhận, theo dõi và trả kết quả hồ sơ thủ tục hành chính cho người dân qua bộ phận "
    "một cửa, giảm thời gian chờ và số lần đi lại.",
)


@pytest.fixture
def make_initiative(tree, officer):
    def _make(
        title=UBND_TEXT[0], description=UBND_TEXT[1], *, unit=None, authors=None, submit=False, **extra
    ):
        data = {
            "title": title,
            "description": description,
            "unit": unit or tree.ubnd,
            "year": extra.pop("year", 2024),
            "field": extra.pop("field", "CDS"),
            "applied_since": extra.pop("applied_since", dt.date(2024, 3, 1)),
            "benefit_vnd": extra.pop("benefit_vnd", 120_000_000),
        }
        initiative = services.initiative_create(
            acting_user=extra.pop("user", officer),
            data=data,
            authors=authors or [(tree.an, 60), (tree.hoa, 40)],
        )
        if submit:
            initiative = services.initiative_submit(acting_user=officer, initiative=initiative)
        return initiative

    return _make


@pytest.fixture
def council(make_user, tree):
    """Council member of LĐLĐ huyện Mỹ Đức (may confer cơ sở level only)."""
    return make_user(Role.COUNCIL, tree.md)


@pytest.fixture
def member(make_user, tree):
    """Nguyễn Văn An's own account: member of Tổ CĐ Phòng Nội vụ, UNIT_VIEW on his CĐCS."""
    return make_user(Role.MEMBER, tree.ubnd, include_subtree=False, person=tree.an)
