"""The shared lookup of imports: people and units named in a row, matched only inside the user's scope."""

import datetime as dt

import pytest

from accounts.roles import Role
from conftest import add_person, add_unit
from core.access import Action
from members.lookup import PersonKey, match_people, match_units

AWARD = Action.AWARD_RECORD


@pytest.fixture
def md_officer(make_user, tree):
    return make_user(Role.OFFICER, tree.md)


def people(keys, user, unit):
    return match_people(keys, user=user, action=AWARD, unit=unit)


def test_exact_full_name_matches_the_open_membership(tree, md_officer):
    [match] = people([PersonKey("Nguyễn Văn An")], md_officer, tree.md)
    assert match.person == tree.an and match.error == "" and match.candidates == []
    assert match.membership.unit == tree.t1 and match.membership.ended_on is None


def test_name_is_compared_folded_and_spaces_collapsed(tree, md_officer):
    [match] = people([PersonKey("  nguyen  van AN ")], md_officer, tree.md)
    assert match.person == tree.an


def test_one_match_per_key_in_order_with_unknown_name_error_naming_the_unit(tree, md_officer):
    matches = people(
        [PersonKey("Trần Thị Hoa"), PersonKey("Hoàng Văn Không"), PersonKey("Nguyễn Văn An")],
        md_officer,
        tree.md,
    )
    assert [m.person for m in matches] == [tree.hoa, None, tree.an]
    assert matches[1].error == (
        "Không tìm thấy đoàn viên “Hoàng Văn Không” trong “Liên đoàn Lao động huyện Mỹ Đức”."
    )


def test_two_people_with_the_same_name_are_ambiguous_with_candidates(tree, md_officer):
    twin = add_person(tree.t2, "Nguyễn Văn An", gender="M")
    twin.birth_date = dt.date(1990, 3, 2)
    twin.save()
    [match] = people([PersonKey("Nguyễn Văn An")], md_officer, tree.md)
    assert match.person is None
    assert "Có 2 đoàn viên “Nguyễn Văn An”" in match.error
    assert "ngày sinh" in match.error
    assert sorted(match.candidates) == [
        "Nguyễn Văn An (1985) — Tổ công đoàn Phòng Nội vụ",
        "Nguyễn Văn An (1990) — Tổ công đoàn Phòng Tài chính - Kế hoạch",
    ]


def test_birth_date_and_birth_year_separate_namesakes(tree, md_officer):
    twin = add_person(tree.t2, "Nguyễn Văn An", gender="M")
    twin.birth_date = dt.date(1990, 3, 2)
    twin.save()
    by_date, by_year, wrong_year = people(
        [
            PersonKey("Nguyễn Văn An", birth_date=dt.date(1985, 5, 17)),
            PersonKey("Nguyễn Văn An", birth_year=1990),
            PersonKey("Nguyễn Văn An", birth_year=1970),
        ],
        md_officer,
        tree.md,
    )
    assert by_date.person == tree.an
    assert by_year.person == twin
    assert wrong_year.person is None
    assert wrong_year.error == (
        "Không tìm thấy đoàn viên “Nguyễn Văn An” (sinh năm 1970) trong “Liên đoàn Lao động huyện Mỹ Đức”."
    )


def test_card_number_and_citizen_id_win_over_the_name(tree, md_officer):
    by_card, by_citizen, card_only = people(
        [
            PersonKey("Nguyen Van A (viết sai)", card_number="0100000002"),
            PersonKey("", citizen_id="001085012345"),
            PersonKey("", card_number=" 0100000003 "),
        ],
        md_officer,
        tree.md,
    )
    assert by_card.person == tree.hoa
    assert by_citizen.person == tree.an
    assert card_only.person == tree.chu_tich


def test_a_citizen_id_contradicting_the_named_person_does_not_match_them(tree, md_officer):
    [match] = people([PersonKey("Nguyễn Văn An", citizen_id="001099999999")], md_officer, tree.md)
    assert match.person is None
    assert "Không tìm thấy" in match.error


def test_unknown_citizen_id_alone_is_masked_in_the_error(tree, md_officer):
    [match] = people([PersonKey("", citizen_id="001099998888")], md_officer, tree.md)
    assert match.person is None
    assert "8888" in match.error and "001099998888" not in match.error


def test_unit_text_narrows_namesakes_to_the_group_written_in_the_cell(tree, md_officer):
    twin = add_person(tree.t2, "Nguyễn Văn An", gender="M")
    first, second, by_parent = people(
        [
            PersonKey("Nguyễn Văn An", unit_text="Tổ CĐ Phòng Nội vụ"),
            PersonKey("Nguyễn Văn An", unit_text="Phòng Tài chính - Kế hoạch"),
            PersonKey("Nguyễn Văn An", unit_text="Công đoàn UBND huyện Mỹ Đức"),  # both are below it
        ],
        md_officer,
        tree.md,
    )
    assert first.person == tree.an
    assert second.person == twin
    assert by_parent.person is None and len(by_parent.candidates) == 2


def test_out_of_scope_namesake_is_never_matched_nor_named(tree, make_user):
    # a second branch (Hai Bà Trưng) with a person sharing the name of someone in Mỹ Đức
    stranger = add_person(tree.mk, "Nguyễn Văn An", gender="M", citizen_id="001085099999", card="0100009999")
    md_only = make_user(Role.OFFICER, tree.md)
    by_name, by_citizen, by_card = people(
        [
            PersonKey("Nguyễn Văn An"),
            PersonKey("Nguyễn Văn An", citizen_id="001085099999"),
            PersonKey("Nguyễn Văn An", card_number="0100009999"),
        ],
        md_only,
        tree.md,
    )
    assert by_name.person == tree.an  # the namesake in Minh Khai does not make it ambiguous
    assert by_citizen.person is None and by_card.person is None
    for match in (by_citizen, by_card):
        assert "Minh Khai" not in match.error and match.candidates == []
    # the stranger is not found either from a unit outside the user's scope
    [outside] = people([PersonKey("Lê Thị Ánh")], md_only, tree.hn)
    assert outside.person is None and "Minh Khai" not in outside.error
    assert stranger.pk  # exists, just not visible


def test_the_user_own_record_outside_their_grant_is_not_matched(tree, make_user):
    # an officer granted on group T1 only, whose own membership is in group T2
    user = make_user(Role.OFFICER, tree.t1, person=tree.hoa)
    [match] = people([PersonKey("Trần Thị Hoa")], user, tree.ubnd)
    assert match.person is None


def test_ended_membership_is_not_matched(tree, md_officer):
    membership = tree.hoa.memberships.get()
    membership.ended_on = dt.date(2024, 12, 31)
    membership.save()
    [match] = people([PersonKey("Trần Thị Hoa")], md_officer, tree.md)
    assert match.person is None


@pytest.mark.parametrize("count", [5, 500])
def test_query_count_does_not_grow_with_the_keys(tree, md_officer, django_assert_max_num_queries, count):
    for i in range(30):
        add_person(tree.t1 if i % 2 else tree.t2, f"Lê Văn Số{i}", gender="M", card=f"09{i:08d}")
    keys = [
        PersonKey(f"Lê Văn Số{i}", birth_year=1985, unit_text="Tổ CĐ Phòng Nội vụ", card_number=f"09{i:08d}")
        for i in range(count)
    ]
    md_officer.__dict__.pop("_thidua_scopes", None)
    with django_assert_max_num_queries(4):
        matches = people(keys, md_officer, tree.md)
    assert len(matches) == count
    assert matches[1].person is not None and (count < 35 or matches[34].person is None)


# ---------------------------------------------------------------------------------------------- units
def units(texts, user, unit):
    return match_units(texts, user=user, action=AWARD, unit=unit)


def test_units_by_name_short_name_code_and_with_level_words(tree, md_officer):
    found = units(
        [
            "Tổ công đoàn Phòng Nội vụ",
            "Tổ CĐ Phòng Nội vụ",
            "phong noi vu",
            "HN-MD-UBND-T02",
            "Công đoàn UBND huyện Mỹ Đức",
            "CĐ Ủy ban nhân dân huyện Mỹ Đức",
            "LĐLĐ huyện Mỹ Đức",
            "Phòng Giáo dục",
        ],
        md_officer,
        tree.md,
    )
    assert [m.unit for m in found] == [
        tree.t1,
        tree.t1,
        tree.t1,
        tree.t2,
        tree.ubnd,
        tree.ubnd,
        tree.md,
        None,
    ]
    assert (
        found[-1].error == "Không tìm thấy đơn vị “Phòng Giáo dục” trong “Liên đoàn Lao động huyện Mỹ Đức”."
    )


def test_units_outside_the_subtree_or_scope_are_not_matched(tree, md_officer, make_user):
    outside, above = units(
        ["Công đoàn phường Minh Khai", "Liên đoàn Lao động thành phố Hà Nội"], md_officer, tree.md
    )
    assert outside.unit is None and above.unit is None
    hn_officer = make_user(Role.OFFICER, tree.hn)
    [seen] = units(["Công đoàn phường Minh Khai"], hn_officer, tree.hn)
    assert seen.unit == tree.mk
    # the HN officer asking from Mỹ Đức does not get Minh Khai either: it is outside the unit's subtree
    [not_below] = units(["Công đoàn phường Minh Khai"], hn_officer, tree.md)
    assert not_below.unit is None


def test_nearest_unit_wins_and_equal_distance_is_ambiguous(tree, md_officer):
    # a group in T1 named like the grassroots union above it: the nearer one (the union) wins
    add_unit(tree.t1, "HN-MD-UBND-T01-X", "Công đoàn Ủy ban nhân dân huyện Mỹ Đức", "TO_CD")
    [nearest] = units(["Công đoàn Ủy ban nhân dân huyện Mỹ Đức"], md_officer, tree.md)
    assert nearest.unit == tree.ubnd
    add_unit(tree.ubnd, "HN-MD-UBND-T03", "Tổ công đoàn Phòng Nội vụ", "TO_CD")
    [tie] = units(["Phòng Nội vụ"], md_officer, tree.md)
    assert tie.unit is None and len(tie.candidates) == 2
    assert "hãy ghi mã đơn vị" in tie.error
