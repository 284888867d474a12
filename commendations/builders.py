"""Background builder of the commendations app: "Đánh giá toàn đơn vị" (.xlsx) — every member of the unit's
subtree in the year with the engine's verdict for each individual award, the CSTĐCS quota (R-CSCS-02) and
the collective's verdicts.

Found by `jobs` (`autodiscover_modules("builders")` in `JobsConfig.ready`). The members are read in chunks
of `CHUNK` in name order (keyset on `Person.sort_key, id`): each chunk is one page of the same queryset as
the eligibility screen, its histories five queries (`person_histories`), its rows written and dropped —
the job keeps only the collective's tally (`selectors.CollectiveTally`), so its memory does not grow with
the unit. The workbook is written by `core.xlsx` in constant memory: every cell is text or a number, never
a formula.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import Q

from core.access import Action
from core.exceptions import ServiceError
from core.text import fold
from core.xlsx import Workbook
from jobs.registry import BuildError, register

from .eligibility import _award_types, _quota_note, _rows, member_verdicts
from .selectors import (
    CollectiveTally,
    collective_context,
    collective_history,
    default_received_on,
    person_histories,
    ruleset_for,
    seats_in_year,
    unit_persons_in_year,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNIT_JOB = "eligibility_xlsx"
CHUNK = 500  # members judged per step


def clean_params(params: Mapping[str, Any]) -> dict:
    value = str(params.get("year", "")).strip()
    if not value.isdigit() or not 1990 <= int(value) <= 2100:
        raise ValueError("Năm xét khen thưởng không hợp lệ.")
    cleaned: dict[str, Any] = {"year": int(value)}
    received = str(params.get("received_on", "") or "").strip()
    if received:
        try:
            cleaned["received_on"] = dt.date.fromisoformat(received).isoformat()
        except ValueError as exc:
            raise ValueError("Ngày nhận hồ sơ không hợp lệ.") from exc
    return cleaned


def _chunks(*, unit, year: int, size: int = CHUNK):
    """The unit's people of the year in name order, `size` at a time (keyset: no OFFSET, no whole list)."""
    rows = unit_persons_in_year(unit=unit, year=year)
    last = None
    while True:
        qs = (
            rows
            if last is None
            else rows.filter(Q(sort_key__gt=last[0]) | Q(sort_key=last[0], pk__gt=last[1]))
        )
        chunk = list(qs[:size])
        if not chunk:
            return
        yield chunk
        last = (chunk[-1].sort_key, chunk[-1].pk)


def eligibility_workbook(*, unit, year: int, received_on: dt.date | None = None, progress=None) -> bytes:
    """The whole-unit evaluation as .xlsx (sheet "Đoàn viên": one row per member, one column per
    individual award; sheet "Tập thể": the collective's figures, verdicts and the CSTĐCS quota)."""
    progress = progress or (lambda percent, stage: None)
    received_on = received_on or default_received_on(year)
    ruleset = ruleset_for(received_on=received_on)
    spec = ruleset.to_spec()
    types = _award_types(kind="person")
    codes = [a.code for a in types]
    i_ldtt = codes.index("LDTT") if "LDTT" in codes else None
    i_cstdcs = codes.index("CSTDCS") if "CSTDCS" in codes else None
    total = unit_persons_in_year(unit=unit, year=year).count()

    book = Workbook(constant_memory=True)
    header = book.format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    title = book.format({"bold": True, "font_size": 13})
    people = book.sheet("Đoàn viên")
    collective = book.sheet("Tập thể")
    people.text(0, 0, f"Đánh giá điều kiện khen thưởng năm {year} — {unit.name}", title)
    people.text(1, 0, f"Bộ quy tắc: {ruleset.name}; ngày nhận hồ sơ {received_on:%d/%m/%Y}")
    labels = ["STT", "Họ và tên", "Nơi sinh hoạt", *(a.name for a in types)]
    for col, label in enumerate(labels):
        people.text(3, col, label, header)
    people.set_column(0, 0, 6)
    people.set_column(1, 2, 30)
    people.set_column(3, 2 + len(types), 16)
    people.freeze_panes(4, 2)

    tally = CollectiveTally(year=year)
    names: dict[int, str] = {}  # CSTĐCS candidates only: named on the quota list
    row = 4
    done = 0
    progress(5, "Đang xét từng đoàn viên")
    for chunk in _chunks(unit=unit, year=year):
        ids = [p.pk for p in chunk]
        histories = person_histories(persons=ids, year=year)
        seats = seats_in_year(unit=unit, year=year, persons=ids)
        verdicts = member_verdicts(histories=histories, types=types, year=year, spec=spec)
        for person in chunk:
            found = verdicts.get(person.pk)
            if found is None:
                continue
            done += 1
            seat = seats.get(person.pk)
            people.cell(row, 0, done)
            people.text(row, 1, person.full_name)
            people.text(row, 2, seat.name if seat else "")
            for col, verdict in enumerate(found, start=3):
                people.text(row, col, "Đủ điều kiện" if verdict.eligible else "Chưa đủ điều kiện")
            row += 1
            if i_ldtt is not None and i_cstdcs is not None:
                tally.add(
                    pid=person.pk, history=histories[person.pk], ldtt=found[i_ldtt], cstdcs=found[i_cstdcs]
                )
                if found[i_cstdcs].eligible:
                    names[person.pk] = person.full_name
        progress(5 + 80 * done // max(total, 1), f"Đã xét {done} / {total} đoàn viên")
    if row > 4:
        people.autofilter(3, 0, row - 1, len(labels) - 1)

    progress(88, "Đang xét tập thể")
    context = collective_context(units=[unit], year=year, rule_set=spec)
    history, batch, _counted = collective_history(unit=unit, tally=tally, context=context)
    collective.set_column(0, 0, 40)
    collective.set_column(1, 1, 20)
    collective.set_column(2, 2, 80)
    collective.text(0, 0, f"Tập thể: {unit.name} — năm {year}", title)
    r = 2
    for label, value in (
        ("Đoàn viên trong năm", history.size),
        ("Hoàn thành nhiệm vụ trở lên", history.completed_duties),
        ("Đạt Lao động tiên tiến", history.ldtt_count),
        ("Chiến sĩ thi đua cơ sở (trong hạn mức)", history.cstdcs_count),
    ):
        collective.text(r, 0, label)
        collective.cell(r, 1, value)
        r += 1
    r += 1
    collective.text(r, 0, "Danh hiệu tập thể", header)
    collective.text(r, 1, "Kết quả", header)
    collective.text(r, 2, "Giải thích", header)
    r += 1
    for item in (
        _rows(types=_award_types(kind="collective"), subject=history, year=year, spec=spec)
        if tally.size
        else []
    ):
        collective.text(r, 0, item.award_type.name)
        if not item.specific:
            result = "Xét theo thành tích cụ thể"
        else:
            result = "Đủ điều kiện" if item.verdict.eligible else "Chưa đủ điều kiện"
        collective.text(r, 1, result)
        collective.text(r, 2, item.verdict.explanation)
        r += 1
    r += 1
    collective.text(r, 0, "Chiến sĩ thi đua cơ sở", header)
    r += 1
    collective.text(
        r, 0, _quota_note(batch=batch, ldtt=history.ldtt_count, eligible=len(tally.candidates), spec=spec)
    )
    r += 1
    if batch.refused:
        collective.text(r, 0, "Vượt hạn mức (xếp sau theo thứ tự tên):", header)
        r += 1
        for number, pid in enumerate(batch.refused, start=1):
            collective.cell(r, 0, f"{number}. {names.get(int(pid), '')}")
            r += 1
    progress(95, "Đang lưu tệp")
    return book.close()


def build_eligibility_xlsx(*, job, progress):
    params = job.params
    received = params.get("received_on")
    try:
        content = eligibility_workbook(
            unit=job.unit,
            year=params["year"],
            received_on=dt.date.fromisoformat(received) if received else None,
            progress=progress,
        )
    except ServiceError as exc:  # no rule set in force on the date: its Vietnamese message
        raise BuildError(exc.message) from exc
    name = fold(job.unit.short_name or job.unit.name).replace(" ", "_")
    return content, f"danh_gia_khen_thuong_{name}_{params['year']}.xlsx", XLSX


register(
    UNIT_JOB,
    title="Đánh giá toàn đơn vị năm {year} (.xlsx) — {unit}",
    action=Action.PERSON_VIEW,
    build=build_eligibility_xlsx,
    clean=clean_params,
)
