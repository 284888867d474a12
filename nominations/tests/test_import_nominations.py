"""Import kind "de-nghi": a nomination list as offices write it, into a dossier being prepared — matched in
the dossier unit's subtree only, the engine's verdict per row, nominees already in the dossier skipped,
written in one bulk call."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from commendations.models import AwardType
from conftest import add_person
from core.exceptions import ServiceError
from core.models import AuditEvent
from core.text import fold
from imports import kinds
from imports.kinds import ImportInvalid, Outcome, Source, SourceRow
from members.models import Membership, Person
from nominations import services
from nominations.importers import COLUMNS, KIND, category_of
from nominations.models import Dossier, NominationItem
from organizations.models import OrgUnit, OrgUnitType

pytestmark = pytest.mark.django_db

KEYS = [c.key for c in COLUMNS]
SOURCE = Source(filename="danh-sach-de-nghi-2025.xlsx", import_id=7)


def row(number: int, section: str = "", **values) -> SourceRow:
    return SourceRow(
        number=number,
        values={k: values.get(k) for k in KEYS},
        raw={k: str(v) for k, v in values.items()},
        section=section,
    )


@pytest.fixture
def district(make_user, tree):
    return make_user(Role.OFFICER, tree.md)


@pytest.fixture
def dossier(district, tree):
    return services.dossier_create(
        acting_user=district,
        proposing_unit=tree.md,
        kind="YEARLY",
        year=2025,
        title="Đề nghị khen thưởng năm 2025",
    )


def plan(rows, user, dossier, unit=None):
    return KIND.plan(rows, unit=unit or dossier.proposing_unit, user=user, options={"dossier": dossier.pk})


def commit(rows, user, dossier):
    with transaction.atomic():  # the framework's transaction
        return KIND.commit(
            rows, unit=dossier.proposing_unit, user=user, options={"dossier": str(dossier.pk)}, source=SOURCE
        )


def test_the_kind_is_registered():
    kind = kinds.get("de-nghi")
    assert kind is KIND
    assert (kind.command, kind.title, kind.action, kind.options) == (
        "nominations",
        "Danh sách đề nghị khen thưởng",
        "nomination.prepare",
        ("dossier",),
    )


# --- 386 collectives ------------------------------------------------------------------------------------


@pytest.fixture
def schools(tree):
    """386 grassroots unions under the district, inserted in one statement (paths computed as treebeard
    does)."""
    md = OrgUnit.objects.get(pk=tree.md.pk)
    cdcs = OrgUnitType.objects.get(code="CDCS")
    units = []
    for i in range(386):
        name, code = f"Công đoàn Trường Tiểu học số {i + 1}", f"HN-MD-TH{i + 1:03d}"
        units.append(
            OrgUnit(
                path=OrgUnit._get_path(md.path, md.depth + 1, md.numchild + 1 + i),
                depth=md.depth + 1,
                numchild=0,
                name=name,
                code=code,
                unit_type=cdcs,
                search_text=fold(f"{name}  {code}"),
            )
        )
    OrgUnit.objects.bulk_create(units)
    OrgUnit.objects.filter(pk=md.pk).update(numchild=md.numchild + 386)
    return units


def test_a_list_of_386_collectives_lands_in_the_dossier_with_verdicts(district, dossier, schools):
    words = ["Tập thể lao động tiên tiến", "Tập thể LĐTT", "TTLĐTT"]
    rows = [
        row(
            8 + i,
            section="I. TẬP THỂ",
            stt=i + 1,
            loai="Tập thể" if i % 2 else None,  # the section row says it for the others
            ten=f"Công đoàn Trường Tiểu học số {i + 1}",
            don_vi="LĐLĐ huyện Mỹ Đức",
            danh_hieu=words[i % 3],
            linh_vuc="Giáo dục",
        )
        for i in range(386)
    ]
    plans = plan(rows, district, dossier)
    assert [p.outcome for p in plans] == [Outcome.NEW] * 386, [p.errors for p in plans if p.errors][:3]
    assert plans[0].target == "Công đoàn Trường Tiểu học số 1 — Tập thể lao động tiên tiến"
    assert all(p.values["ket_qua"] for p in plans)

    started = time.monotonic()
    with CaptureQueriesContext(connection) as queries:
        summary = commit(rows, district, dossier)
    elapsed = time.monotonic() - started
    print(f"\n386-row nomination list committed in {elapsed:.2f} s, {len(queries)} queries")
    assert elapsed < 20
    assert len(queries) < 80  # bulk: the number of queries does not follow the rows
    assert summary["created"] == 386 and summary["skipped"] == 0
    items = list(dossier.items.order_by("position"))
    assert len(items) == 386
    assert [i.position for i in items] == list(range(1, 387))
    assert {i.award_type.code for i in items} == {"TTLDTT"}
    assert all(i.verdict and "eligible" in i.verdict for i in items)
    assert all(i.source_file == SOURCE.filename for i in items)
    assert items[0].achievement_summary == "Theo danh sách đề nghị năm 2025; lĩnh vực: Giáo dục"
    assert AuditEvent.objects.filter(action="dossier.item_add", object_id=str(dossier.pk)).count() == 386


# --- people and collectives mixed --------------------------------------------------------------------------


def mixed_rows():
    return [
        row(
            5,
            loai="Cá nhân",
            ten="Nguyễn Văn An",
            chuc_vu="Chuyên viên",
            don_vi="Phòng Nội vụ",
            danh_hieu="Lao động tiên tiến",
            phan_loai="CN, NLĐ trực tiếp",
        ),
        row(
            6,
            section="II. CÁ NHÂN",
            ten="Trần Thị Hoa",
            nam_sinh=1985,
            danh_hieu="LĐTT",
            phan_loai="Cán bộ, công chức, viên chức",
            tom_tat="Hoàn thành xuất sắc nhiệm vụ được giao",
        ),
        row(
            7,
            loai="Cá nhân",
            ten="Đặng Đức Thắng",
            chuc_vu="Chủ tịch Công đoàn",
            danh_hieu="Giấy khen",
            phan_loai="Lãnh đạo, quản lý",
        ),
        row(
            8, loai="Tập thể", ten="Tổ CĐ Phòng Nội vụ", don_vi="Công đoàn UBND huyện", danh_hieu="Giấy khen"
        ),
    ]


def test_mixed_people_and_collectives(district, dossier, tree):
    plans = plan(mixed_rows(), district, dossier)
    assert [p.outcome for p in plans] == [Outcome.NEW] * 4, [p.errors for p in plans]
    assert plans[0].target.startswith("Nguyễn Văn An (1985) — Tổ công đoàn Phòng Nội vụ")
    assert plans[0].values["phan_loai"] == "Công nhân, người lao động trực tiếp"
    summary = commit(mixed_rows(), district, dossier)
    assert summary["created"] == 4
    items = {(i.person_id or i.unit_id): i for i in dossier.items.all()}
    assert items[tree.an.pk].subject_category == "DIRECT_WORKER"
    assert items[tree.an.pk].award_type.code == "LDTT"
    assert items[tree.hoa.pk].subject_category == "OFFICIAL"
    assert items[tree.hoa.pk].achievement_summary == "Hoàn thành xuất sắc nhiệm vụ được giao"
    assert items[tree.chu_tich.pk].subject_category == "LEADER"
    assert items[tree.t1.pk].unit_id == tree.t1.pk and items[tree.t1.pk].subject_category == ""
    assert all(i.verdict for i in items.values())


def test_wrong_words_are_errors_naming_row_column_and_the_accepted_words(district, dossier):
    rows = [
        row(5, loai="Cá nhân", ten="Nguyễn Văn An", danh_hieu="Huân chương Lao động hạng Ba"),
        row(6, loai="Cá nhân", ten="Trần Thị Hoa", danh_hieu="LĐTT", phan_loai="Nông dân"),
        row(7, loai="Tập thể", ten="Tổ công đoàn Phòng Nội vụ", danh_hieu="Lao động tiên tiến"),
        row(8, loai="Hộ gia đình", ten="Trần Thị Hoa", danh_hieu="Giấy khen"),
        row(9, ten="Đặng Đức Thắng", danh_hieu="Giấy khen"),  # for both: say which
    ]
    plans = plan(rows, district, dossier)
    assert [p.outcome for p in plans] == [Outcome.ERROR] * 5
    assert [p.number for p in plans] == [5, 6, 7, 8, 9]
    award_error = plans[0].errors[0]
    assert award_error.column == "Danh hiệu thi đua / Hình thức khen thưởng"
    assert "Huân chương Lao động hạng Ba" in award_error.message
    assert "“Lao động tiên tiến” (LĐTT)" in award_error.message and "“Giấy khen”" in award_error.message
    category_error = plans[1].errors[0]
    assert category_error.column == "Phân loại đối tượng"
    assert "“Nông dân”" in category_error.message
    assert "“Công nhân, người lao động trực tiếp”" in category_error.message
    assert "chỉ tặng cá nhân" in plans[2].errors[0].message
    assert plans[3].errors[0].column == "Loại" and "“Tập thể” hoặc “Cá nhân”" in plans[3].errors[0].message
    assert plans[4].errors[0].column == "Loại"
    with pytest.raises(ImportInvalid) as refused:
        commit(rows, district, dossier)
    assert len(refused.value.plans) == 5
    assert not dossier.items.exists()


def test_subject_category_words_as_offices_write_them():
    assert category_of("CN, NLĐ trực tiếp") == "DIRECT_WORKER"
    assert category_of("công nhân") == "DIRECT_WORKER"
    assert category_of("CB, CC, VC") == "OFFICIAL"
    assert category_of("Lãnh đạo") == "LEADER"
    assert category_of("Cán bộ CĐ chuyên trách") == "UNION_STAFF"
    assert category_of("Khác") == "OTHER"
    assert category_of("Nông dân") is None


def test_award_names_and_short_forms(district, dossier):
    names = {
        "Chiến sĩ thi đua cơ sở": "CSTDCS",
        "CSTĐCS": "CSTDCS",
        "CSTĐ cơ sở": "CSTDCS",
        "Danh hiệu Lao động tiên tiến": "LDTT",
        "Bằng khen của Tổng Liên đoàn Lao động Việt Nam": "BK_TLD",
        "Bằng khen Tổng LĐLĐVN": "BK_TLD",
        "Bằng khen TLĐ": "BK_TLD",
        "Giấy khen của Công đoàn cơ sở": "GK",
        "Bằng khen LĐLĐ tỉnh": "BK_LDLD",
        "Bằng khen của Liên đoàn Lao động thành phố": "BK_LDLD",
        "Bằng khen Thủ tướng Chính phủ": "BK_TTG",
        "Kỷ niệm chương": "KNC_CD",
    }
    rows = [
        row(5 + i, loai="Cá nhân", ten="Nguyễn Văn An", danh_hieu=text, phan_loai="Khác")
        for i, text in enumerate(names)
    ]
    plans = plan(rows, district, dossier)
    assert [p.values["danh_hieu"] for p in plans] == [
        AwardType.objects.get(code=c).name for c in names.values()
    ]


# --- duplicates and re-imports ------------------------------------------------------------------------------


def test_nominees_already_in_the_dossier_or_twice_in_the_file_are_skipped(district, dossier, tree):
    services.item_add(
        acting_user=district,
        dossier=dossier,
        award_type=AwardType.objects.get(code="LDTT"),
        person=tree.an,
        achievement_summary="Hoàn thành tốt nhiệm vụ",
    )
    rows = [
        row(5, loai="Cá nhân", ten="Nguyễn Văn An", danh_hieu="Lao động tiên tiến"),
        row(6, loai="Cá nhân", ten="Trần Thị Hoa", danh_hieu="Lao động tiên tiến"),
        row(7, loai="Cá nhân", ten="Trần Thị Hoa", danh_hieu="LĐTT"),
        row(8, loai="Cá nhân", ten="Nguyễn Văn An", danh_hieu="Giấy khen"),  # another award: added
    ]
    plans = plan(rows, district, dossier)
    assert [p.outcome for p in plans] == [Outcome.SKIPPED, Outcome.NEW, Outcome.SKIPPED, Outcome.NEW]
    assert "đã có trong tờ trình" in plans[0].reason
    assert plans[2].reason.startswith("Trùng với dòng 6")
    summary = commit(rows, district, dossier)
    assert (summary["created"], summary["skipped"]) == (2, 2)
    assert dossier.items.count() == 3


def test_importing_the_same_list_again_adds_nothing(district, dossier):
    first = commit(mixed_rows(), district, dossier)
    assert first["created"] == 4
    events = AuditEvent.objects.count()
    again = commit(mixed_rows(), district, dossier)
    assert (again["created"], again["skipped"]) == (0, 4)
    assert dossier.items.count() == 4
    assert AuditEvent.objects.count() == events
    assert all(p.outcome == Outcome.SKIPPED for p in plan(mixed_rows(), district, dossier))


# --- scope ------------------------------------------------------------------------------------------------


def test_another_branchs_people_and_units_are_errors_naming_no_one(district, dossier, tree):
    # a namesake of ours in Hai Bà Trưng is not even a candidate
    add_person(tree.mk, "Nguyễn Văn An", gender="M", citizen_id="001085099999", card="0100000099")
    rows = [
        row(5, loai="Cá nhân", ten="Nguyễn Văn An", danh_hieu="Lao động tiên tiến"),
        row(6, loai="Cá nhân", ten="Lê Thị Ánh", danh_hieu="Lao động tiên tiến"),
        row(7, loai="Cá nhân", ten="", cccd="001190000077", danh_hieu="Lao động tiên tiến"),
        row(8, loai="Tập thể", ten="Công đoàn phường Minh Khai", danh_hieu="Giấy khen"),
    ]
    plans = plan(rows, district, dossier)
    assert plans[0].outcome == Outcome.NEW and "Tổ công đoàn Phòng Nội vụ" in plans[0].target
    assert [p.outcome for p in plans[1:]] == [Outcome.ERROR] * 3
    for p in plans[1:]:
        message = " ".join(e.message for e in p.errors)
        assert "Liên đoàn Lao động huyện Mỹ Đức" in message
        assert "Minh Khai" not in message.replace("Công đoàn phường Minh Khai", "")  # only the row's own text
        assert "Hai Bà Trưng" not in message
    assert "Lê Thị Ánh" not in " ".join(
        e.message for e in plans[2].errors
    )  # found by CCCD elsewhere: unnamed
    assert "số CCCD" in plans[2].errors[0].message and "001190000077" not in plans[2].errors[0].message
    assert not Membership.objects.filter(person__full_name="Lê Thị Ánh", unit__path__startswith=tree.md.path)


# --- the dossier ------------------------------------------------------------------------------------------


def test_a_dossier_not_in_draft_is_refused(district, dossier):
    Dossier.objects.filter(pk=dossier.pk).update(state="IN_REVIEW")
    with pytest.raises(ServiceError, match="chỉ nhập danh sách vào hồ sơ đang soạn"):
        plan(mixed_rows(), district, dossier)
    with pytest.raises(ServiceError):
        commit(mixed_rows(), district, dossier)
    assert not NominationItem.objects.exists()


def test_another_users_dossier_is_refused_without_naming_it(make_user, dossier, tree):
    outsider = make_user(Role.OFFICER, tree.hbt)
    with pytest.raises(ServiceError) as refused:
        KIND.plan(mixed_rows(), unit=tree.hbt, user=outsider, options={"dossier": dossier.pk})
    assert dossier.title not in refused.value.message
    assert "Không tìm thấy hồ sơ" in refused.value.message
    # a member of the district may see the district's units but prepares nothing
    member = make_user(Role.MEMBER, tree.md)
    with pytest.raises(ServiceError):
        KIND.plan(mixed_rows(), unit=tree.md, user=member, options={"dossier": dossier.pk})
    with pytest.raises(ServiceError, match="Chọn hồ sơ"):
        KIND.plan(mixed_rows(), unit=tree.md, user=member, options={})
    assert not NominationItem.objects.exists()


def test_the_dossier_must_be_of_the_import_unit(district, dossier, tree):
    with pytest.raises(ServiceError, match="hãy nhập danh sách tại đơn vị đó"):
        plan(mixed_rows(), district, dossier, unit=tree.ubnd)


def _members(units, per_unit: int) -> None:
    """`per_unit` members in each unit, in two inserts."""
    people = []
    for u in range(len(units)):
        for n in range(per_unit):
            person = Person(family_name="Nguyễn", middle_name="Thị", given_name=f"Mai {u}-{n}", gender="F")
            person.refresh_derived()
            people.append(person)
    Person.objects.bulk_create(people)
    Membership.objects.bulk_create(
        Membership(person=p, unit=units[i // per_unit], started_on=dt.date(2020, 1, 1))
        for i, p in enumerate(people)
    )


def test_386_collectives_with_their_members_take_seconds_not_minutes(district, dossier, schools):
    """The engine judges each collective on its members (LĐTT share): 386 unions of 12 members each."""
    units = list(OrgUnit.objects.filter(code__startswith="HN-MD-TH").order_by("path"))
    _members(units, 12)
    rows = [
        row(8 + i, loai="Tập thể", ten=f"Công đoàn Trường Tiểu học số {i + 1}", danh_hieu="Tập thể LĐTT")
        for i in range(386)
    ]
    started = time.monotonic()
    plans = plan(rows, district, dossier)
    planned = time.monotonic() - started
    assert [p.outcome for p in plans] == [Outcome.NEW] * 386
    started = time.monotonic()
    with CaptureQueriesContext(connection) as queries:
        summary = commit(rows, district, dossier)
    committed = time.monotonic() - started
    print(
        f"\n386 collectives × 12 members: plan {planned:.2f} s, commit {committed:.2f} s, {len(queries)} queries"
    )
    assert summary["created"] == 386
    assert planned < 30 and committed < 30
    assert len(queries) < 80
    assert all("eligible" in i.verdict for i in dossier.items.all())
