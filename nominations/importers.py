"""Import kind "de-nghi": a nomination list (danh sách đề nghị khen thưởng) as offices write it, into a
dossier being prepared.

The list has one row per nominee — STT | Loại (Tập thể / Cá nhân) | Họ và tên / Tên tập thể | Chức vụ |
Đơn vị công tác | Danh hiệu thi đua / Hình thức khen thưởng | Phân loại đối tượng | Lĩnh vực, sometimes
with Ngày sinh / Năm sinh and Tóm tắt thành tích — often under section rows "I. TẬP THỂ" / "II. CÁ NHÂN"
(the framework hands their text as `SourceRow.section`). The option "dossier" names a DRAFT dossier the
user may edit; its proposing unit is where people and units are looked for (`members.lookup`, scoped to
`nomination.prepare`). Each row gets the engine's verdict exactly as `item_add` computes it
(`nominations.eligibility.compute_verdicts`); a nominee already in the dossier for the same award is
skipped ("đã có trong tờ trình"), so importing the same list again adds nothing. The commit writes every
row in one bulk service call (`items_add_bulk`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from commendations.award_names import AwardNames
from commendations.choices import AwardSubject, SubjectCategory
from commendations.models import AwardType
from core.access import Action, can
from core.exceptions import ServiceError
from core.ids import parse_id
from core.text import fold
from imports import columns
from imports.kinds import (
    CellError,
    Column,
    ImportInvalid,
    ImportKind,
    Outcome,
    RowPlan,
    Source,
    SourceRow,
    register,
)
from imports.planning import Labels, cell_text, match_message
from members.lookup import PersonKey, match_people, match_unit_text, person_label, unit_index

from .choices import DossierState
from .eligibility import compute_verdicts
from .models import Dossier, NominationItem

KEY = "de-nghi"
ACTION = Action.NOMINATION_PREPARE

COLUMNS = (
    columns.row_number("stt"),
    columns.nominee_kind("loai"),
    columns.nominee_name("ten"),
    Column(
        "chuc_vu", "Chức vụ", aliases=("chuc vu", "chuc danh", "chuc vu chuc danh", "chuc vu nghe nghiep")
    ),
    columns.workplace("don_vi"),
    columns.award("danh_hieu", "Danh hiệu thi đua / Hình thức khen thưởng"),
    Column(
        "phan_loai",
        "Phân loại đối tượng",
        aliases=("phan loai doi tuong", "phan loai", "doi tuong"),
        hint="Lãnh đạo, quản lý / Công nhân, người lao động trực tiếp / …",
    ),
    Column("linh_vuc", "Lĩnh vực", aliases=("linh vuc", "linh vuc thanh tich", "linh vuc cong tac")),
    columns.birth_date("ngay_sinh"),
    columns.birth_year("nam_sinh"),
    columns.achievements("tom_tat"),
    columns.citizen_id("cccd"),
    columns.card_number("so_the"),
)
LABEL = Labels(COLUMNS)
IN_DOSSIER = "đã có trong tờ trình"
PERSON, COLLECTIVE = columns.PERSON, columns.COLLECTIVE  # what "Loại" says (columns.kind_of)

_PUNCT = re.compile(r"[,;:()/\\\-–—.\"“”'‘’+&]+")


def _words(text: Any) -> str:
    """Folded, punctuation as spaces, spaces collapsed: "CB, CC, VC" → "cb cc vc"."""
    return " ".join(_PUNCT.sub(" ", fold(str(text or ""))).split())


# --- Phân loại đối tượng -------------------------------------------------------------------------------

_CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    SubjectCategory.LEADER: (
        "lanh dao",
        "quan ly",
        "ldql",
        "lanh dao quan ly",
        "can bo lanh dao",
        "can bo quan ly",
    ),
    SubjectCategory.DIRECT_WORKER: (
        "cong nhan",
        "nguoi lao dong",
        "nguoi lao dong truc tiep",
        "lao dong truc tiep",
        "cong nhan lao dong",
        "cong nhan lao dong truc tiep",
        "truc tiep",
        "cn",
        "nld",
        "cnld",
        "cn nld",
        "cn nld truc tiep",
    ),
    SubjectCategory.OFFICIAL: (
        "can bo cong chuc vien chuc",
        "cb cc vc",
        "cbccvc",
        "cong chuc vien chuc",
        "cong chuc",
        "vien chuc",
        "ccvc",
    ),
    SubjectCategory.UNION_STAFF: (
        "chuyen trach",
        "cong doan chuyen trach",
        "can bo cong doan",
        "can bo cong doan chuyen trach",
        "cb cd chuyen trach",
        "cbcd chuyen trach",
        "can bo cd chuyen trach",
        "cbcdct",
    ),
    SubjectCategory.OTHER: ("khac", "doi tuong khac"),
}
_CATEGORY_INDEX: dict[str, str] = {}
for _code, _label in SubjectCategory.choices:
    for _text in (_label, *_CATEGORY_WORDS.get(_code, ())):
        _CATEGORY_INDEX[_words(_text)] = _code
        _CATEGORY_INDEX[_words(_text).replace(" ", "")] = _code
CATEGORY_ACCEPTED = ", ".join(f"“{label}”" for label in SubjectCategory.labels)


def category_of(text: str) -> str | None:
    """The `SubjectCategory` code a cell names ("CN, NLĐ trực tiếp", "Cán bộ, công chức, viên chức", "Lãnh
    đạo"), None when not recognised."""
    words = _words(text)
    return _CATEGORY_INDEX.get(words) or _CATEGORY_INDEX.get(words.replace(" ", ""))


# --- the dossier ---------------------------------------------------------------------------------------


def import_dossier(*, user, unit=None, options: dict | None) -> Dossier:
    """The dossier named by the option "dossier": seen by the user, DRAFT, and one they may prepare
    (`nomination.prepare` on its proposing unit); with `unit`, that unit must be the proposing unit.
    Anything else is refused with a `ServiceError` that names no dossier the user cannot see."""
    pk = parse_id((options or {}).get("dossier"))
    if pk is None:
        raise ServiceError("Chọn hồ sơ đề nghị khen thưởng để nhập danh sách vào.")
    dossier = Dossier.objects.restrict(user, ACTION).select_related("proposing_unit").filter(pk=pk).first()
    if dossier is None or not can(user, ACTION, dossier.proposing_unit.path):
        raise ServiceError("Không tìm thấy hồ sơ này trong phạm vi bạn được lập hồ sơ đề nghị.")
    if dossier.state != DossierState.DRAFT:
        raise ServiceError(
            f"Hồ sơ “{dossier.title}” đang ở trạng thái “{dossier.get_state_display()}”: "
            "chỉ nhập danh sách vào hồ sơ đang soạn."
        )
    if unit is not None and unit.pk != dossier.proposing_unit_id:
        raise ServiceError(
            f"Hồ sơ “{dossier.title}” là của “{dossier.proposing_unit.name}”: hãy nhập danh sách tại đơn vị đó."
        )
    return dossier


# --- plan ----------------------------------------------------------------------------------------------


@dataclass
class _Row:
    source: SourceRow
    errors: list[CellError] = field(default_factory=list)
    kind: str | None = None
    award: AwardType | None = None
    category: str = ""
    person: Any = None
    membership: Any = None
    unit: Any = None
    target: str = ""
    skipped: str = ""
    notices: list[str] = field(default_factory=list)
    item: NominationItem | None = None

    def error(self, key: str, message: str) -> None:
        self.errors.append(LABEL.error(key, message))


def _text(row: SourceRow, key: str) -> str:
    return cell_text(row.values.get(key))


def _classify(row: _Row, awards: AwardNames) -> None:
    """Loại, award and subject category of one row (no query)."""
    source = row.source
    if not _text(source, "ten") and not (_text(source, "cccd") or _text(source, "so_the")):
        row.error("ten", "Thiếu họ và tên hoặc tên tập thể.")
    written_kind = _text(source, "loai")
    if written_kind:
        row.kind = columns.kind_of(written_kind)
        if row.kind is None:
            row.error("loai", f"Không nhận ra loại “{written_kind}”: ghi “Tập thể” hoặc “Cá nhân”.")
    elif source.section:
        row.kind = columns.kind_of_section(source.section)
    award_text = _text(source, "danh_hieu")
    if not award_text:
        row.error("danh_hieu", "Thiếu danh hiệu thi đua hoặc hình thức khen thưởng.")
    else:
        found = awards.match(award_text)
        row.award = found.award
        if found.award is None:
            row.error("danh_hieu", found.error)
    if row.award is not None and row.kind is None and not written_kind:
        if row.award.subject == AwardSubject.INDIVIDUAL:
            row.kind = PERSON
        elif row.award.subject == AwardSubject.COLLECTIVE:
            row.kind = COLLECTIVE
        elif source.values.get("ngay_sinh") or source.values.get("nam_sinh") or _text(source, "cccd"):
            row.kind = PERSON
        else:
            row.error("loai", f"“{row.award.name}” tặng cả cá nhân và tập thể: ghi “Tập thể” hoặc “Cá nhân”.")
    if row.award is not None and row.kind == PERSON and not row.award.for_individuals:
        row.error("danh_hieu", f"“{row.award.name}” chỉ tặng tập thể, dòng này đề nghị một cá nhân.")
    if row.award is not None and row.kind == COLLECTIVE and not row.award.for_collectives:
        row.error("danh_hieu", f"“{row.award.name}” chỉ tặng cá nhân, dòng này đề nghị một tập thể.")
    category_text = _text(source, "phan_loai")
    if category_text:
        code = category_of(category_text)
        if code is None:
            row.error(
                "phan_loai",
                f"Không nhận ra phân loại đối tượng “{category_text}”: ghi một trong {CATEGORY_ACCEPTED}.",
            )
        elif row.kind == COLLECTIVE:
            row.error("phan_loai", "Phân loại đối tượng chỉ ghi cho cá nhân: để trống ở dòng tập thể.")
        else:
            row.category = code


def _match(rows: list[_Row], *, user, unit) -> None:
    """People (citizen ID, card number, name with birth date or year and the "Đơn vị công tác" cell) and
    collectives (name, narrowed by the "Đơn vị công tác" cell), in the dossier unit's subtree only."""
    people = [r for r in rows if r.kind == PERSON and not r.errors]
    keys = [
        PersonKey(
            full_name=_text(r.source, "ten"),
            birth_date=r.source.values.get("ngay_sinh"),
            birth_year=r.source.values.get("nam_sinh"),
            card_number=_text(r.source, "so_the"),
            citizen_id=_text(r.source, "cccd"),
            unit_text=_text(r.source, "don_vi"),
        )
        for r in people
    ]
    for row, found in zip(people, match_people(keys, user=user, action=ACTION, unit=unit), strict=True):
        if found.person is None:
            row.error("ten", match_message(found))
        else:
            row.person, row.membership = found.person, found.membership
            row.target = person_label(found.membership)
    collectives = [r for r in rows if r.kind == COLLECTIVE and not r.errors]
    if not collectives:
        return
    index = unit_index(user=user, action=ACTION, unit=unit)
    for row in collectives:
        name = _text(row.source, "ten")
        candidates = index.find(name)
        within = _text(row.source, "don_vi")
        if len(candidates) > 1 and within:
            parents = index.find(within)
            narrowed = [
                u for u in candidates if any(u.path.startswith(p.path) and u.pk != p.pk for p in parents)
            ]
            candidates = narrowed or candidates
        if len(candidates) == 1:
            row.unit = candidates[0]
            row.target = row.unit.name
        else:
            row.error("ten", match_unit_text(name, index, within=unit).error)


def _summary(row: _Row, dossier: Dossier) -> str:
    summary = _text(row.source, "tom_tat")
    if summary:
        return summary
    field_text = _text(row.source, "linh_vuc")
    return f"Theo danh sách đề nghị năm {dossier.year}" + (f"; lĩnh vực: {field_text}" if field_text else "")


def _verdict_label(item: NominationItem) -> str:
    if not item.eligible:
        return "Chưa đủ điều kiện"
    if not item.has_automatic_criteria:
        return "Chưa có tiêu chí tự động — cán bộ kiểm tra hồ sơ"
    return "Đủ điều kiện"


def _plan_rows(
    rows: list[SourceRow], *, user, unit, options, verdicts: bool = True, lock: bool = False
) -> tuple[Dossier, list[_Row]]:
    dossier = import_dossier(user=user, unit=unit, options=options)
    if (
        lock
    ):  # the commit: nobody adds to the dossier between the check for nominees already in it and the write
        list(Dossier.objects.select_for_update().filter(pk=dossier.pk).values_list("pk", flat=True))
    awards = AwardNames.load()
    planned = [_Row(source=r, errors=list(r.errors)) for r in rows]
    for row in planned:
        _classify(row, awards)
    _match(planned, user=user, unit=dossier.proposing_unit)

    in_dossier = set(dossier.items.values_list("person_id", "unit_id", "award_type_id"))
    seen: dict[tuple, int] = {}
    for row in planned:
        if row.errors:
            continue
        key = (row.person.pk if row.person else None, row.unit.pk if row.unit else None, row.award.pk)
        if key in in_dossier:
            row.skipped = f"{row.target}: {row.award.name} {IN_DOSSIER}"
        elif key in seen:
            row.skipped = f"Trùng với dòng {seen[key]}: {row.target} — {row.award.name}"
        else:
            seen[key] = row.source.number
            row.item = NominationItem(
                dossier=dossier,
                person=row.person,
                unit=row.unit,
                award_type=row.award,
                achievement_summary=_summary(row, dossier),
                subject_category=row.category if row.person else "",
            )
    items = [r.item for r in planned if r.item is not None]
    if verdicts and items:
        compute_verdicts(
            items=items, received_on=dossier.received_on or timezone.localdate(), year=dossier.year
        )
        _elsewhere(items, planned, user=user, dossier=dossier)
        for row in planned:
            if row.item is not None and not row.item.eligible:
                row.notices.append(
                    f"Chưa đủ điều kiện: {row.item.verdict.get('explanation', '')} — nhập lý do đề nghị "
                    "trên trang hồ sơ trước khi gửi."
                )
    return dossier, planned


def _elsewhere(items, planned: list[_Row], *, user, dossier: Dossier) -> None:
    """The same nominee and award proposed in another dossier of the year: a notice, as `item_add` warns
    (the other dossier named only when the user may see it)."""
    from .selectors import duplicate_nominations

    nominees = [(i.person_id, None if i.person_id else i.unit_id, i.award_type_id) for i in items]
    found: dict[tuple, list] = {}
    for start in range(0, len(nominees), 300):  # one OR term per nominee: SQLite's expression depth
        found.update(
            duplicate_nominations(
                user=user,
                year=dossier.year,
                nominees=nominees[start : start + 300],
                exclude_dossier_id=dossier.pk,
            )
        )
    for row in planned:
        item = row.item
        if item is None:
            continue
        key = (
            (item.person_id, None, item.award_type_id)
            if item.person_id
            else (None, item.unit_id, item.award_type_id)
        )
        for other in found.get(key, []):
            where = (
                f"hồ sơ “{other.title}” ({other.proposing_unit.name})"
                if other is not None
                else "một hồ sơ khác"
            )
            row.notices.append(f"Đã được đề nghị cùng hình thức năm {dossier.year} trong {where}.")


def _row_plan(row: _Row) -> RowPlan:
    values = dict(row.source.values)
    if row.award is not None:
        values["danh_hieu"] = row.award.name
    if row.category:
        values["phan_loai"] = SubjectCategory(row.category).label
    if row.errors:
        return RowPlan(row.source.number, Outcome.ERROR, errors=row.errors, values=values)
    if row.skipped:
        return RowPlan(
            row.source.number, Outcome.SKIPPED, target=row.target, reason=row.skipped, values=values
        )
    if row.item is not None and row.item.verdict:
        values["ket_qua"] = _verdict_label(row.item)
    return RowPlan(
        row.source.number,
        Outcome.NEW,
        target=f"{row.target} — {row.award.name}",
        values=values,
        notices=row.notices,
    )


def plan(rows: list[SourceRow], *, unit, user, options) -> list[RowPlan]:
    _dossier, planned = _plan_rows(rows, user=user, unit=unit, options=options)
    return [_row_plan(r) for r in planned]


def commit(rows: list[SourceRow], *, unit, user, options, source: Source) -> dict:
    from .services import NewItem, items_add_bulk

    dossier, planned = _plan_rows(rows, user=user, unit=unit, options=options, verdicts=False, lock=True)
    if any(r.errors for r in planned):
        raise ImportInvalid([_row_plan(r) for r in planned])
    entries = [
        NewItem(
            award_type=r.item.award_type,
            person=r.item.person,
            unit=r.item.unit,
            achievement_summary=r.item.achievement_summary,
            subject_category=r.item.subject_category,
        )
        for r in planned
        if r.item is not None
    ]
    items = items_add_bulk(acting_user=user, dossier=dossier, entries=entries, source_file=source.filename)
    skipped = sum(1 for r in planned if r.skipped)
    not_eligible = sum(1 for i in items if not i.eligible)
    message = f"Đã thêm {len(items)} đề nghị vào hồ sơ “{dossier.title}”"
    if not_eligible:
        message += f" ({not_eligible} chưa đủ điều kiện: nhập lý do đề nghị trước khi gửi)"
    if skipped:
        message += f"; bỏ qua {skipped} dòng đã có trong hồ sơ hoặc trùng trong tệp"
    return {
        "created": len(items),
        "updated": 0,
        "skipped": skipped,
        "not_eligible": not_eligible,
        "dossier": dossier.pk,
        "message": message + ".",
    }


def _result_link(batch):
    from django.urls import reverse

    from core.ids import parse_id

    dossier = parse_id(batch.options.get("dossier"))
    return ("Về hồ sơ đề nghị", reverse("nominations:detail", args=[dossier])) if dossier else None


KIND = register(
    ImportKind(
        key=KEY,
        command="nominations",
        title="Danh sách đề nghị khen thưởng",
        action=ACTION,
        columns=COLUMNS,
        plan=plan,
        commit=commit,
        description="Danh sách cá nhân, tập thể đề nghị khen thưởng, nhập vào một hồ sơ đang soạn.",
        options=("dossier",),
        started_from="Mở hồ sơ đề nghị khen thưởng đang soạn rồi bấm “Nhập danh sách từ Excel”.",
        result_link=_result_link,
    )
)
