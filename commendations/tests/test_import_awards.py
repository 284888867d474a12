"""Import of past awards ("Khen thưởng các năm trước"): plan and commit through SourceRows as the framework
hands them, scoped matching, skipping what the registry already has, and the engine counting the result."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from accounts.roles import Role
from commendations import importers
from commendations.eligibility import person_report
from commendations.models import AwardRecord, AwardType
from conftest import add_person
from core.models import AuditEvent
from imports import kinds
from imports.kinds import CellError, ImportInvalid, Outcome, Source, SourceRow

pytestmark = pytest.mark.django_db

SOURCE = Source(filename="qd-khen-thuong-2023.xlsx", import_id=41)


def row(number, **values) -> SourceRow:
    defaults = {
        "decision_number": "125/QĐ-LĐLĐ",
        "decision_date": dt.date(2024, 1, 15),
        "issuer": "LĐLĐ huyện Mỹ Đức",
        "award": "CSTĐCS",
        "subject": None,
        "name": "Nguyễn Văn An",
        "birth_date": None,
        "birth_year": 1985,
        "unit_text": "Tổ CĐ Phòng Nội vụ",
        "year": 2023,
        "summary": "Hoàn thành xuất sắc nhiệm vụ năm 2023",
    }
    defaults.update(values)
    return SourceRow(number=number, values=defaults)


def plan(rows, user, unit):
    return importers.plan(rows, unit=unit, user=user, options={})


def commit(rows, user, unit, source=SOURCE):
    return importers.commit(rows, unit=unit, user=user, options={}, source=source)


def test_the_kind_is_registered_with_its_command_title_and_action():
    kind = kinds.get("khen-thuong")
    assert kind.command == "awards" and kind.title == "Khen thưởng các năm trước"
    assert kind.action == "award.record"
    assert {c.key for c in kind.columns} >= {"decision_number", "decision_date", "issuer", "award", "name"}


def test_plan_matches_the_member_and_commit_writes_the_record_marked_with_its_file(tree, officer):
    [p] = plan([row(7)], officer, tree.md)
    assert p.outcome == Outcome.NEW and p.errors == []
    assert p.target == "Nguyễn Văn An (1985) — Tổ công đoàn Phòng Nội vụ: CSTĐ cơ sở 2023"
    summary = commit([row(7)], officer, tree.md)
    assert summary["created"] == 1 and summary["skipped"] == 0
    assert summary["message"] == "Đã ghi 1 khen thưởng vào sổ khen thưởng."
    record = AwardRecord.objects.get()
    assert record.person == tree.an and record.unit is None
    assert record.award_type.code == "CSTDCS" and record.year == 2023
    assert record.decision_number == "125/QĐ-LĐLĐ" and record.decision_date == dt.date(2024, 1, 15)
    assert record.issuing_unit == tree.md and record.scope_unit == tree.t1
    assert record.entered_by == officer
    assert record.achievement_summary == "Hoàn thành xuất sắc nhiệm vụ năm 2023"
    assert (record.source_file, record.source_import_id) == ("qd-khen-thuong-2023.xlsx", 41)
    events = AuditEvent.objects.filter(action="award.import")
    assert events.count() == 1 and "qd-khen-thuong-2023.xlsx" in events.get().summary


def test_reimporting_the_same_rows_creates_nothing_twice(tree, officer):
    rows = [row(5), row(6, name="Trần Thị Hoa", birth_year=None, unit_text="", award="LĐTT")]
    assert commit(rows, officer, tree.md)["created"] == 2
    again = plan(rows, officer, tree.md)
    assert [p.outcome for p in again] == [Outcome.SKIPPED, Outcome.SKIPPED]
    assert "đã có trong sổ khen thưởng" in again[0].reason
    summary = commit(rows, officer, tree.md)
    assert summary["created"] == 0 and summary["skipped"] == 2
    assert AwardRecord.objects.count() == 2


def test_same_title_and_year_under_another_decision_is_skipped_but_a_second_certificate_is_not(
    tree, officer, history
):
    history.award(tree.an, "CSTDCS", 2023, number="9/QĐ-LĐLĐ")
    history.award(tree.an, "GK", 2023, number="10/QĐ-LĐLĐ")
    title, same_decision, other_certificate = plan(
        [
            row(3, decision_number="125/QĐ-LĐLĐ"),
            row(4, award="Giấy khen", decision_number="10/QD-LDLD"),  # written without the accents
            row(5, award="GK", decision_number="200/QĐ-LĐLĐ"),
        ],
        officer,
        tree.md,
    )
    assert title.outcome == Outcome.SKIPPED and "Chiến sĩ thi đua cơ sở năm 2023 đã có" in title.reason
    assert same_decision.outcome == Outcome.SKIPPED and "Quyết định 10/QD-LDLD" in same_decision.reason
    assert other_certificate.outcome == Outcome.NEW


def test_a_row_twice_in_the_file_is_written_once(tree, officer):
    plans = plan([row(3), row(9, award="Chiến sĩ thi đua cơ sở")], officer, tree.md)
    assert plans[0].outcome == Outcome.NEW
    assert plans[1].outcome == Outcome.SKIPPED and plans[1].reason == "Trùng với dòng 3 của tệp."
    assert commit([row(3), row(9)], officer, tree.md)["created"] == 1


def test_unknown_award_names_row_and_column_and_lists_the_accepted_words(tree, officer):
    [p] = plan([row(12, award="Huân chương Lao động")], officer, tree.md)
    assert p.outcome == Outcome.ERROR and p.number == 12
    [error] = p.errors
    assert error.column == "Danh hiệu, hình thức khen thưởng"
    assert error.message.startswith("Danh hiệu, hình thức “Huân chương Lao động” không có trong danh mục.")
    # every accepted name, as the nomination lists say it too (commendations.award_names)
    assert "“Lao động tiên tiến” (LĐTT)" in error.message and "“Giấy khen”" in error.message


def test_issuer_may_be_above_the_target_unit(tree, officer):
    tld, city, state = plan(
        [
            row(3, award="BK TLĐ", issuer="Tổng Liên đoàn Lao động Việt Nam", decision_number="1/QĐ-TLĐ"),
            row(
                4,
                award="Bằng khen LĐLĐ thành phố",
                issuer="LĐLĐ thành phố Hà Nội",
                decision_number="2/QĐ-LĐLĐ",
            ),
            row(5, award="Bằng khen Thủ tướng", issuer="Thủ tướng Chính phủ", decision_number="3/QĐ-TTg"),
        ],
        officer,
        tree.md,
    )
    assert [p.outcome for p in (tld, city, state)] == [Outcome.NEW] * 3, [
        tld.errors,
        city.errors,
        state.errors,
    ]
    commit([row(3, award="BK TLĐ", issuer="TLĐ", decision_number="1/QĐ-TLĐ")], officer, tree.md)
    assert AwardRecord.objects.get().issuing_unit == tree.vn


def test_unknown_issuer_lists_what_was_tried_and_a_sibling_branch_is_not_an_issuer(tree, officer):
    unknown, sibling = plan(
        [row(3, issuer="Sở Nội vụ"), row(4, issuer="Liên đoàn Lao động quận Hai Bà Trưng")], officer, tree.md
    )
    for p in (unknown, sibling):
        assert p.outcome == Outcome.ERROR
        assert p.errors[0].column == "Đơn vị ban hành"
    assert unknown.errors[0].message == (
        "Không tìm thấy đơn vị ban hành “Sở Nội vụ”: đã tìm trong các cấp trên (LĐLĐ thành phố Hà Nội, "
        "Tổng Liên đoàn Lao động Việt Nam), trong “Liên đoàn Lao động huyện Mỹ Đức” và các đơn vị trực thuộc."
    )


def test_issuer_without_authority_for_the_award_is_an_error(tree, officer):
    [p] = plan(
        [row(3, issuer="Công đoàn UBND huyện Mỹ Đức")], officer, tree.md
    )  # a CĐCS cannot confer CSTĐCS
    assert p.outcome == Outcome.ERROR
    assert p.errors[0].message == (
        "“Công đoàn Ủy ban nhân dân huyện Mỹ Đức” không có thẩm quyền tặng Chiến sĩ thi đua cơ sở."
    )


def test_missing_issuer_is_taken_from_the_only_level_with_authority(tree, officer):
    [p] = plan([row(3, issuer=None, award="BK TLĐ")], officer, tree.md)
    assert p.outcome == Outcome.NEW
    assert any("Tổng Liên đoàn Lao động Việt Nam" in n for n in p.notices)
    [ambiguous] = plan([row(3, issuer=None, award="GK")], officer, tree.md)
    assert (
        ambiguous.outcome == Outcome.ERROR
        and ambiguous.errors[0].message == "Thiếu đơn vị ban hành (cấp khen)."
    )


def test_collectives_by_unit_name_and_kind_inferred_from_the_award(tree, officer):
    rows = [
        row(3, award="Tập thể LĐTT", name="Tổ CĐ Phòng Nội vụ", birth_year=None, unit_text=""),
        row(
            4,
            award="Giấy khen",
            name="Tổ công đoàn Phòng Tài chính - Kế hoạch",
            birth_year=None,
            unit_text="",
        ),
        row(
            5,
            award="GK",
            subject="Tập thể",
            name="",
            birth_year=None,
            unit_text="Công đoàn UBND huyện Mỹ Đức",
        ),
    ]
    assert [p.outcome for p in plan(rows, officer, tree.md)] == [Outcome.NEW] * 3
    commit(rows, officer, tree.md)
    records = {r.unit.code: r for r in AwardRecord.objects.select_related("unit")}
    assert set(records) == {"HN-MD-UBND-T01", "HN-MD-UBND-T02", "HN-MD-UBND"}
    assert all(r.person_id is None and r.scope_unit_id == r.unit_id for r in records.values())


def test_kind_contradicting_the_award_and_unknown_kind_word(tree, officer):
    wrong, unknown = plan(
        [row(3, subject="Cá nhân", award="Tập thể LĐXS"), row(4, subject="Đoàn viên")], officer, tree.md
    )
    assert wrong.errors[0].column == "Loại"
    assert (
        wrong.errors[0].message == "Tập thể lao động xuất sắc chỉ tặng cho tập thể, không tặng cho cá nhân."
    )
    assert unknown.errors[0].message == "Loại “Đoàn viên” không rõ: ghi “Cá nhân” hoặc “Tập thể”."


def test_year_defaults_to_the_decision_year_and_cannot_follow_the_decision(tree, officer):
    defaulted, late = plan([row(3, year=None), row(4, year=2025)], officer, tree.md)
    assert defaulted.outcome == Outcome.NEW and "Năm xét lấy theo ngày quyết định: 2024." in defaulted.notices
    assert late.outcome == Outcome.ERROR and late.errors[0].column == "Năm"


def test_framework_cell_errors_and_missing_required_values_make_the_row_an_error(tree, officer):
    broken = row(3, decision_date=None)
    broken.raw["decision_date"] = "31/02/2023"
    broken.errors.append(CellError("Ngày quyết định", "Ngày “31/02/2023” không có thật."))
    missing = row(4, decision_number="", award=None)
    p3, p4 = plan([broken, missing], officer, tree.md)
    assert [e.message for e in p3.errors] == ["Ngày “31/02/2023” không có thật."]
    assert {e.column for e in p4.errors} == {"Số quyết định", "Danh hiệu, hình thức khen thưởng"}


def test_namesakes_in_another_branch_are_never_matched_nor_named(tree, make_user, officer):
    # Hai Bà Trưng has its own Nguyễn Văn An (same birth date), and Lê Thị Ánh lives only there
    add_person(tree.mk, "Nguyễn Văn An", gender="M", card="0100008888")
    ours, theirs = plan([row(3), row(4, name="Lê Thị Ánh", birth_year=None, unit_text="")], officer, tree.md)
    assert ours.outcome == Outcome.NEW and ours.target.startswith(
        "Nguyễn Văn An (1985) — Tổ công đoàn Phòng Nội vụ"
    )
    assert theirs.outcome == Outcome.ERROR and theirs.errors[0].column == "Họ và tên / Tên tập thể"
    assert "Minh Khai" not in theirs.errors[0].message and "Hai Bà Trưng" not in theirs.errors[0].message
    # an officer of Hai Bà Trưng importing into Minh Khai finds their own namesake, not ours
    hbt_officer = make_user(Role.OFFICER, tree.hbt)
    [p] = plan([row(3, unit_text="", issuer="LĐLĐ quận Hai Bà Trưng")], hbt_officer, tree.mk)
    assert p.outcome == Outcome.NEW and "Công đoàn phường Minh Khai" in p.target
    # and cannot reach Mỹ Đức's collectives either
    [unit_row] = plan([row(5, award="Tập thể LĐTT", name="Tổ CĐ Phòng Nội vụ")], hbt_officer, tree.mk)
    assert unit_row.outcome == Outcome.ERROR


def test_commit_with_an_error_row_writes_nothing(tree, officer):
    with pytest.raises(ImportInvalid) as raised:
        commit([row(3), row(4, name="Hoàng Văn Không")], officer, tree.md)
    assert [p.outcome for p in raised.value.plans] == [Outcome.NEW, Outcome.ERROR]
    assert AwardRecord.objects.count() == 0 and not AuditEvent.objects.filter(action="award.import").exists()


@pytest.mark.parametrize("count", [10, 400])
def test_plan_queries_do_not_grow_with_the_rows(tree, officer, django_assert_max_num_queries, count):
    for i in range(40):
        add_person(tree.t2, f"Vũ Thị Mẫu{i}", card=f"05{i:08d}")
    rows = [
        row(i + 5, name=f"Vũ Thị Mẫu{i % 40}", unit_text="", decision_number=f"{i}/QĐ", award="GK")
        for i in range(count)
    ]
    officer.__dict__.pop("_thidua_scopes", None)
    with django_assert_max_num_queries(10):
        plans = plan(rows, officer, tree.md)
    assert sum(p.outcome == Outcome.NEW for p in plans) == count  # a certificate per decision: all new


def test_registry_screen_shows_the_file_a_record_came_from(tree, officer, officer_client):
    commit([row(3)], officer, tree.md)
    response = officer_client.get(reverse("commendations:records"), {"don_vi": tree.md.pk})
    assert response.status_code == 200
    assert "Nhập từ tệp qd-khen-thuong-2023.xlsx" in response.content.decode()


def test_imported_grassroots_titles_make_a_member_eligible_for_the_provincial_title(tree, officer, history):
    an = tree.an
    for year in (2023, 2024, 2025):
        history.ldtt_year(an, year, "HTXS")
    history.initiative(an, dt.date(2024, 12, 12), level="TINH_BO")

    def cstd_bo():
        report = person_report(person=an, year=2025)
        return {r.award_type.code: r.verdict for r in report.rows}["CSTD_BO"]

    assert not cstd_bo().eligible
    rows = [
        row(3 + i, year=year, decision_number=f"{i + 1}/QĐ-LĐLĐ", decision_date=dt.date(year + 1, 1, 10))
        for i, year in enumerate((2023, 2024, 2025))
    ]
    assert commit(rows, officer, tree.md)["created"] == 3
    verdict = cstd_bo()
    assert verdict.eligible, verdict.explanation
    assert "Đạt CSTĐ cơ sở 3 năm liên tục: 2023, 2024, 2025" in verdict.explanation
    assert AwardType.objects.get(code="CSTDCS").records.count() == 3
