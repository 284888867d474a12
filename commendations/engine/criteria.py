"""A small library of parameterised criterion kinds. Each is a pure function returning a CriterionResult
with a Vietnamese explanation and the evidence it used. Awards combine them (see awards.py)."""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Collection, Mapping
from datetime import date, timedelta
from fractions import Fraction
from functools import lru_cache

from .catalogue import award_short
from .types import (
    MILD_DISCIPLINE_LEVELS,
    RATING_RANK,
    SCOPE_RANK,
    CollectiveHistory,
    CriterionResult,
    Issuer,
    PersonHistory,
    ServicePeriod,
    Subject,
    Vote,
)
from .vietnamese import (
    EDUCATION_LABELS,
    OFFICE_LABELS,
    RATING_LABELS,
    SCOPE_LABELS,
    SERVICE_MODE_LABELS,
    discipline_label,
    fmt_date,
    fmt_int,
    fmt_number,
    fmt_percent,
    fmt_vnd,
    fmt_year_span,
    fmt_years,
)

HTXS = "HTXS"


@lru_cache(maxsize=256)
def _fmt_param_number(value: Fraction | float | int) -> str:
    return fmt_number(value)


@lru_cache(maxsize=256)
def _exact(value: float | int) -> Fraction:
    """The decimal a parameter was written as (0.15 -> 3/20), not its binary float approximation."""
    return Fraction(str(value)) if isinstance(value, float) else Fraction(value)


# --- individual, one year -------------------------------------------------------------------------------


def rating_at_least(*, subject: PersonHistory, year: int, minimum: str, rule_id: str) -> CriterionResult:
    rating = subject.ratings.get(year)
    if rating is None:
        return CriterionResult(
            False, rule_id, f"Không có xếp loại năm {year} — yêu cầu tối thiểu {minimum}", (f"{year}: —",)
        )
    ok = RATING_RANK[rating] >= RATING_RANK[minimum]
    verdict = "đạt" if ok else "chưa đạt"
    return CriterionResult(
        ok,
        rule_id,
        f"Xếp loại năm {year}: {RATING_LABELS[rating]} — {verdict} yêu cầu tối thiểu {minimum}",
        (f"Xếp loại {year}: {rating}",),
    )


def registered_in_year(*, subject: PersonHistory, year: int, rule_id: str) -> CriterionResult:
    ok = year in subject.registered_years
    text = (
        f"Đã đăng ký thi đua năm {year}"
        if ok
        else f"Không đăng ký thi đua năm {year} — bắt buộc phải đăng ký"
    )
    registered = fmt_years(subject.registered_years) or "không có"
    return CriterionResult(ok, rule_id, text, (f"Các năm đăng ký thi đua: {registered}",))


def months_worked_at_least(
    *, subject: PersonHistory, year: int, minimum: int, rule_id: str
) -> CriterionResult:
    months = subject.months_worked.get(year)
    if months is None:
        return CriterionResult(
            False,
            rule_id,
            f"Không có dữ liệu số tháng công tác năm {year} — yêu cầu tối thiểu {minimum} tháng",
        )
    ok = months >= minimum
    tail = f"đạt tối thiểu {minimum} tháng" if ok else f"dưới mức tối thiểu {minimum} tháng"
    return CriterionResult(
        ok,
        rule_id,
        f"Công tác {months} tháng trong năm {year} — {tail}",
        (f"Số tháng công tác {year}: {months}",),
    )


def absence_below(*, subject: PersonHistory, year: int, limit: int, rule_id: str) -> CriterionResult:
    """Excluded from `limit` working days absent upward; maternity leave is not counted.

    ``absent_days`` normally includes maternity leave and ``maternity_days`` is the part to deduct; when
    maternity_days exceeds absent_days the file evidently recorded maternity apart, and nothing is deducted.
    """
    absent = subject.absent_days.get(year, 0)
    maternity = subject.maternity_days.get(year, 0)
    counted = absent - maternity if absent >= maternity else absent
    ok = counted < limit
    if ok:
        tail = f"dưới mức {limit} ngày"
    else:
        level = "vượt" if counted > limit else "bằng"
        tail = f"{level} mức {limit} ngày (từ {limit} ngày trở lên không được xét)"
    evidence = [f"Số ngày nghỉ năm {year}: {absent}"]
    excluded = ""
    if maternity:
        evidence.append(f"Nghỉ thai sản năm {year}: {maternity} ngày (không tính)")
        excluded = f"; {maternity} ngày nghỉ thai sản không tính"
    return CriterionResult(
        ok,
        rule_id,
        f"Nghỉ {counted} ngày làm việc (không tính nghỉ thai sản{excluded}) — {tail}",
        tuple(evidence),
    )


def no_discipline_in_year(*, subject: Subject, year: int, rule_id: str) -> CriterionResult:
    found = [d for d in subject.discipline if d.on is None or d.on.year == year]
    if not found:
        return CriterionResult(True, rule_id, f"Không bị kỷ luật trong năm {year}")
    items = [f"{discipline_label(d.level)} ({fmt_date(d.on) if d.on else 'không rõ ngày'})" for d in found]
    return CriterionResult(
        False, rule_id, f"Bị kỷ luật trong năm {year}: {', '.join(items)} — không được xét", tuple(items)
    )


def initiative_recognized(
    *,
    subject: PersonHistory,
    first_year: int,
    last_year: int,
    min_scope: str,
    rule_id: str,
    accept_research_topics: bool = False,
) -> CriterionResult:
    """At least one initiative recognised in [first_year, last_year] at scope >= min_scope
    (or, if accepted, a research topic accepted in that period)."""
    period = (
        f"năm {first_year}"
        if first_year == last_year
        else f"giai đoạn {fmt_year_span(first_year, last_year)}"
    )
    min_rank = SCOPE_RANK[min_scope]
    in_period = [i for i in subject.initiatives if first_year <= i.recognized_on.year <= last_year]
    found = [i for i in in_period if SCOPE_RANK[i.scope] >= min_rank]
    topics = (
        [t for t in subject.research_topics if first_year <= t.accepted_on.year <= last_year]
        if accept_research_topics
        else []
    )
    scope_text = "" if min_rank == 0 else f" {SCOPE_LABELS[min_scope]} trở lên"
    evidence = tuple(
        f"Sáng kiến công nhận {fmt_date(i.recognized_on)} ({SCOPE_LABELS[i.scope]})" for i in found
    )
    evidence += tuple(f"Đề tài nghiệm thu {fmt_date(t.accepted_on)}" for t in topics)
    if found or topics:
        parts = [f"{fmt_date(i.recognized_on)} ({SCOPE_LABELS[i.scope]})" for i in found]
        head = f"Có {len(found)} sáng kiến được công nhận{scope_text} trong {period}: {', '.join(parts)}"
        if not found:
            head = f"Có {len(topics)} đề tài nghiên cứu được nghiệm thu trong {period}"
        elif topics:
            head += f"; và {len(topics)} đề tài nghiên cứu được nghiệm thu"
        return CriterionResult(True, rule_id, head, evidence)
    wanted = f"sáng kiến{scope_text} được công nhận"
    if accept_research_topics:
        wanted += " hoặc đề tài nghiên cứu được nghiệm thu"
    text = f"Không có {wanted} trong {period}"
    lower = len(in_period)
    if lower:
        text += f" (có {lower} sáng kiến ở phạm vi thấp hơn yêu cầu)"
    return CriterionResult(False, rule_id, text)


# --- individual, over several years ---------------------------------------------------------------------


def consecutive_unused_awards(
    *, subject: PersonHistory, code: str, count: int, end_year: int, rule_id: str, step: int = 1
) -> CriterionResult:
    """`count` awards `code`, not yet used for a higher award, in consecutive years (step=1) or consecutive
    cycles of `step` years with no gap, the last one in `end_year`. If the run fails only because some of
    those awards were already used, the deciding rule is R-GEN-01."""
    short = award_short(code)
    needed = [end_year - step * k for k in range(count - 1, -1, -1)]
    held: dict[int, list[bool]] = {}
    for award in subject.awards:
        if award.code == code:
            held.setdefault(award.year, []).append(award.used)
    unused = [y for y in needed if y in held and not all(held[y])]
    used_only = [y for y in needed if y in held and all(held[y])]
    missing = [y for y in needed if y not in held]
    unit = "năm liên tục" if step == 1 else "chu kỳ liên tiếp, không gián đoạn"
    evidence = tuple(f"{short} {y}{' (đã sử dụng)' if all(held[y]) else ''}" for y in sorted(held))
    if len(unused) == count:
        return CriterionResult(True, rule_id, f"Đạt {short} {count} {unit}: {fmt_years(needed)}", evidence)
    reasons = []
    if missing:
        reasons.append(f"thiếu năm {fmt_years(missing)}")
    if used_only:
        reasons.append(
            f"danh hiệu năm {fmt_years(used_only)} đã được dùng làm căn cứ cho khen thưởng khác, "
            "không được tính lại (R-GEN-01)"
        )
    # refused for used awards: the verdict rests on R-GEN-01 and on the award's own rule
    deciding = "R-GEN-01" if used_only and not missing else rule_id
    also = tuple(r for r in (rule_id, "R-GEN-01") if used_only and r != deciding)
    return CriterionResult(
        False,
        deciding,
        f"Chưa đủ {count} {unit} đạt {short} chưa sử dụng (cần các năm {fmt_years(needed)}): "
        + "; ".join(reasons),
        evidence,
        also,
    )


def _htxs_run_ending(ratings: Mapping[int, str], end_year: int) -> int:
    length = 0
    while ratings.get(end_year - length) == HTXS:
        length += 1
    return length


def htxs_run_with_initiatives(
    *, subject: PersonHistory, end_year: int, years: int, initiatives: int, rule_id: str
) -> CriterionResult:
    """At least `years` consecutive HTXS years ending in `end_year`, with at least `initiatives`
    recognised initiatives (any scope) within that run."""
    run = _htxs_run_ending(subject.ratings, end_year)
    if run == 0:
        rating = subject.ratings.get(end_year)
        return CriterionResult(
            False,
            rule_id,
            f"Năm {end_year} không đạt HTXS (xếp loại: {rating or 'không có'}) — "
            f"yêu cầu {years} năm liên tục HTXS",
        )
    first = end_year - run + 1
    found = sum(1 for i in subject.initiatives if first <= i.recognized_on.year <= end_year)
    ok = run >= years and found >= initiatives
    span = fmt_year_span(first, end_year)
    head = f"Hoàn thành xuất sắc nhiệm vụ {run} năm liên tục ({span}) với {found} sáng kiến được công nhận"
    need = f"yêu cầu {years} năm liên tục HTXS và {initiatives} sáng kiến"
    return CriterionResult(ok, rule_id, f"{head} — {'đạt' if ok else 'chưa đạt'} {need}", (f"HTXS {span}",))


def prior_award_then_htxs(
    *, subject: PersonHistory, prior_codes: Collection[str], years: int, end_year: int, rule_id: str
) -> CriterionResult:
    """A prior award (one of `prior_codes`, not used for another higher award), then every year from the
    next one up to `end_year` rated HTXS, at least `years` of them."""
    priors = sorted(
        (a for a in subject.awards if a.code in prior_codes and a.year < end_year), key=lambda a: -a.year
    )
    names = "/".join(award_short(c) for c in prior_codes)
    if not priors:
        return CriterionResult(False, rule_id, f"Chưa được tặng {names} trước năm {end_year}")

    def streak_after(prior_year: int) -> int:
        length = 0
        while prior_year + 1 + length <= end_year and subject.ratings.get(prior_year + 1 + length) == HTXS:
            length += 1
        return length

    def qualifies(prior_year: int) -> bool:
        return end_year - prior_year >= years and streak_after(prior_year) == end_year - prior_year

    unused = [a for a in priors if not a.used]
    for award in unused:
        if qualifies(award.year):
            span = fmt_year_span(award.year + 1, end_year)
            return CriterionResult(
                True,
                rule_id,
                f"Đã được tặng {award_short(award.code)} năm {award.year}; HTXS {end_year - award.year} năm "
                f"liên tục sau đó ({span}) — đạt yêu cầu {years} năm",
                (f"{award_short(award.code)} {award.year}", f"HTXS {span}"),
            )
    reused = [a for a in priors if a.used and qualifies(a.year)]
    if reused or not unused:
        used = ", ".join(f"{award_short(a.code)} năm {a.year}" for a in priors if a.used)
        tail = "" if reused else f"; không còn {names} chưa sử dụng trước năm {end_year}"
        return CriterionResult(
            False,
            "R-GEN-01" if reused else rule_id,
            f"{used} đã được dùng làm căn cứ cho khen thưởng khác, không được tính lại{tail}",
            also=(rule_id,) if reused else ("R-GEN-01",) if used else (),
        )
    latest = unused[0]
    streak = streak_after(latest.year)
    base = f"Sau {award_short(latest.code)} năm {latest.year}"
    if streak < end_year - latest.year:
        broken = latest.year + 1 + streak
        text = (
            f"{base}, HTXS liên tục {streak} năm rồi gián đoạn năm {broken} "
            f"(xếp loại: {subject.ratings.get(broken) or 'không có'}) — yêu cầu {years} năm HTXS liên tục "
            f"đến năm {end_year}"
        )
    else:
        text = f"{base} mới có {streak} năm liên tục HTXS — chưa đủ {years} năm"
    return CriterionResult(False, rule_id, text)


def recent_years_rated_at_least(
    *, subject: PersonHistory, proposal_year: int, years: int, minimum: str, rule_id: str
) -> CriterionResult:
    span = list(range(proposal_year - years, proposal_year))
    listed = ", ".join(f"{y} {subject.ratings.get(y, 'không có xếp loại')}" for y in span)
    bad = [
        y
        for y in span
        if subject.ratings.get(y) is None or RATING_RANK[subject.ratings[y]] < RATING_RANK[minimum]
    ]
    head = f"Xếp loại {years} năm trước năm đề nghị {proposal_year}: {listed}"
    if not bad:
        return CriterionResult(True, rule_id, f"{head} — đều từ {minimum} trở lên", (listed,))
    return CriterionResult(
        False, rule_id, f"{head} — năm {fmt_years(bad)} không đạt mức {minimum}", (listed,)
    )


def not_awarded_before(*, subject: Subject, code: str, rule_id: str) -> CriterionResult:
    previous = sorted(a.year for a in subject.awards if a.code == code)
    short = award_short(code)
    if not previous:
        return CriterionResult(True, rule_id, f"Chưa được tặng {short}")
    return CriterionResult(
        False,
        rule_id,
        f"Đã được tặng {short} năm {fmt_years(previous)} — mỗi người chỉ được tặng một lần",
        tuple(f"{short} {y}" for y in previous),
    )


# --- union service (Kỷ niệm chương) ---------------------------------------------------------------------


def _add_months(day: date, months: int) -> date:
    extra_years, month0 = divmod(day.month - 1 + months, 12)
    year, month = day.year + extra_years, month0 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def years_between(*, start: date, end_exclusive: date) -> Fraction:
    """Whole calendar months count 1/12 year each; the remaining days 1/365 each."""
    if end_exclusive <= start:
        return Fraction(0)
    months = (end_exclusive.year - start.year) * 12 + end_exclusive.month - start.month
    if _add_months(start, months) > end_exclusive:
        months -= 1
    days = (end_exclusive - _add_months(start, months)).days
    return Fraction(months, 12) + Fraction(days, 365)


Interval = tuple[date, date]  # [start, end)


def _subtract(piece: Interval, covered: list[Interval]) -> list[Interval]:
    pieces = [piece]
    for c_start, c_end in covered:
        rest: list[Interval] = []
        for p_start, p_end in pieces:
            if c_end <= p_start or c_start >= p_end:
                rest.append((p_start, p_end))
                continue
            if p_start < c_start:
                rest.append((p_start, c_start))
            if c_end < p_end:
                rest.append((c_end, p_end))
        pieces = rest
    return pieces


def service_years_by_mode(
    *, periods: tuple[ServicePeriod, ...], as_of: date, priority: dict[str, Fraction]
) -> dict[str, Fraction]:
    """Years per mode; overlapping time counts once, under the mode with the highest priority."""
    covered: list[Interval] = []
    result: dict[str, Fraction] = {}
    ordered = sorted(periods, key=lambda p: -priority.get(p.mode, Fraction(0)))
    for period in ordered:
        end = (period.end or as_of) + timedelta(days=1)
        if end <= period.start:
            continue
        pieces = _subtract((period.start, end), covered)
        covered.extend(pieces)
        total = sum((years_between(start=s, end_exclusive=e) for s, e in pieces), Fraction(0))
        result[period.mode] = result.get(period.mode, Fraction(0)) + total
    return result


def _consecutive_terms(subject: PersonHistory, offices: set[str], as_of: date) -> int:
    terms = sorted((o for o in subject.union_offices if o.office in offices), key=lambda o: o.start)
    best = run = 0
    previous_end: date | None = None
    for term in terms:
        consecutive = previous_end is not None and term.start <= previous_end + timedelta(days=366)
        run = run + 1 if consecutive else 1
        best = max(best, run)
        previous_end = term.end or as_of
    return best


def union_service_qualifies(
    *,
    subject: PersonHistory,
    as_of: date,
    min_years: int | float,
    part_time_weight: int | float,
    non_state_weight: int | float,
    public_service_years: int | float,
    outside_years: int | float,
    council_terms: int,
    presidium_terms: int,
    rule_id: str,
) -> CriterionResult:
    """Weighted union service (full-time ×1, part-time ×w1, part-time in a non-State enterprise ×w2) reaching
    `min_years`, or one of the alternatives: consecutive terms on BCH/UBKT Tổng LĐ, full terms on its
    presidium, years in union public-service units, years in post for people outside the union."""
    weights = {
        "FULL_TIME": Fraction(1),
        "PART_TIME": _exact(part_time_weight),
        "PART_TIME_NON_STATE": _exact(non_state_weight),
    }
    weighted_periods = tuple(p for p in subject.union_service if p.mode in weights)
    by_mode = service_years_by_mode(periods=weighted_periods, as_of=as_of, priority=weights)
    parts = []
    total = Fraction(0)
    for mode in ("FULL_TIME", "PART_TIME", "PART_TIME_NON_STATE"):
        if mode in by_mode:
            credit = by_mode[mode] * weights[mode]
            total += credit
            parts.append(
                f"{SERVICE_MODE_LABELS[mode]} {fmt_number(by_mode[mode])} năm × {_fmt_param_number(weights[mode])} "
                f"= {fmt_number(credit)} năm"
            )
    evidence = [
        f"{SERVICE_MODE_LABELS[p.mode]}: {fmt_date(p.start)}–{fmt_date(p.end) if p.end else 'nay'}"
        for p in subject.union_service
    ]
    evidence += [
        f"{OFFICE_LABELS[o.office]}: {fmt_date(o.start)}–{fmt_date(o.end) if o.end else 'nay'}"
        f"{' (trọn nhiệm kỳ)' if o.full_term else ''}"
        for o in subject.union_offices
    ]
    need = _exact(min_years)
    head = (
        f"Thời gian công tác công đoàn quy đổi: {'; '.join(parts) or '0 năm'}; tổng {fmt_number(total)} năm"
    )
    if total >= need:
        return CriterionResult(
            True, rule_id, f"{head} — đạt mức {_fmt_param_number(need)} năm", tuple(evidence)
        )

    alternatives = []
    council = _consecutive_terms(subject, {"BCH_TLD", "UBKT_TLD"}, as_of)
    if council >= council_terms:
        alternatives.append(f"{council} nhiệm kỳ liên tiếp là ủy viên Ban Chấp hành/Ủy ban Kiểm tra Tổng LĐ")
    presidium = sum(1 for o in subject.union_offices if o.office == "DOAN_CHU_TICH_TLD" and o.full_term)
    if presidium >= presidium_terms:
        alternatives.append(f"{presidium} nhiệm kỳ trọn vẹn là ủy viên Đoàn Chủ tịch Tổng LĐ")
    for mode, threshold in (("UNION_PUBLIC_SERVICE", public_service_years), ("OUTSIDE_UNION", outside_years)):
        periods = tuple(p for p in subject.union_service if p.mode == mode)
        if not periods:
            continue
        years = service_years_by_mode(periods=periods, as_of=as_of, priority={}).get(mode, Fraction(0))
        if years >= _exact(threshold):
            alternatives.append(
                f"{fmt_number(years)} năm công tác {SERVICE_MODE_LABELS[mode]} "
                f"(mức {_fmt_param_number(threshold)} năm)"
            )
    if alternatives:
        return CriterionResult(
            True,
            rule_id,
            f"{head} — chưa đủ {_fmt_param_number(need)} năm nhưng đạt tiêu chuẩn thay thế: "
            + "; ".join(alternatives),
            tuple(evidence),
        )
    return CriterionResult(
        False,
        rule_id,
        f"{head} — chưa đạt mức {_fmt_param_number(need)} năm và không thuộc trường hợp thay thế "
        f"({council_terms} nhiệm kỳ liên tiếp BCH/UBKT Tổng LĐ, {presidium_terms} nhiệm kỳ Đoàn Chủ tịch, "
        f"{_fmt_param_number(public_service_years)} năm ở đơn vị sự nghiệp công đoàn, "
        f"{_fmt_param_number(outside_years)} năm với người ngoài tổ chức công đoàn)",
        tuple(evidence),
    )


# --- Bằng Lao động sáng tạo -----------------------------------------------------------------------------


def ldst_benefit(
    *,
    subject: PersonHistory,
    year: int,
    college_min: int,
    college_cumulative_min: int,
    cumulative_years: int,
    university_min: int,
    leader_min: int,
    rule_id: str,
) -> CriterionResult:
    """Certified benefit of one solution recognised in `year`, against the threshold of the person's group."""
    this_year = [i.benefit_vnd for i in subject.initiatives if i.recognized_on.year == year]
    best = max(this_year, default=0)
    evidence = tuple(
        f"Giải pháp công nhận {fmt_date(i.recognized_on)}: làm lợi {fmt_vnd(i.benefit_vnd)}"
        for i in subject.initiatives
    )
    head = (
        f"Giải pháp làm lợi cao nhất năm {year}: {fmt_vnd(best)}"
        if this_year
        else f"Không có giải pháp được công nhận trong năm {year}"
    )
    if subject.is_leader:
        if best >= leader_min:
            return CriterionResult(
                True, rule_id, f"{head}; người giữ chức vụ lãnh đạo — đạt mức {fmt_vnd(leader_min)}", evidence
            )
        if subject.management_improvement_recognized:
            return CriterionResult(
                True,
                rule_id,
                f"{head}; người giữ chức vụ lãnh đạo có cải tiến quản lý được công nhận cấp tỉnh/bộ — đạt",
                evidence,
            )
        return CriterionResult(
            False,
            rule_id,
            f"{head}; người giữ chức vụ lãnh đạo — chưa đạt mức {fmt_vnd(leader_min)} và không có cải tiến "
            "quản lý được công nhận cấp tỉnh/bộ",
            evidence,
        )
    if not this_year:
        return CriterionResult(
            False, rule_id, f"{head} — Bằng LĐST xét giải pháp công nhận trong năm đề nghị", evidence
        )
    if subject.education == "COLLEGE_OR_BELOW":
        group = f"{EDUCATION_LABELS['COLLEGE_OR_BELOW']}, không giữ chức vụ lãnh đạo"
        if best >= college_min:
            return CriterionResult(
                True, rule_id, f"{head}; {group} — đạt mức {fmt_vnd(college_min)}", evidence
            )
        first = year - cumulative_years + 1
        cumulative = sum(i.benefit_vnd for i in subject.initiatives if first <= i.recognized_on.year <= year)
        span = fmt_year_span(first, year)
        ok = cumulative >= college_cumulative_min
        verdict = "đạt" if ok else "chưa đạt"
        return CriterionResult(
            ok,
            rule_id,
            f"{head}; {group} — dưới mức {fmt_vnd(college_min)}; "
            f"tổng làm lợi {cumulative_years} năm liên tục {span}: {fmt_vnd(cumulative)} — "
            f"{verdict} mức {fmt_vnd(college_cumulative_min)}",
            evidence,
        )
    group = f"{EDUCATION_LABELS['UNIVERSITY_OR_ABOVE']}, không giữ chức vụ lãnh đạo"
    if subject.education is None:
        group = "không rõ trình độ (áp dụng mức của trình độ đại học trở lên), không giữ chức vụ lãnh đạo"
    ok = best >= university_min
    return CriterionResult(
        ok,
        rule_id,
        f"{head}; {group} — {'đạt' if ok else 'chưa đạt'} mức {fmt_vnd(university_min)}",
        evidence,
    )


# --- collectives ----------------------------------------------------------------------------------------


def collective_all_completed(*, subject: CollectiveHistory, rule_id: str) -> CriterionResult:
    ok = subject.completed_duties >= subject.size
    tail = (
        "đạt 100 %"
        if ok
        else f"chưa đạt yêu cầu 100 % ({fmt_percent(Fraction(subject.completed_duties, subject.size))})"
    )
    return CriterionResult(
        ok, rule_id, f"{subject.completed_duties}/{subject.size} thành viên hoàn thành nhiệm vụ — {tail}"
    )


def collective_ldtt_share(
    *, subject: CollectiveHistory, share: float, strict: bool, rule_id: str
) -> CriterionResult:
    if not subject.size:  # no member recorded in the year (a roster not imported yet): no share to compute
        return CriterionResult(
            False,
            rule_id,
            "Tập thể chưa có thành viên nào trong năm: chưa tính được tỷ lệ thành viên đạt LĐTT",
        )
    actual = Fraction(subject.ldtt_count, subject.size)
    need = _exact(share)
    ok = actual > need if strict else actual >= need
    requirement = f"trên {fmt_percent(need)}" if strict else f"tối thiểu {fmt_percent(need)}"
    return CriterionResult(
        ok,
        rule_id,
        f"{subject.ldtt_count}/{subject.size} thành viên đạt LĐTT = {fmt_percent(actual)} — "
        f"{'đạt' if ok else 'chưa đạt'} yêu cầu {requirement}",
    )


def collective_has_cstdcs(*, subject: CollectiveHistory, minimum: int, rule_id: str) -> CriterionResult:
    ok = subject.cstdcs_count >= minimum
    return CriterionResult(
        ok,
        rule_id,
        f"Có {subject.cstdcs_count} cá nhân đạt CSTĐ cơ sở — "
        f"{'đạt' if ok else 'chưa đạt'} yêu cầu tối thiểu {minimum}",
    )


def collective_no_heavy_discipline(*, subject: CollectiveHistory, year: int, rule_id: str) -> CriterionResult:
    heavy = [
        d
        for d in subject.discipline
        if d.level not in MILD_DISCIPLINE_LEVELS and (d.on is None or d.on.year == year)
    ]
    if not heavy:
        return CriterionResult(
            True, rule_id, f"Không có thành viên bị kỷ luật từ cảnh cáo trở lên trong năm {year}"
        )
    items = [f"{discipline_label(d.level)} ({fmt_date(d.on) if d.on else 'không rõ ngày'})" for d in heavy]
    return CriterionResult(
        False,
        rule_id,
        f"Có {len(heavy)} trường hợp kỷ luật từ cảnh cáo trở lên trong năm {year}: {', '.join(items)}",
        tuple(items),
    )


def led_cluster(*, subject: CollectiveHistory, year: int, rule_id: str) -> CriterionResult:
    if subject.led_cluster:
        return CriterionResult(True, rule_id, f"Đơn vị dẫn đầu cụm/khối thi đua năm {year}")
    return CriterionResult(False, rule_id, f"Đơn vị không dẫn đầu cụm/khối thi đua năm {year}")


# --- general --------------------------------------------------------------------------------------------


def achievement_not_reused(*, subject: Subject, rule_id: str = "R-GEN-01") -> CriterionResult:
    achievement = subject.achievement_id
    if achievement is None:
        return CriterionResult(
            True, rule_id, "Hồ sơ không nêu mã thành tích; không phát hiện thành tích bị dùng lại"
        )
    uses = [a for a in subject.awards if a.achievement_id == achievement]
    if not uses:
        return CriterionResult(
            True, rule_id, f"Thành tích «{achievement}» chưa được dùng cho khen thưởng nào khác"
        )
    listed = ", ".join(f"{award_short(a.code)} năm {a.year}" for a in uses)
    return CriterionResult(
        False,
        rule_id,
        f"Thành tích «{achievement}» đã được dùng cho {listed} — "
        "mỗi thành tích chỉ làm căn cứ cho một khen thưởng",
        tuple(f"{award_short(a.code)} {a.year}: thành tích {achievement}" for a in uses),
    )


def vote_share_reaches(*, vote: Vote, threshold: float, rule_id: str = "R-VOTE-01") -> CriterionResult:
    """Share of "yes" over ALL council members; absent members count as not yes."""
    share = Fraction(vote.yes, vote.council_size)
    need = _exact(threshold)
    ok = share >= need
    absent = vote.council_size - vote.present
    evidence = (
        f"Tổng số thành viên Hội đồng: {vote.council_size}",
        f"Có mặt: {vote.present}; vắng mặt: {absent} (không tính là đồng ý)",
        f"Đồng ý: {vote.yes}; không đồng ý: {vote.no}; "
        f"không hợp lệ/không biểu quyết: {vote.present - vote.yes - vote.no}",
    )
    return CriterionResult(
        ok,
        rule_id,
        f"{vote.yes}/{vote.council_size} thành viên Hội đồng đồng ý = {fmt_percent(share)} — "
        f"{'đạt' if ok else 'chưa đạt'} ngưỡng {fmt_percent(need)}",
        evidence,
    )


def check_issuer_validity(
    *, issuer: Issuer, decision_date: date, award: str, rule_id: str = "R-ORG-02"
) -> CriterionResult:
    """The issuing unit existed and had authority for the award on the decision date."""
    problems = []
    if issuer.valid_from and decision_date < issuer.valid_from:
        problems.append(f"chưa được thành lập (có hiệu lực từ {fmt_date(issuer.valid_from)})")
    if issuer.valid_to and decision_date > issuer.valid_to:
        problems.append(f"đã chấm dứt hiệu lực ngày {fmt_date(issuer.valid_to)}")
    if issuer.award_codes is not None and award not in issuer.award_codes:
        problems.append(f"không có thẩm quyền tặng {award_short(award)}")
    since = fmt_date(issuer.valid_from) if issuer.valid_from else "…"
    until = fmt_date(issuer.valid_to) if issuer.valid_to else "nay"
    validity = f"{since}–{until}"
    evidence = (f"{issuer.name}: hiệu lực {validity}", f"Ngày quyết định: {fmt_date(decision_date)}")
    if not problems:
        return CriterionResult(
            True,
            rule_id,
            f"{issuer.name} có hiệu lực và thẩm quyền vào ngày quyết định {fmt_date(decision_date)}",
            evidence,
        )
    return CriterionResult(
        False,
        rule_id,
        f"Quyết định ngày {fmt_date(decision_date)} do {issuer.name} ban hành: "
        f"đơn vị {'; '.join(problems)} — đơn vị ban hành không hợp lệ; "
        "khen thưởng bị gắn cờ và không được ghi vào sổ khen thưởng",
        evidence,
    )


def fmt_quota(*, ratio: float, count: int) -> tuple[int, str]:
    """floor(ratio × count), exactly, with its Vietnamese rendering."""
    limit = (_exact(ratio) * count).__floor__()
    return limit, f"⌊{fmt_number(ratio, places=4)} × {fmt_int(count)}⌋ = {limit}"
