"""The "danh-gia" import kind: year-end ratings from the sheets offices keep, planned and committed through
the evaluation services, scoped to what the importing officer may evaluate."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from conftest import add_person
from core.models import AuditEvent
from imports.kinds import ImportInvalid, Outcome, Source, SourceRow, get
from initiatives.choices import Level, Status
from initiatives.models import Initiative, InitiativeAuthor
from movements import importers
from movements.choices import Rating
from movements.models import Evaluation

KIND = get("danh-gia")


def row(number: int, **values) -> SourceRow:
    return SourceRow(number=number, values=values, raw={k: str(v) for k, v in values.items()})


def plan(rows, user, unit):
    return KIND.plan(rows, unit=unit, user=user, options={})


def commit(rows, user, unit, filename="xep-loai-2024.xlsx"):
    return KIND.commit(rows, unit=unit, user=user, options={}, source=Source(filename, import_id=7))


def messages(p) -> str:
    return " | ".join(f"{e.column}: {e.message}" for e in p.errors)


@pytest.fixture
def namesake(tree):
    """A second branch (LĐLĐ tỉnh Ninh Bình) with people who share our members' names."""
    return add_person(tree.yk_ubnd, "Nguyễn Văn An", gender="M", card="3700000099")


def test_registered_with_the_action_to_record_evaluations():
    assert KIND.command == "ratings"
    assert KIND.title == "Đánh giá, xếp loại cá nhân theo năm"
    assert KIND.action == "evaluation.change"
    keys = {c.key for c in KIND.columns}
    assert {"full_name", "year", "rating", "rating_2015", "rating_2030", "discipline"} <= keys
    aliases = {a: c.key for c in KIND.columns for a in c.aliases}
    assert aliases["xep loai 2023"] == aliases["nam 2023"] == aliases["2023"] == "rating_2023"
    assert aliases["nam"] == "year" and aliases["xep loai"] == "rating"


@pytest.mark.parametrize(
    ("word", "code"),
    [
        ("HTXS", "HTXS"),
        ("htxs", "HTXS"),
        ("Hoàn thành xuất sắc nhiệm vụ", "HTXS"),
        ("hoan thanh xuat sac nhiem vu", "HTXS"),
        ("Xuất sắc", "HTXS"),
        ("HTXSNV", "HTXS"),
        ("H.T.X.S", "HTXS"),
        ("Hoàn thành tốt nhiệm vụ", "HTT"),
        ("Tốt", "HTT"),
        ("HTT", "HTT"),
        ("Hoàn thành nhiệm vụ", "HT"),
        ("ht", "HT"),
        ("Không hoàn thành nhiệm vụ", "KHT"),
        ("KHT", "KHT"),
        ("Khá", None),
        ("Loại A", None),
    ],
)
def test_rating_words_offices_write(word, code):
    assert importers.rating_code(word) == code


def test_new_ratings_then_the_same_file_again_creates_nothing_twice(tree, officer):
    rows = [
        row(
            5,
            stt="1",
            full_name="Nguyễn Văn An",
            birth_year=1985,
            year=2024,
            rating="Hoàn thành xuất sắc nhiệm vụ",
        ),
        row(
            6, stt="2", full_name="Trần Thị Hoa", year=2024, rating="htt", months_worked="12", absent_days="3"
        ),
    ]
    plans = plan(rows, officer, tree.md)
    assert [p.outcome for p in plans] == [Outcome.NEW, Outcome.NEW]
    assert plans[0].target == "Nguyễn Văn An (1985) — Tổ công đoàn Phòng Nội vụ"
    assert plans[0].notices == ["Năm 2024: thêm mới, Hoàn thành xuất sắc nhiệm vụ"]

    summary = commit(rows, officer, tree.md)
    assert summary["created"] == 2 and summary["updated"] == 0
    assert "2 đánh giá mới" in summary["message"]
    an = Evaluation.objects.get(person=tree.an, year=2024)
    assert (an.rating, an.months_worked, an.absent_days, an.unit) == ("HTXS", 12, 0, tree.t1)
    hoa = Evaluation.objects.get(person=tree.hoa, year=2024)
    assert (hoa.rating, hoa.absent_days, hoa.evaluated_by) == ("HTT", 3, officer)
    event = AuditEvent.objects.filter(action="evaluation.grid").latest("id")
    assert "nhập từ tệp xep-loai-2024.xlsx" in event.summary

    for _ in range(2):  # the same file twice more: nothing doubled, nothing changed
        again = plan(rows, officer, tree.md)
        assert [(p.outcome, p.reason) for p in again] == [(Outcome.SKIPPED, "Không thay đổi.")] * 2
        summary = commit(rows, officer, tree.md)
        assert (summary["created"], summary["updated"], summary["skipped"]) == (0, 0, 2)
    assert Evaluation.objects.filter(year=2024).count() == 2


def test_a_different_rating_is_an_update_showing_before_and_after(tree, officer):
    Evaluation.objects.create(person=tree.an, year=2024, unit=tree.t1, rating=Rating.HTT, months_worked=10)
    rows = [row(4, full_name="Nguyễn Văn An", card_number="0100000001", year=2024, rating="HTXS")]
    (p,) = plan(rows, officer, tree.md)
    assert p.outcome == Outcome.UPDATE
    assert p.notices == ["Năm 2024: xếp loại Hoàn thành tốt nhiệm vụ → Hoàn thành xuất sắc nhiệm vụ"]
    assert commit(rows, officer, tree.md)["updated"] == 1
    evaluation = Evaluation.objects.get(person=tree.an, year=2024)
    # the sheet says nothing of the months: what was recorded stays
    assert (evaluation.rating, evaluation.months_worked) == ("HTXS", 10)
    assert Evaluation.objects.count() == 1


def test_wide_layout_one_column_per_year(tree, officer):
    Evaluation.objects.create(person=tree.hoa, year=2023, unit=tree.t2, rating=Rating.HTXS)
    rows = [
        row(7, full_name="Nguyễn Văn An", rating_2023="HTXS", rating_2024="HTT", rating_2025="Xuất sắc"),
        row(8, full_name="Trần Thị Hoa", rating_2023="Hoàn thành xuất sắc nhiệm vụ", rating_2024="HT"),
        row(9, full_name="Đặng Đức Thắng", rating_2023="HTT", rating_2024=None),
        row(10, full_name="Trần Thị Hoa", rating_2025=None),
    ]
    plans = plan(rows, officer, tree.md)
    assert [p.outcome for p in plans] == [Outcome.NEW, Outcome.NEW, Outcome.NEW, Outcome.SKIPPED]
    assert plans[1].notices == ["Năm 2024: thêm mới, Hoàn thành nhiệm vụ"]  # 2023 unchanged
    assert plans[3].reason == "Dòng không có xếp loại."
    summary = commit(rows, officer, tree.md)
    assert (summary["created"], summary["years"]) == (5, [2023, 2024, 2025])
    assert dict(Evaluation.objects.filter(person=tree.an).values_list("year", "rating")) == {
        2023: "HTXS",
        2024: "HTT",
        2025: "HTXS",
    }
    assert [p.outcome for p in plan(rows, officer, tree.md)] == [Outcome.SKIPPED] * 4


def test_wide_layout_details_need_the_year_they_belong_to(tree, officer):
    rows = [
        row(3, full_name="Nguyễn Văn An", rating_2023="HTXS", rating_2024="HTT", months_worked="10"),
        row(
            4, full_name="Trần Thị Hoa", year=2024, rating_2023="HTXS", rating_2024="HTT", months_worked="10"
        ),
    ]
    rows.append(
        row(5, full_name="Đặng Đức Thắng", rating_2023="HTT", rating_2024="HTT", note="Chuyển đến 2023")
    )
    first, second, third = plan(rows, officer, tree.md)
    assert third.outcome == Outcome.NEW and "Ghi chú được ghi vào đánh giá năm 2024." in third.notices
    assert first.outcome == Outcome.ERROR
    assert first.errors[0].column == "Số tháng công tác" and "một năm" in first.errors[0].message
    assert second.outcome == Outcome.NEW
    commit(rows[1:], officer, tree.md)
    assert dict(Evaluation.objects.filter(person=tree.hoa).values_list("year", "months_worked")) == {
        2023: 12,
        2024: 10,
    }


def test_unknown_rating_word_lists_the_accepted_words(tree, officer):
    (p,) = plan([row(12, full_name="Nguyễn Văn An", year=2024, rating="Khá")], officer, tree.md)
    assert p.outcome == Outcome.ERROR
    error = p.errors[0]
    assert error.column == "Xếp loại"
    assert "“Khá”" in error.message
    for word in ("HTXS", "HTT", "HT", "KHT", "Hoàn thành xuất sắc nhiệm vụ", "Không hoàn thành nhiệm vụ"):
        assert word in error.message
    (p,) = plan([row(13, full_name="Nguyễn Văn An", rating_2022="A")], officer, tree.md)
    assert p.errors[0].column == "Xếp loại 2022"


def test_the_evaluation_rules_apply_and_name_the_column(tree, officer):
    rows = [
        row(2, full_name="Nguyễn Văn An", year=2024, rating="HTT", months_worked="13"),
        row(3, full_name="Trần Thị Hoa", year=2024, rating="HTT", discipline="Khiển trách"),
        row(4, full_name="Đặng Đức Thắng", year=2024, rating="HT", discipline="Khiển trách 12/03/2023"),
        row(5, full_name="Nguyễn Văn An", year=2023, rating="HT", discipline="Phê bình"),
        row(6, full_name="Trần Thị Hoa", year=2023, rating="HT", months_worked="mười"),
        row(7, full_name="Trần Thị Hoa", rating="HT"),
    ]
    plans = plan(rows, officer, tree.md)
    assert all(p.outcome == Outcome.ERROR for p in plans)
    assert messages(plans[0]) == "Số tháng công tác: Năm 2024: Số tháng công tác phải từ 0 đến 12."
    assert messages(plans[1]) == "Ngày kỷ luật: Năm 2024: Nhập ngày quyết định kỷ luật."
    assert messages(plans[2]) == "Ngày kỷ luật: Năm 2024: Ngày kỷ luật phải thuộc năm 2024."
    assert plans[3].errors[0].column == "Kỷ luật" and "Cảnh cáo" in plans[3].errors[0].message
    assert plans[4].errors[0].column == "Số tháng công tác" and "“mười”" in plans[4].errors[0].message
    assert plans[5].errors[0].column == "Năm"
    with pytest.raises(ImportInvalid) as caught:
        commit(rows, officer, tree.md)
    assert len(caught.value.plans) == 6
    assert not Evaluation.objects.exists()


def test_discipline_maternity_and_note(tree, officer):
    rows = [
        row(
            2,
            full_name="Nguyễn Văn An",
            year=2024,
            rating="HT",
            discipline="Cảnh cáo (QĐ ngày 15/03/2024)",
            absent_days="4",
            note="Chuyển công tác tháng 6",
        ),
        row(3, full_name="Trần Thị Hoa", year=2024, rating="HTT", absent_days="180", maternity_days="x"),
        row(
            4,
            full_name="Đặng Đức Thắng",
            year=2024,
            rating="HTT",
            discipline="Khiển trách",
            discipline_on=dt.date(2024, 5, 2),
        ),
    ]
    plans = plan(rows, officer, tree.md)
    assert [p.outcome for p in plans] == [Outcome.NEW] * 3
    assert "180 ngày nghỉ được tính là nghỉ thai sản." in plans[1].notices
    commit(rows, officer, tree.md)
    an = Evaluation.objects.get(person=tree.an)
    assert (an.discipline, an.discipline_on, an.absent_days, an.note) == (
        "CANH_CAO",
        dt.date(2024, 3, 15),
        4,
        "Chuyển công tác tháng 6",
    )
    hoa = Evaluation.objects.get(person=tree.hoa)
    assert (hoa.absent_days, hoa.maternity_days) == (0, 180)
    assert Evaluation.objects.get(person=tree.chu_tich).discipline_on == dt.date(2024, 5, 2)
    # "Không" clears a recorded discipline
    (p,) = plan(
        [row(9, full_name="Nguyễn Văn An", year=2024, rating="HT", discipline="Không")], officer, tree.md
    )
    assert p.outcome == Outcome.UPDATE and "kỷ luật Cảnh cáo → không" in p.notices[0]


def test_the_same_person_and_year_twice_in_the_file(tree, officer):
    rows = [
        row(2, full_name="Nguyễn Văn An", year=2024, rating="HTT"),
        row(3, full_name="Nguyễn Văn An", year=2024, rating="Hoàn thành tốt nhiệm vụ"),
        row(4, full_name="Nguyễn Văn An", year=2024, rating="HT"),
    ]
    first, second, third = plan(rows, officer, tree.md)
    assert first.outcome == Outcome.NEW
    assert (second.outcome, second.reason) == (Outcome.SKIPPED, "Trùng dòng đã có: năm 2024 trùng dòng 2.")
    assert third.outcome == Outcome.ERROR and "dòng 2" in third.errors[0].message


def test_people_of_another_branch_are_never_matched(tree, officer, namesake):
    rows = [
        row(2, full_name="Nguyễn Văn An", year=2024, rating="HTXS"),
        row(3, full_name="Phạm Văn Bình", year=2024, rating="HTXS"),
        row(4, full_name="Nguyễn Văn An", card_number="3700000099", year=2024, rating="HTXS"),
    ]
    first, second, third = plan(rows, officer, tree.md)
    assert first.outcome == Outcome.NEW and first.target.endswith("Tổ công đoàn Phòng Nội vụ")
    for p in (second, third):
        assert p.outcome == Outcome.ERROR and p.errors[0].column == "Họ và tên"
        assert "Yên Khánh" not in messages(p) and "Ninh Bình" not in messages(p)
    commit(rows[:1], officer, tree.md)
    assert not Evaluation.objects.filter(person__in=[namesake, tree.yen_khanh]).exists()


def test_an_officer_of_the_other_branch_matches_only_there(tree, make_user, namesake):
    nb_officer = make_user(Role.OFFICER, tree.nb)
    rows = [row(2, full_name="Nguyễn Văn An", year=2024, rating="HTT")]
    (p,) = plan(rows, nb_officer, tree.nb)
    assert p.outcome == Outcome.NEW and "Yên Khánh" in p.target
    commit(rows, nb_officer, tree.nb)
    assert Evaluation.objects.get().person == namesake
    # pointed at a unit outside their scope, nobody is found there
    (p,) = plan(rows, nb_officer, tree.md)
    assert p.outcome == Outcome.ERROR


def test_a_one_group_officer_cannot_rate_the_next_group(tree, make_user):
    group_officer = make_user(Role.OFFICER, tree.t1)
    rows = [
        row(2, full_name="Nguyễn Văn An", year=2024, rating="HTT"),
        row(3, full_name="Trần Thị Hoa", year=2024, rating="HTT"),
    ]
    first, second = plan(rows, group_officer, tree.t1)
    assert (first.outcome, second.outcome) == (Outcome.NEW, Outcome.ERROR)


def test_unit_cell_tells_namesakes_apart(tree, officer):
    add_person(tree.t2, "Nguyễn Văn An", gender="M", card="0100000077")
    rows = [row(2, full_name="Nguyễn Văn An", year=2024, rating="HTT")]
    (p,) = plan(rows, officer, tree.md)
    assert p.outcome == Outcome.ERROR and "Tổ công đoàn Phòng Tài chính" in messages(p)
    rows = [
        row(
            2,
            full_name="Nguyễn Văn An",
            unit_text="Tổ CĐ Phòng Tài chính - Kế hoạch",
            year=2024,
            rating="HTT",
        )
    ]
    (p,) = plan(rows, officer, tree.md)
    assert p.outcome == Outcome.NEW and p.target.endswith("Phòng Tài chính - Kế hoạch")
    # the section row above ("Tổ công đoàn Phòng Nội vụ") narrows the same way
    sectioned = SourceRow(
        4, {"full_name": "Nguyễn Văn An", "year": 2024, "rating": "HT"}, section="Tổ công đoàn Phòng Nội vụ"
    )
    (p,) = plan([sectioned], officer, tree.md)
    assert p.outcome == Outcome.NEW and p.target.endswith("Phòng Nội vụ")


def test_three_htxs_years_imported_change_what_the_engine_finds(tree, officer):
    """Bằng khen Tổng LĐ: HTXS in consecutive years up to the year, with recognised initiatives."""
    from commendations.eligibility import person_report

    for year in (2024, 2025):
        initiative = Initiative.objects.create(
            title=f"Giải pháp số {year}",
            unit=tree.ubnd,
            year=year,
            status=Status.RECOGNIZED,
            recognition_level=Level.CO_SO,
            recognized_on=dt.date(year, 11, 20),
        )
        InitiativeAuthor.objects.create(initiative=initiative, person=tree.an, share_percent=100)

    def bk_tld():
        report = person_report(person=tree.an, year=2025)
        return next(r.verdict for r in report.rows if r.award_type.code == "BK_TLD")

    assert not bk_tld().eligible
    rows = [row(2, full_name="Nguyễn Văn An", rating_2023="HTXS", rating_2024="HTXS", rating_2025="HTXS")]
    commit(rows, officer, tree.md)
    assert bk_tld().eligible


def _people(tree, n: int, start: int = 0):
    from members.models import Membership, Person

    people = [
        Person(family_name="Lê", middle_name="Văn", given_name=f"Thử{i:05d}", birth_date=dt.date(1990, 1, 1))
        for i in range(start, start + n)
    ]
    for person in people:
        person.refresh_derived()
    people = Person.objects.bulk_create(people)
    Membership.objects.bulk_create(
        [
            Membership(
                person=p, unit=tree.t1, card_number=f"09{start + i:08d}", started_on=dt.date(2020, 1, 1)
            )
            for i, p in enumerate(people)
        ]
    )
    return [
        row(10 + i, full_name=p.full_name, card_number=f"09{start + i:08d}", year=2024, rating="HTT")
        for i, p in enumerate(people)
    ]


def test_query_count_does_not_grow_with_the_rows(tree, officer):
    small, large = _people(tree, 5), _people(tree, 60, start=5)
    plan(small, officer, tree.md)  # the officer's scopes, read once
    counts = []
    for rows in (small, large):
        with CaptureQueriesContext(connection) as ctx:
            plan(rows, officer, tree.md)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    with CaptureQueriesContext(connection) as ctx:
        commit(small, officer, tree.md)
    small_commit = len(ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:
        commit(large, officer, tree.md)
    assert len(ctx.captured_queries) == small_commit
    assert Evaluation.objects.count() == 65
