"""The "sang-kien" import kind: initiatives already recognised, from the lists offices keep — authors found
within the officer's scope, the initiative placed at the authors' unit, nothing recorded twice, the
source file kept and shown, and the counters of recognised initiatives including them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from commendations.selectors import person_histories
from conftest import add_person
from core.models import AuditEvent
from imports.kinds import ImportInvalid, Outcome, Source, SourceRow, get
from initiatives import importers
from initiatives.choices import Level, Status
from initiatives.models import Initiative
from initiatives.selectors import initiative_counts

KIND = get("sang-kien")
FILE = "sang-kien-2024.xlsx"


def row(number: int, **values) -> SourceRow:
    return SourceRow(number=number, values=values, raw={k: str(v) for k, v in values.items()})


def plan(rows, user, unit):
    return KIND.plan(rows, unit=unit, user=user, options={})


def commit(rows, user, unit):
    return KIND.commit(rows, unit=unit, user=user, options={}, source=Source(FILE, import_id=12))


def messages(p) -> str:
    return " | ".join(f"{e.column}: {e.message}" for e in p.errors)


def sheet() -> list[SourceRow]:
    """Two initiatives as a district federation lists them."""
    return [
        row(
            6,
            stt="1",
            title="Ứng dụng phần mềm quản lý hồ sơ một cửa điện tử",
            year=2024,
            field="Chuyển đổi số",
            recognized_on=dt.date(2024, 11, 20),
            level="Cấp cơ sở",
            decision_ref="125/QĐ-LĐLĐ",
            decision_unit="LĐLĐ huyện Mỹ Đức",
            description="Số hoá hồ sơ, trả kết quả qua mạng.",
            benefit="1,25 tỷ",
            authors="Nguyễn Văn An (60%), Trần Thị Hoa (40%)",
            author_units="Tổ CĐ Phòng Nội vụ; Tổ CĐ Phòng Tài chính - Kế hoạch",
        ),
        row(
            7,
            stt="2",
            title="Sắp xếp lại kho lưu trữ theo mã vạch",
            year=2024,
            field="Quản lý – hành chính",
            recognized_on=dt.date(2024, 12, 5),
            level="cơ sở",
            decision_ref="131/QĐ-LĐLĐ",
            benefit="85.000.000",
            authors="Đặng Đức Thắng",
        ),
    ]


@pytest.fixture
def namesake(tree):
    """A second branch (LĐLĐ tỉnh Ninh Bình) with people who share our members' names."""
    return add_person(tree.yk_ubnd, "Nguyễn Văn An", gender="M", card="3700000099")


def test_registered_with_the_action_to_record_initiatives():
    assert (KIND.command, KIND.title, KIND.action) == (
        "initiatives",
        "Sáng kiến đã được công nhận",
        "initiative.change",
    )
    aliases = {a: c.key for c in KIND.columns for a in c.aliases}
    assert aliases["ten sang kien"] == "title" and aliases["gia tri lam loi"] == "benefit"
    assert aliases["tac gia"] == "authors" and aliases["don vi cong tac cua tac gia"] == "author_units"


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1.250.000.000", 1_250_000_000),
        ("1,25 tỷ", 1_250_000_000),
        ("1,5 tỷ đồng", 1_500_000_000),
        ("850 triệu", 850_000_000),
        ("1 tỷ 250 triệu", 1_250_000_000),
        ("45.000.000 đ", 45_000_000),
        ("45.000.000đ", 45_000_000),
        ("500.000 VNĐ", 500_000),
        ("1250000000", 1_250_000_000),
        (1_250_000_000, 1_250_000_000),
        ("", None),
    ],
)
def test_money_as_offices_write_it(text, amount):
    assert importers.money(text) == amount


@pytest.mark.parametrize("text", ["nhiều", "khoảng 1 tỷ", "1,2,3"])
def test_money_that_cannot_be_read(text):
    with pytest.raises(ValueError):
        importers.money(text)


def test_authors_split_with_their_shares():
    authors = importers.split_authors(
        "Nguyễn Văn An (33,33%), Trần Thị Hoa - 33,33%; Lê Văn Cường\n- ThS. Phạm Thị Dung (1985)"
    )
    assert [(a.name, a.share, a.birth_year) for a in authors] == [
        ("Nguyễn Văn An", Decimal("33.33"), None),
        ("Trần Thị Hoa", Decimal("33.33"), None),
        ("Lê Văn Cường", None, None),
        ("Phạm Thị Dung", None, 1985),
    ]


def test_recognised_initiatives_created_with_authors_and_source(tree, officer):
    plans = plan(sheet(), officer, tree.md)
    assert [p.outcome for p in plans] == [Outcome.NEW, Outcome.NEW]
    assert plans[0].target == (
        "Ứng dụng phần mềm quản lý hồ sơ một cửa điện tử — Công đoàn Ủy ban nhân dân huyện Mỹ Đức (2024)"
    )
    assert "Tác giả: Nguyễn Văn An (60%); Trần Thị Hoa (40%)" in plans[0].notices
    summary = commit(sheet(), officer, tree.md)
    assert summary["created"] == 2 and summary["message"] == "Đã ghi 2 sáng kiến được công nhận."

    first = Initiative.objects.get(title__startswith="Ứng dụng")
    assert (first.status, first.recognition_level, first.recognized_on, first.decision_ref) == (
        Status.RECOGNIZED,
        Level.CO_SO,
        dt.date(2024, 11, 20),
        "125/QĐ-LĐLĐ",
    )
    assert (first.unit, first.decision_unit, first.field, first.benefit_vnd) == (
        tree.ubnd,
        tree.md,
        "CDS",
        1_250_000_000,
    )
    assert first.source_file == FILE and first.created_by == officer
    assert [(a.person, a.share_percent) for a in first.authors.all()] == [
        (tree.an, Decimal("60.00")),
        (tree.hoa, Decimal("40.00")),
    ]
    event = AuditEvent.objects.get(action="initiative.import", object_id=str(first.pk))
    assert FILE in event.summary and event.unit == tree.ubnd
    second = Initiative.objects.get(title__startswith="Sắp xếp")
    assert (second.unit, second.benefit_vnd, second.field) == (tree.ubnd, 85_000_000, "QUAN_LY")
    # the engine reads them as the authors' recognised initiatives
    history = person_histories(persons=[tree.an], year=2024)[tree.an.pk]
    assert [(i.scope, i.benefit_vnd) for i in history.initiatives] == [("CO_SO", 1_250_000_000)]


def test_the_same_file_again_creates_nothing_twice(tree, officer):
    commit(sheet(), officer, tree.md)
    for _ in range(2):
        again = plan(sheet(), officer, tree.md)
        assert [(p.outcome, p.reason) for p in again] == [
            (Outcome.SKIPPED, "Đã có sáng kiến cùng tên, cùng năm tại đơn vị này.")
        ] * 2
        summary = commit(sheet(), officer, tree.md)
        assert (summary["created"], summary["skipped"]) == (0, 2)
    assert Initiative.objects.count() == 2
    # written differently (case, spaces, accents typed the same) is still the same initiative
    rows = sheet()[1:]
    rows[0].values["title"] = "SẮP XẾP LẠI  kho lưu trữ theo mã vạch"
    assert plan(rows, officer, tree.md)[0].outcome == Outcome.SKIPPED


def test_a_repeated_row_in_the_file_is_skipped(tree, officer):
    rows = [*sheet(), row(9, **sheet()[1].values)]
    plans = plan(rows, officer, tree.md)
    assert (plans[2].outcome, plans[2].reason) == (Outcome.SKIPPED, "Trùng dòng 7.")
    assert commit(rows, officer, tree.md)["created"] == 2


def test_shares_split_evenly_when_not_written(tree, officer):
    rows = [row(3, title="Giải pháp A", year=2024, authors="Nguyễn Văn An; Trần Thị Hoa\nĐặng Đức Thắng")]
    commit(rows, officer, tree.md)
    shares = list(Initiative.objects.get().authors.values_list("share_percent", flat=True))
    assert shares == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]


def test_shares_that_do_not_add_up(tree, officer):
    rows = [
        row(3, title="Giải pháp A", year=2024, authors="Nguyễn Văn An (60%), Trần Thị Hoa (60%)"),
        row(4, title="Giải pháp B", year=2024, authors="Nguyễn Văn An (100%), Trần Thị Hoa"),
        row(5, title="Giải pháp C", year=2024, authors="Nguyễn Văn An, Nguyễn Văn An"),
    ]
    first, second, third = plan(rows, officer, tree.md)
    assert first.outcome == Outcome.ERROR
    assert messages(first) == "Tác giả: Tổng tỷ lệ đóng góp của các tác giả phải bằng 100% (hiện là 120%)."
    assert second.errors[0].column == "Tác giả" and "100%" in second.errors[0].message
    assert "hai lần" in messages(third)
    with pytest.raises(ImportInvalid):
        commit(rows, officer, tree.md)
    assert not Initiative.objects.exists()


def test_unknown_level_lists_the_accepted_words_and_levels_above_the_deciding_unit(tree, officer):
    rows = [
        row(3, title="Giải pháp A", year=2024, level="Loại A", authors="Nguyễn Văn An"),
        row(
            4,
            title="Giải pháp B",
            year=2024,
            level="Cấp tỉnh",
            decision_unit="LĐLĐ huyện Mỹ Đức",
            authors="Trần Thị Hoa",
        ),
        row(
            5,
            title="Giải pháp C",
            year=2024,
            decision_unit="Liên đoàn Lao động thành phố Hà Nội",
            authors="Trần Thị Hoa",
        ),
        row(6, title="Giải pháp D", year=2024, benefit="nhiều", authors="Trần Thị Hoa"),
    ]
    a, b, c, d = plan(rows, officer, tree.md)
    assert a.outcome == Outcome.ERROR and a.errors[0].column == "Cấp công nhận"
    for word in ("Cấp cơ sở", "Cấp tỉnh", "Toàn quốc"):
        assert word in a.errors[0].message
    assert b.outcome == Outcome.ERROR and "Liên đoàn Lao động huyện Mỹ Đức" in messages(b)
    assert c.outcome == Outcome.NEW  # no level written: the deciding unit's
    assert any("cấp tỉnh" in n for n in c.notices)
    assert d.errors[0].column == "Giá trị làm lợi (đồng)" and "1,25 tỷ" in d.errors[0].message
    commit(rows[2:3], officer, tree.md)
    assert Initiative.objects.get().decision_unit == tree.hn
    assert Initiative.objects.get().recognition_level == Level.TINH_BO


def test_deciding_body_outside_the_union_and_missing_dates(tree, officer):
    rows = [
        row(
            3,
            title="Giải pháp tiết kiệm điện",
            year=2023,
            field="Năng lượng",
            level="Cấp tỉnh",
            decision_unit="Sở Khoa học và Công nghệ Hà Nội",
            authors="Nguyễn Văn An",
        )
    ]
    (p,) = plan(rows, officer, tree.md)
    assert p.outcome == Outcome.NEW
    assert "Chưa ghi ngày công nhận: ghi tạm ngày 31/12/2023." in p.notices
    assert any("“Năng lượng”" in n and "Khác" in n for n in p.notices)
    commit(rows, officer, tree.md)
    initiative = Initiative.objects.get()
    assert (initiative.recognized_on, initiative.decision_unit, initiative.field) == (
        dt.date(2023, 12, 31),
        None,
        "KHAC",
    )
    assert initiative.decision_note == "Đơn vị công nhận: Sở Khoa học và Công nghệ Hà Nội"
    # the year may come from the date alone; no year and no date is an error naming the column
    rows = [
        row(4, title="Giải pháp X", recognized_on=dt.date(2022, 6, 1), authors="Nguyễn Văn An"),
        row(5, title="Giải pháp Y", authors="Nguyễn Văn An"),
        row(6, title="", year=2022, authors="Nguyễn Văn An"),
    ]
    x, y, z = plan(rows, officer, tree.md)
    assert x.outcome == Outcome.NEW and x.target.endswith("(2022)")
    assert y.errors[0].column == "Năm"
    assert z.errors[0].column == "Tên sáng kiến"


def test_authors_outside_the_scope_are_never_matched(tree, officer, namesake):
    rows = [
        row(3, title="Giải pháp A", year=2024, authors="Nguyễn Văn An"),
        row(4, title="Giải pháp B", year=2024, authors="Phạm Văn Bình (50%), Nguyễn Văn An (50%)"),
    ]
    first, second = plan(rows, officer, tree.md)
    assert first.outcome == Outcome.NEW and first.target.endswith("Mỹ Đức (2024)")
    assert second.outcome == Outcome.ERROR and "Tác giả “Phạm Văn Bình”" in messages(second)
    assert "Yên Khánh" not in messages(second) and "Ninh Bình" not in messages(second)
    commit(rows[:1], officer, tree.md)
    assert list(Initiative.objects.get().authors.values_list("person", flat=True)) == [tree.an.pk]


def test_an_officer_of_the_other_branch_records_only_there(tree, make_user, namesake):
    nb_officer = make_user(Role.OFFICER, tree.nb)
    rows = [row(3, title="Giải pháp A", year=2024, authors="Nguyễn Văn An")]
    (p,) = plan(rows, nb_officer, tree.nb)
    assert p.outcome == Outcome.NEW and "Yên Khánh" in p.target
    commit(rows, nb_officer, tree.nb)
    initiative = Initiative.objects.get()
    assert initiative.unit == tree.yk_ubnd and initiative.authors.get().person == namesake
    # the same title in Mỹ Đức is another initiative, not a repeat of Ninh Bình's
    officer_md = make_user(Role.OFFICER, tree.md)
    assert plan(rows, officer_md, tree.md)[0].outcome == Outcome.NEW
    # and nobody of Mỹ Đức is found from Ninh Bình
    assert plan([row(4, title="B", year=2024, authors="Trần Thị Hoa")], nb_officer, tree.nb)[0].outcome == (
        Outcome.ERROR
    )


def test_a_member_without_the_right_imports_nothing(tree, make_user):
    member = make_user(Role.MEMBER, tree.ubnd)
    (p,) = plan(sheet()[1:], member, tree.ubnd)
    assert p.outcome == Outcome.ERROR
    with pytest.raises(ImportInvalid):
        commit(sheet()[1:], member, tree.ubnd)
    assert not Initiative.objects.exists()


def test_the_initiative_page_shows_the_source_file(tree, officer, officer_client):
    commit(sheet(), officer, tree.md)
    initiative = Initiative.objects.get(title__startswith="Ứng dụng")
    page = officer_client.get(reverse("initiatives:detail", args=[initiative.pk]))
    assert page.status_code == 200
    assert f"Nhập từ tệp {FILE}" in page.content.decode()
    assert "Nhập sáng kiến đã được công nhận" in page.content.decode()  # the timeline


@pytest.mark.django_db(transaction=True)  # real commits: the counters refresh after each one
def test_the_counters_of_recognised_initiatives_include_them(tree, officer):
    from reports.selectors import rollup
    from reports.services import counters_rebuild

    counters_rebuild(year=2024)
    before = rollup(unit=tree.md, year=2024).get("initiatives", 0)
    submitted = rollup(unit=tree.md, year=2024).get("initiatives_submitted", 0)
    with transaction.atomic():  # as the framework runs a commit
        commit(sheet(), officer, tree.md)
    # refreshed by themselves after the commit (bulk writes mark the counters), as a rebuild finds them
    assert rollup(unit=tree.md, year=2024)["initiatives"] == before + 2
    assert rollup(unit=tree.hn, year=2024)["initiatives"] == before + 2
    assert (
        rollup(unit=tree.md, year=2024)["initiatives_submitted"] == submitted + 2
    )  # "N sáng kiến … đăng ký"
    counters_rebuild(year=2024)
    assert rollup(unit=tree.md, year=2024)["initiatives"] == before + 2
    assert initiative_counts(units=[tree.md, tree.ubnd, tree.mk], year=2024) == {
        tree.md.pk: 2,
        tree.ubnd.pk: 2,
        tree.mk.pk: 0,
    }


def test_query_count_does_not_grow_with_the_rows(tree, officer):
    def rows(n, start):
        return [
            row(
                10 + i,
                title=f"Giải pháp số {start + i}",
                year=2024,
                authors="Nguyễn Văn An (50%), Trần Thị Hoa (50%)",
            )
            for i in range(n)
        ]

    plan(rows(1, 0), officer, tree.md)  # the officer's scopes, read once
    counts = []
    for n, start in ((3, 0), (30, 100)):
        with CaptureQueriesContext(connection) as ctx:
            plan(rows(n, start), officer, tree.md)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
