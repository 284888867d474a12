"""Import kind "Khen thưởng các năm trước": the award history an office keeps in its decision annex lists.

Each row — "Số quyết định, Ngày quyết định, Cấp khen, Danh hiệu / Hình thức, Họ và tên / Tên tập thể,
Năm sinh, Đơn vị công tác, Năm, Tóm tắt thành tích" — becomes one AwardRecord, so the engine counts it
(three CSTĐ cơ sở in a row make a member eligible for CSTĐ cấp bộ, ngành, tỉnh). The plan:
- the award type by what offices write (`award_names`, shared with the nomination lists: name, short name,
  code, the short forms "CSTĐCS", "LĐTT", "BK TLĐ", "GK", abbreviations, names cut short); an unknown word
  is an error that lists the accepted ones;
- the nominee: a person (`members.lookup.match_people`) or a collective (`match_units`) inside the target
  unit's subtree and the user's scope; "Loại" (Tập thể / Cá nhân) inferred from the award when missing;
- the issuer among the target's ancestors and its subtree (the city federation, the Tổng Liên đoàn…),
  with the authority the catalogue gives its type for the award on the decision date (R-ORG-02);
- an award already in the registry (same nominee, title and year, or same decision and nominee), or
  twice in the file, is skipped "đã có trong sổ khen thưởng".
The commit writes all the records at once (`services.award_records_import`), marked with their file.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils import timezone

from core.access import Action
from core.text import fold
from imports import columns
from imports.kinds import CellError, Column, ImportKind, Outcome, RowPlan, Source, SourceRow, register
from imports.planning import Labels, cell_text, count, match_message, refuse_errors, unit_list_link
from members.lookup import PersonKey, UnitIndex, match_people, match_unit_text, person_label, unit_index
from organizations.models import OrgUnit

from .award_names import AwardNames
from .choices import AwardKind, AwardSubject, RecordStatus
from .engine.vietnamese import fmt_date
from .models import AwardRecord, AwardType

ACTION = Action.AWARD_RECORD

COLUMNS = (
    columns.decision_number("decision_number", required=True),
    columns.decision_date("decision_date", required=True),
    Column(
        "issuer",
        "Đơn vị ban hành",
        (
            "don vi ban hanh",
            "cap khen",
            "cap khen thuong",
            "co quan ban hanh",
            "noi ban hanh",
            "cap quyet dinh",
            "don vi khen thuong",
            "cap ra quyet dinh",
        ),
        hint="VD: LĐLĐ huyện Mỹ Đức, Tổng Liên đoàn",
    ),
    columns.award(
        "award", "Danh hiệu, hình thức khen thưởng", hint="VD: CSTĐ cơ sở, LĐTT, Bằng khen TLĐ, Giấy khen"
    ),
    columns.nominee_kind("subject", extra=("doi tuong",)),
    columns.nominee_name("name"),
    columns.birth_date("birth_date"),
    columns.birth_year("birth_year"),
    columns.workplace("unit_text"),
    columns.year(hint="Để trống: lấy năm của ngày quyết định"),
    columns.achievements("summary"),
)
LABELS = Labels(COLUMNS)

# Issuers of the awards the State confers (Tổng Liên đoàn proposes): the record names the Tổng Liên đoàn.
_STATE_ISSUERS = ("thu tuong", "chinh phu", "chu tich nuoc", "nha nuoc")
DUPLICATE = "đã có trong sổ khen thưởng"


@lru_cache(maxsize=65536)
def decision_key(text: str | None) -> str:
    return re.sub(r"\s+", "", fold(text)).upper()


@dataclass
class Catalogue:
    names: AwardNames  # award names as written → award types
    authority: dict[int, set[int]]  # award type id → unit type ids that may confer it

    @classmethod
    def load(cls) -> Catalogue:
        types = list(
            AwardType.objects.filter(active=True)
            .order_by("position", "code")
            .prefetch_related("conferring_unit_types")
        )
        authority = {a.pk: {t.pk for t in a.conferring_unit_types.all()} for a in types}
        return cls(names=AwardNames(types), authority=authority)


@dataclass
class _Row:
    """One row as the plan understands it, before matching."""

    source: SourceRow
    errors: list[CellError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    award: AwardType | None = None
    subject: str = ""  # "person" / "collective" / "" (to be decided by what the name matches)
    year: int | None = None
    issuer: OrgUnit | None = None

    def value(self, key: str):
        return self.source.values.get(key)

    def text(self, key: str) -> str:
        return cell_text(self.value(key))

    def missing(self, key: str) -> bool:
        """Empty in the file (not a cell the framework could not read: that one has its own error)."""
        return (
            self.value(key) in (None, "")
            and not (self.source.raw.get(key) or "").strip()
            and not any(e.column == LABELS[key] for e in self.source.errors)
        )

    def error(self, key: str, message: str) -> None:
        self.errors.append(LABELS.error(key, message))


class IssuerIndex:
    """The units that may have issued a decision for the target: its ancestors (whatever the user's scope:
    the federation above is not the user's to manage, but its name is known) and its visible subtree."""

    def __init__(self, *, user, unit: OrgUnit):
        self.unit = unit
        self.ancestors = list(OrgUnit.objects.filter(path__in=unit.ancestor_paths()).order_by("depth"))
        self.subtree = unit_index(user=user, action=ACTION, unit=unit)
        self.index = UnitIndex([*self.ancestors, *self.subtree.units], origin=unit)

    def top(self) -> OrgUnit:
        return self.ancestors[0] if self.ancestors else self.unit

    def find(self, text: str, award: AwardType | None):
        if award is not None and award.conferred_by_state and any(w in fold(text) for w in _STATE_ISSUERS):
            return [self.top()]
        return self.index.find(text)

    def tried(self) -> str:
        names = [a.short_name or a.name for a in reversed(self.ancestors)]
        here = f"“{self.unit.name}” và các đơn vị trực thuộc"
        return f"các cấp trên ({', '.join(names)}), trong {here}" if names else here

    def by_authority(self, award: AwardType, authority: set[int]) -> OrgUnit | None:
        """The one unit of the target's line (itself and above) whose type may confer the award, if one."""
        line = [u for u in [*self.ancestors, self.unit] if u.unit_type_id in authority]
        return line[0] if len(line) == 1 else None


def _prepare(
    rows: list[SourceRow], *, catalogue: Catalogue, issuers: IssuerIndex, today: dt.date
) -> list[_Row]:
    prepared = []
    for source in rows:
        row = _Row(source=source, errors=list(source.errors))
        if row.missing("decision_number"):
            row.error("decision_number", "Thiếu số quyết định.")
        decided = row.value("decision_date")
        if row.missing("decision_date"):
            row.error("decision_date", "Thiếu ngày quyết định (ghi dd/mm/yyyy).")
        elif isinstance(decided, dt.date) and decided > today:
            row.error("decision_date", f"Ngày quyết định {fmt_date(decided)} ở tương lai.")
        award_text = row.text("award")
        if award_text:
            found = catalogue.names.match(award_text)
            row.award = found.award
            if found.award is None:
                row.error("award", found.error)
        elif row.missing("award"):
            row.error("award", "Thiếu danh hiệu, hình thức khen thưởng.")
        row.year = row.value("year")
        if row.year is None and isinstance(decided, dt.date):
            row.year = decided.year
            row.notices.append(f"Năm xét lấy theo ngày quyết định: {decided.year}.")
        if row.year is not None and isinstance(decided, dt.date) and decided.year < row.year:
            row.error(
                "year",
                f"Quyết định ngày {fmt_date(decided)} không thể khen thưởng cho năm {row.year} (sau ngày quyết định).",
            )
        subject_text = row.text("subject")
        if subject_text:
            subject = columns.kind_of(subject_text)
            if subject is None:
                row.error("subject", f"Loại “{subject_text}” không rõ: ghi “Cá nhân” hoặc “Tập thể”.")
            else:
                row.subject = subject
        if row.award is not None:
            allowed = {
                AwardSubject.INDIVIDUAL: "person",
                AwardSubject.COLLECTIVE: "collective",
            }.get(row.award.subject)
            if row.subject and allowed and row.subject != allowed:
                only = "cá nhân" if allowed == "person" else "tập thể"
                row.error(
                    "subject", f"{row.award.name} chỉ tặng cho {only}, không tặng cho {subject_text.lower()}."
                )
            elif not row.subject and allowed:
                row.subject = allowed
        if not row.subject and (row.value("birth_date") or row.value("birth_year")):
            row.subject = "person"
        named = row.text("name") or (row.subject == "collective" and row.text("unit_text"))
        if not named and row.missing("name"):
            row.error("name", "Thiếu họ và tên (hoặc tên tập thể).")
        _issuer(row, issuers=issuers, catalogue=catalogue)
        prepared.append(row)
    return prepared


def _issuer(row: _Row, *, issuers: IssuerIndex, catalogue: Catalogue) -> None:
    text = row.text("issuer")
    decided = row.value("decision_date")
    if not text:
        if row.award is not None:
            row.issuer = issuers.by_authority(row.award, catalogue.authority.get(row.award.pk, set()))
            if row.issuer is not None:
                row.notices.append(
                    f"Đơn vị ban hành: {row.issuer.name} (cấp có thẩm quyền tặng {row.award.name})."
                )
                return
        row.error("issuer", "Thiếu đơn vị ban hành (cấp khen).")
        return
    found = issuers.find(text, row.award)
    if not found:
        row.error("issuer", f"Không tìm thấy đơn vị ban hành “{text}”: đã tìm trong {issuers.tried()}.")
        return
    if len(found) > 1:
        names = ", ".join(f"{u.name} ({u.code})" for u in found)
        row.error("issuer", f"“{text}” có thể là nhiều đơn vị: {names}. Hãy ghi mã đơn vị.")
        return
    issuer = row.issuer = found[0]
    if isinstance(decided, dt.date) and not issuer.is_active_on(decided):
        row.error("issuer", f"“{issuer.name}” không còn hoạt động vào ngày quyết định {fmt_date(decided)}.")
    elif row.award is not None and issuer.unit_type_id not in catalogue.authority.get(row.award.pk, set()):
        what = "đề nghị Nhà nước tặng" if row.award.conferred_by_state else "tặng"
        row.error("issuer", f"“{issuer.name}” không có thẩm quyền {what} {row.award.name}.")


def _person_key(row: _Row) -> PersonKey:
    birth = row.value("birth_date")
    year = row.value("birth_year")
    return PersonKey(
        full_name=row.text("name"),
        birth_date=birth if isinstance(birth, dt.date) else None,
        birth_year=year if isinstance(year, int) else (birth.year if isinstance(birth, dt.date) else None),
        unit_text=row.text("unit_text"),
    )


def _existing(person_ids: set[int], unit_ids: set[int]) -> tuple[set, set]:
    """(nominee, award type, year) of the valid titles, and (nominee, decision) of every record — in chunks."""
    titles: set[tuple] = set()
    decisions: set[tuple] = set()
    for field_name, ids in (("person_id", sorted(person_ids)), ("unit_id", sorted(unit_ids))):
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            rows = AwardRecord.objects.filter(**{f"{field_name}__in": part}).values_list(
                field_name, "award_type_id", "award_type__kind", "year", "decision_number", "status"
            )
            for owner, award_id, kind, year, number, status in rows:
                nominee = (field_name, owner)
                decisions.add((nominee, decision_key(number)))
                if status == RecordStatus.VALID and kind == AwardKind.TITLE:
                    titles.add((nominee, award_id, year))
    return titles, decisions


@dataclass
class _Planned:
    plans: list[RowPlan]
    records: list[AwardRecord]


def _plan(rows: list[SourceRow], *, unit: OrgUnit, user) -> _Planned:
    catalogue = Catalogue.load()
    issuers = IssuerIndex(user=user, unit=unit)
    prepared = _prepare(rows, catalogue=catalogue, issuers=issuers, today=timezone.localdate())

    # people: every row that is (or may be) about a person, in one batch
    want_person = [r for r in prepared if r.subject in ("person", "") and r.text("name")]
    matches = match_people([_person_key(r) for r in want_person], user=user, action=ACTION, unit=unit)
    person_match = {id(r): m for r, m in zip(want_person, matches, strict=True)}
    units = issuers.subtree  # visible units of the target's subtree
    nominees: dict[int, tuple] = {}
    for row in prepared:
        pm = person_match.get(id(row))
        if row.subject == "person" or (row.subject == "" and pm is not None and pm.person is not None):
            if pm is None:
                continue  # no name: already an error
            if pm.person is None:
                row.error("name", match_message(pm))
                continue
            row.subject = "person"
            nominees[id(row)] = ("person", pm.person, pm.membership.unit, person_label(pm.membership))
            continue
        text = row.text("name") or row.text("unit_text")
        um = match_unit_text(text, units, within=unit)
        if um.unit is None:
            if row.subject == "":
                what = pm.error if pm is not None and pm.candidates else ""
                row.error(
                    "name",
                    what
                    or f"Không tìm thấy đoàn viên hay tập thể “{text}” trong “{unit.name}”: "
                    "hãy kiểm tra tên, ghi thêm năm sinh hoặc cột “Loại”.",
                )
            else:
                row.error("name", match_message(um))
            continue
        row.subject = "collective"
        nominees[id(row)] = ("collective", um.unit, um.unit, um.unit.name)

    for row in prepared:
        if row.award is not None and id(row) in nominees:
            kind = nominees[id(row)][0]
            if kind == "person" and not row.award.for_individuals:
                row.error("award", f"{row.award.name} chỉ tặng cho tập thể.")
            elif kind == "collective" and not row.award.for_collectives:
                row.error("award", f"{row.award.name} chỉ tặng cho cá nhân.")

    person_ids = {n[1].pk for n in nominees.values() if n[0] == "person"}
    unit_ids = {n[1].pk for n in nominees.values() if n[0] == "collective"}
    titles, decisions = _existing(person_ids, unit_ids)

    plans: list[RowPlan] = []
    records: list[AwardRecord] = []
    in_file: dict[tuple, int] = {}
    for row in prepared:
        number = row.source.number
        target = ""
        if id(row) in nominees:
            kind, subject, scope_unit, label = nominees[id(row)]
            award_label = row.award.label if row.award else ""
            target = f"{label}: {award_label} {row.year or ''}".strip()
        if row.errors:
            plans.append(
                RowPlan(
                    number,
                    Outcome.ERROR,
                    target=target,
                    errors=row.errors,
                    values=row.source.values,
                    notices=row.notices,
                )
            )
            continue
        nominee = ("person_id", subject.pk) if kind == "person" else ("unit_id", subject.pk)
        award = row.award
        decision = decision_key(row.text("decision_number"))
        is_title = award.kind == AwardKind.TITLE
        reason = ""
        if is_title and (nominee, award.pk, row.year) in titles:
            reason = f"{award.name} năm {row.year} {DUPLICATE}."
        elif (nominee, decision) in decisions:
            reason = f"Quyết định {row.text('decision_number')} cho đối tượng này {DUPLICATE}."
        else:
            keys = [(nominee, "decision", decision)]
            if is_title:
                keys.append((nominee, award.pk, row.year))
            earlier = next((in_file[k] for k in keys if k in in_file), None)
            if earlier is not None:
                reason = f"Trùng với dòng {earlier} của tệp."
            for k in keys:
                in_file.setdefault(k, number)
        if reason:
            plans.append(
                RowPlan(
                    number,
                    Outcome.SKIPPED,
                    target=target,
                    reason=reason,
                    values=row.source.values,
                    notices=row.notices,
                )
            )
            continue
        plans.append(
            RowPlan(number, Outcome.NEW, target=target, values=row.source.values, notices=row.notices)
        )
        records.append(
            AwardRecord(
                person=subject if kind == "person" else None,
                unit=subject if kind == "collective" else None,
                scope_unit=scope_unit,
                award_type=award,
                year=row.year,
                decision_number=row.text("decision_number")[:60],
                decision_date=row.value("decision_date"),
                issuing_unit=row.issuer,
                achievement_summary=row.text("summary"),
                entered_by=user if getattr(user, "is_authenticated", False) else None,
            )
        )
    return _Planned(plans=plans, records=records)


def plan(rows: list[SourceRow], *, unit: OrgUnit, user, options: dict | None = None) -> list[RowPlan]:
    return _plan(rows, unit=unit, user=user).plans


def commit(
    rows: list[SourceRow], *, unit: OrgUnit, user, options: dict | None = None, source: Source
) -> dict:
    from .services import award_records_import

    planned = _plan(rows, unit=unit, user=user)
    refuse_errors(planned.plans)
    created = award_records_import(acting_user=user, unit=unit, records=planned.records, source=source)
    skipped = count(planned.plans, Outcome.SKIPPED)
    message = f"Đã ghi {created} khen thưởng vào sổ khen thưởng"
    message += f", bỏ qua {skipped} dòng đã có." if skipped else "."
    return {"created": created, "updated": 0, "skipped": skipped, "message": message}


KIND = register(
    ImportKind(
        key="khen-thuong",
        command="awards",
        title="Khen thưởng các năm trước",
        action=ACTION,
        columns=COLUMNS,
        plan=plan,
        commit=commit,
        result_link=unit_list_link("Xem sổ khen thưởng", "commendations:records"),
        description=(
            "Danh sách khen thưởng đã có quyết định (phụ lục quyết định, sổ theo dõi): mỗi dòng một cá nhân "
            "hoặc tập thể được khen, ghi vào sổ khen thưởng để xét các danh hiệu về sau."
        ),
    )
)
