"""Entry points: evaluate one subject, a batch under a quota, or a council vote."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

from .awards import AWARDS, QUALIFYING, SAFEGUARD, AwardDefinition, Check
from .catalogue import award_name, ordered_rules
from .criteria import achievement_not_reused, check_issuer_validity, fmt_quota, vote_share_reaches
from .rulesets import RuleSetSpec
from .types import (
    Batch,
    BatchVerdict,
    Candidate,
    CandidateDecision,
    Dossier,
    EngineInputError,
    Subject,
    Verdict,
    Vote,
)
from .vietnamese import fmt_int

KIND_LABELS = {"person": "cá nhân", "collective": "tập thể"}


def _definition(award: str) -> AwardDefinition:
    try:
        return AWARDS[award]
    except KeyError:
        known = ", ".join(AWARDS)
        raise EngineInputError(f"Mã khen thưởng không hợp lệ: «{award}» (các mã hợp lệ: {known})") from None


def evaluate(
    *,
    award: str,
    year: int,
    subject: Subject,
    rule_set: RuleSetSpec,
    dossier: Dossier | None = None,
    vote: Vote | None = None,
) -> Verdict:
    """Check one nominee against the criteria of `award` for `year` under `rule_set`."""
    definition = _definition(award)
    if subject.kind not in definition.subject_kinds:
        allowed = "/".join(KIND_LABELS[k] for k in sorted(definition.subject_kinds))
        raise EngineInputError(
            f"{award_name(award)} chỉ xét cho {allowed}, "
            f"không xét cho {KIND_LABELS.get(subject.kind, subject.kind)}"
        )
    as_of = dossier.received_on if dossier and dossier.received_on else date(year - 1, 12, 31)
    checks: list[Check] = []
    if definition.build is not None:
        checks.extend(definition.build(subject=subject, year=year, spec=rule_set, as_of=as_of))
    # with no achievement cited there is nothing to compare: the check is shown, the verdict does not rest on it
    checks.append(
        Check(SAFEGUARD, achievement_not_reused(subject=subject), vacuous=subject.achievement_id is None)
    )
    flags: list[str] = []
    if dossier is not None and dossier.issuer is not None:
        if dossier.decision_date is None:
            raise EngineInputError(
                "Có đơn vị ban hành nhưng thiếu ngày quyết định (decision_date) để kiểm tra R-ORG-02"
            )
        issuer_check = check_issuer_validity(
            issuer=dossier.issuer, decision_date=dossier.decision_date, award=award
        )
        checks.append(Check(SAFEGUARD, issuer_check))
        if not issuer_check.passed:
            flags.append("ISSUER_INVALID")
    if vote is not None:
        _validate_vote(vote)
        checks.append(
            Check(QUALIFYING, vote_share_reaches(vote=vote, threshold=rule_set.param("vote_threshold")))
        )
    note = ""
    if definition.build is None:
        checked = "R-GEN-01" + (" và R-ORG-02" if dossier is not None and dossier.issuer is not None else "")
        note = (
            f" Quy tắc hiện hành chưa quy định tiêu chuẩn riêng cho {award_name(award)}: "
            f"chỉ kiểm tra {checked}."
        )
        if definition.quota_rule:
            note += f" Hạn mức {definition.quota_rule} được kiểm tra trên cả danh sách đề nghị."
    title = f"{award_name(award)} năm {year}"
    return _verdict(
        award=award, year=year, title=title, checks=checks, rule_set=rule_set, note=note, flags=flags
    )


def evaluate_vote(
    *, vote: Vote, rule_set: RuleSetSpec, award: str | None = None, year: int | None = None
) -> Verdict:
    """R-VOTE-01: the share of "yes" over all council members must reach the rule set's threshold."""
    _validate_vote(vote)
    result = vote_share_reaches(vote=vote, threshold=rule_set.param("vote_threshold"))
    subject = f" về {award_name(award)}" if award else ""
    title = f"Biểu quyết của Hội đồng Thi đua – Khen thưởng{subject}{f' năm {year}' if year else ''}"
    return _verdict(
        award=award,
        year=year,
        title=title,
        checks=[Check(QUALIFYING, result)],
        rule_set=rule_set,
        note="",
        flags=[],
    )


def _validate_vote(vote: Vote) -> None:
    if vote.council_size <= 0:
        raise EngineInputError(f"Số thành viên Hội đồng phải lớn hơn 0 (nhận {vote.council_size})")
    if min(vote.present, vote.yes, vote.no) < 0:
        raise EngineInputError("Số có mặt, đồng ý, không đồng ý không được âm")
    if vote.present > vote.council_size:
        raise EngineInputError(
            f"Số có mặt ({vote.present}) vượt số thành viên Hội đồng ({vote.council_size})"
        )
    if vote.yes + vote.no > vote.present:
        raise EngineInputError(
            f"Số phiếu đồng ý + không đồng ý ({vote.yes} + {vote.no}) vượt số có mặt ({vote.present})"
        )


def _verdict(
    *,
    award: str | None,
    year: int | None,
    title: str,
    checks: Sequence[Check],
    rule_set: RuleSetSpec,
    note: str,
    flags: list[str],
) -> Verdict:
    failed = [ch.result for ch in checks if not ch.result.passed]
    eligible = not failed
    if failed:
        deciding = ordered_rules(r.rule_id for r in failed)
        details = "Lý do: " + "; ".join(f"{r.explanation} [{_rule_text(r)}]" for r in failed)
    else:
        qualifying = [ch.result.rule_id for ch in checks if ch.role == QUALIFYING]
        deciding = ordered_rules(qualifying or [ch.result.rule_id for ch in checks])
        details = "; ".join(f"{ch.result.explanation} [{_rule_text(ch.result)}]" for ch in checks)
    rules = rests_on(checks)
    status = "Đủ điều kiện" if eligible else "Không đủ điều kiện"
    basis = ", ".join(rules) + (f"; không đạt: {', '.join(deciding)}" if failed else "")
    explanation = (
        f"{title}: {status} (căn cứ {basis}). {details}.{note} Bộ quy tắc áp dụng: {rule_set.label}."
    )
    return Verdict(
        award=award,
        year=year,
        eligible=eligible,
        criteria=tuple(ch.result for ch in checks),
        rule_set=rule_set.ref,
        explanation=explanation,
        rules=rules,
        flags=tuple(flags),
        deciding=deciding,
    )


def _rule_text(result) -> str:
    return ", ".join(ordered_rules(result.rule_ids))


def rests_on(checks: Sequence[Check]) -> tuple[str, ...]:
    """Every rule whose criterion was evaluated (with the further rules a criterion names), in rules.md
    order. A vacuous safeguard (no achievement cited) counts only when nothing else was checked (GK)."""
    real = [ch for ch in checks if not ch.vacuous]
    if all(ch.role == SAFEGUARD for ch in real):
        real = list(checks)
    return ordered_rules(rule for ch in real for rule in ch.result.rule_ids)


# --- quotas over a batch --------------------------------------------------------------------------------


def evaluate_batch(
    *,
    award: str,
    year: int,
    batch: Batch,
    rule_set: RuleSetSpec,
    candidate_verdicts: Mapping[str, Verdict] | None = None,
) -> BatchVerdict:
    """Apply the award's quota to candidates taken in the unit's priority order. A candidate with an
    ineligible individual verdict is refused for its own rules and does not use a place; candidates without
    a verdict are taken as individually eligible."""
    definition = _definition(award)
    verdicts = dict(candidate_verdicts or {})
    quota_rule = definition.quota_rule
    if quota_rule is None:
        raise EngineInputError(f"{award_name(award)} không có hạn mức theo danh sách (không xét theo lô)")
    ids = [cand.id for cand in batch.candidates]
    if len(set(ids)) != len(ids):
        raise EngineInputError("Danh sách ứng viên có mã trùng nhau")
    admit, quota_text = _quota(rule_id=quota_rule, batch=batch, rule_set=rule_set)

    decisions: list[CandidateDecision] = []
    rules: list[str] = [quota_rule]
    for candidate in batch.candidates:
        verdict = verdicts.get(candidate.id)
        if verdict is not None and not verdict.eligible:
            rules.extend(verdict.deciding)
            decisions.append(
                CandidateDecision(
                    candidate.id,
                    False,
                    verdict.deciding,
                    f"{candidate.id}: không đủ điều kiện cá nhân ({', '.join(verdict.deciding)})",
                )
            )
            continue
        reason = admit(candidate)
        if reason is None:
            decisions.append(
                CandidateDecision(candidate.id, True, (quota_rule,), f"{candidate.id}: trong hạn mức")
            )
        else:
            decisions.append(
                CandidateDecision(candidate.id, False, (quota_rule,), f"{candidate.id}: {reason}")
            )

    accepted = tuple(d.candidate_id for d in decisions if d.accepted)
    refused = tuple(d.candidate_id for d in decisions if not d.accepted)
    refusals = "; ".join(d.explanation for d in decisions if not d.accepted) or "không có"
    basis = (
        "các ứng viên không kèm hồ sơ được coi là đủ điều kiện cá nhân"
        if len(verdicts) < len(ids)
        else "mọi ứng viên đã được xét điều kiện cá nhân"
    )
    explanation = (
        f"{award_name(award)} năm {year} — danh sách của {batch.unit}: {quota_text} [{quota_rule}]. "
        f"Xét {len(ids)} ứng viên theo thứ tự ưu tiên ({basis}); chấp thuận {len(accepted)}: "
        f"{', '.join(accepted) or 'không có'}; từ chối {len(refused)}: {refusals}. "
        f"Bộ quy tắc áp dụng: {rule_set.label}."
    )
    return BatchVerdict(
        award=award,
        year=year,
        accepted=accepted,
        refused=refused,
        rules=ordered_rules(rules),
        rule_set=rule_set.ref,
        explanation=explanation,
        decisions=tuple(decisions),
        verdicts=verdicts,
    )


Admit = Callable[[Candidate], str | None]  # None: admitted; else the reason for refusal


def _quota(*, rule_id: str, batch: Batch, rule_set: RuleSetSpec) -> tuple[Admit, str]:
    """The admission function of the quota (stateful, candidates in priority order) and its description."""
    if rule_id in ("R-CSCS-02", "R-COCP-01"):
        if rule_id == "R-CSCS-02":
            base, ratio, base_label = batch.ldtt_count, rule_set.param("cstdcs_quota"), "số LĐTT của đơn vị"
            field = "ldtt_count"
        else:
            base, ratio, base_label = (
                batch.cluster_leaders,
                rule_set.param("cocp_ratio"),
                "số đơn vị dẫn đầu cụm",
            )
            field = "cluster_leaders"
        if base is None or base < 0:
            raise EngineInputError(f"Thiếu hoặc sai «{field}» để tính hạn mức {rule_id}")
        limit, formula = fmt_quota(ratio=ratio, count=base)
        taken = [0]

        def admit_single(candidate: Candidate) -> str | None:
            if taken[0] < limit:
                taken[0] += 1
                return None
            return f"vượt hạn mức {limit} (xếp sau trong thứ tự ưu tiên)"

        return admit_single, f"hạn mức {formula} theo {base_label} ({fmt_int(base)})"

    per_federation = rule_set.param("bkcd_per_federation")
    national = rule_set.param("bkcd_national")
    counts = dict(batch.federation_accepted_before)
    national_taken = [batch.national_accepted_before]

    def admit_thematic(candidate: Candidate) -> str | None:
        federation = candidate.federation or batch.unit
        if national_taken[0] >= national:
            return f"vượt hạn mức toàn quốc {fmt_int(national)} đề nghị mỗi chuyên đề mỗi năm"
        if counts.get(federation, 0) >= per_federation:
            return f"vượt hạn mức {per_federation} đề nghị của {federation} cho chuyên đề"
        counts[federation] = counts.get(federation, 0) + 1
        national_taken[0] += 1
        return None

    text = (
        f"tối đa {per_federation} đề nghị mỗi LĐLĐ tỉnh/CĐ ngành cho một chuyên đề, "
        f"tối đa {fmt_int(national)} trên toàn quốc mỗi năm "
        f"(đã chấp thuận trước: {fmt_int(batch.national_accepted_before)})"
    )
    return admit_thematic, text
