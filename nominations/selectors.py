"""Reads for nominations. A dossier is visible along its path: to the proposing unit and every unit
above it (each level it passes through, and their ancestors), and to the members of the authority's
council — never to a sibling branch."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from core.access import Action, can, get_visible_or_404
from core.models import AuditEvent
from core.pagination import page_of

from .choices import DossierState, SessionState, StepVerdict
from .models import ApprovalStep, CouncilMember, CouncilSession, Dossier, NominationItem
from .visibility import sees_whole_dossier


def dossier_visible(*, user) -> QuerySet[Dossier]:
    """Dossiers the user may see (`nominations.visibility.DossierVisibility`)."""
    return Dossier.objects.restrict(user, Action.UNIT_VIEW).select_related(
        "proposing_unit", "authority", "current_level"
    )


NOT_FOUND = "Không tìm thấy hồ sơ hoặc bạn không có quyền xem."


def dossier_get_or_404(*, user, pk, needs: tuple[str, ...] = (), whole: bool = True) -> Dossier:
    """For views: the dossier if the user may see it (404 otherwise); 403 first when they hold none of
    the actions `needs` anywhere (the screen's own right). `whole=True` (every screen but the dossier
    page): only for those who may read the whole dossier — a member who sees it only as a nominee gets
    404 on its documents and the other screens (`nominations.visibility.sees_whole_dossier`)."""
    if needs and not any(can(user, action) for action in needs):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này.")
    dossier = get_visible_or_404(
        dossier_visible(user=user), user, Action.UNIT_VIEW, not_found=NOT_FOUND, pk=pk
    )
    if whole and not sees_whole_dossier(user, dossier):
        raise Http404(NOT_FOUND)
    return dossier


def own_items(*, user, dossier: Dossier) -> list[NominationItem]:
    """The nominations of the dossier that name the user themselves (what a nominee may read)."""
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return []
    return list(dossier.items.filter(person_id=person_id).select_related("award_type", "person", "unit"))


def inbox_waiting(*, user) -> QuerySet[ApprovalStep]:
    """The steps pending at a level the user reviews, of dossiers they see — in SQL (the levels through
    `orgunit_visible(user, action=review)`), oldest first, for the inbox to page."""
    from organizations.selectors import orgunit_visible

    return (
        ApprovalStep.objects.filter(
            verdict=StepVerdict.PENDING,
            dossier__in=dossier_visible(user=user).values("pk"),
            level__in=orgunit_visible(user=user, action=Action.NOMINATION_REVIEW).values("pk"),
        )
        .select_related("dossier__proposing_unit", "level")
        .order_by("pk")
    )


def inbox_drafts(*, user) -> QuerySet[Dossier]:
    """Drafts, returned and recalled dossiers of units the user prepares for, newest first."""
    from organizations.selectors import orgunit_visible

    return (
        dossier_visible(user=user)
        .filter(
            state__in=[DossierState.DRAFT, DossierState.RETURNED, DossierState.RECALLED],
            proposing_unit__in=orgunit_visible(user=user, action=Action.NOMINATION_PREPARE).values("pk"),
        )
        .order_by("-created_at", "-pk")
    )


def inbox_recent(*, user, state: str = "") -> QuerySet[Dossier]:
    """The dossiers the user sees, last changed first, of one state when `state` is one."""
    rows = dossier_visible(user=user).order_by("-updated_at", "-pk")
    return rows.filter(state=state) if state in DossierState.values else rows


def inbox_flag_deadlines(*, waiting, drafts) -> int:
    """Set `deadline` and `overdue` on the shown steps and drafts (one query); the number overdue."""
    waiting, drafts = list(waiting), list(drafts)
    deadlines = deadlines_for(dossiers=[s.dossier for s in waiting] + drafts)
    today = timezone.localdate()
    for step in waiting:
        step.deadline = deadlines.get(step.dossier.pk)
        step.overdue = bool(step.deadline and step.deadline.due_on < today)
    for dossier in drafts:
        dossier.deadline = deadlines.get(dossier.pk)
        dossier.overdue = bool(dossier.deadline and dossier.deadline.due_on < today)
    return sum(1 for x in [*waiting, *drafts] if x.overdue)


def inbox_sessions(*, user) -> list[CouncilSession]:
    """Open sessions where the user votes (a seat) or which they organise (review at the session's
    unit: they close the ballot) — exactly the sessions' visibility (nominations.visibility)."""
    return list(
        CouncilSession.objects.restrict(user, Action.UNIT_VIEW)
        .filter(state=SessionState.OPEN)
        .select_related("unit")
        .order_by("held_on", "pk")[:50]
    )


def inbox(*, user, waiting_page=1, drafts_page=1) -> dict:
    """What waits for the user, bounded (issue 16): one page each of the dossiers pending at a level
    they review and of the drafts/returned/recalled ones of units they prepare for (`core.pagination`:
    capped counts), the open council sessions where they vote, and how many shown are overdue."""
    waiting = page_of(inbox_waiting(user=user), waiting_page)
    drafts = page_of(inbox_drafts(user=user), drafts_page)
    overdue = inbox_flag_deadlines(waiting=waiting.object_list, drafts=drafts.object_list)
    return {
        "waiting": list(waiting.object_list),
        "drafts": list(drafts.object_list),
        "waiting_page": waiting,
        "drafts_page": drafts,
        "waiting_count": waiting.paginator.count,
        "drafts_count": drafts.paginator.count,
        "sessions": inbox_sessions(user=user),
        "overdue": overdue,
    }


def inbox_links(*, user) -> dict:
    """The inbox's ways on from where the user stands: the units they may prepare a dossier for ("Lập
    hồ sơ đề nghị"), whether the calendar of deadlines is theirs to read, the councils with dossiers
    waiting where they may open a session, and the dossiers waiting for a direct approval or a signature
    at a unit where they may give it (awards that need no council vote)."""
    from organizations.selectors import orgunit_roots

    from .workflow import award_needs_vote

    prepare_units = orgunit_roots(user=user, action=Action.NOMINATION_PREPARE)
    waiting = list(
        dossier_visible(user=user)
        .filter(state=DossierState.IN_COUNCIL, authority__isnull=False)
        .order_by("authority_id", "pk")[:200]
    )
    codes: dict[int, set[str]] = {}
    for dossier_id, code in NominationItem.objects.filter(dossier__in=waiting).values_list(
        "dossier_id", "award_type__code"
    ):
        codes.setdefault(dossier_id, set()).add(code)
    councils: dict[int, dict] = {}
    direct = []
    today = timezone.localdate()
    session_states: dict[int, set[str]] = {}
    for dossier_id, state in CouncilSession.dossiers.through.objects.filter(dossier__in=waiting).values_list(
        "dossier_id", "councilsession__state"
    ):
        session_states.setdefault(dossier_id, set()).add(state)
    for dossier in waiting:
        authority = dossier.authority
        states = session_states.get(dossier.pk, set())
        dossier.voted = SessionState.CLOSED in states
        if any(award_needs_vote(c) for c in codes.get(dossier.pk, ())):
            if dossier.voted:  # the council has voted: the leader signs
                if can(user, Action.DECISION_ISSUE, authority.path):
                    direct.append(dossier)
            elif SessionState.OPEN in states:  # being voted on: reached through the open session
                continue
            elif can(user, Action.NOMINATION_REVIEW, authority.path):
                entry = councils.setdefault(authority.pk, {"unit": authority, "count": 0})
                entry["count"] += 1
        elif (dossier.approved_at is None and can(user, Action.NOMINATION_REVIEW, authority.path)) or (
            dossier.approved_at is not None and can(user, Action.DECISION_ISSUE, authority.path)
        ):
            direct.append(dossier)
    for entry in councils.values():
        entry["seats"] = council_members(unit=entry["unit"], on=today).count()
    return {
        "prepare_units": prepare_units,
        "may_read_deadlines": can(user, Action.NOMINATION_PREPARE) or can(user, Action.NOMINATION_REVIEW),
        "councils": list(councils.values()),
        "direct": direct,
    }


def state_labels(*, dossiers) -> None:
    """Set `state_label` on each dossier for lists: a dossier waiting at its authority whose awards need
    no council vote reads "Chờ xét duyệt trực tiếp" (or "chờ ký quyết định"), not "Đang trình Hội
    đồng" — one query for all."""
    from .workflow import award_needs_vote

    dossiers = list(dossiers)
    waiting = [d.pk for d in dossiers if d.state == DossierState.IN_COUNCIL]
    voted: dict[int, bool] = {}
    for dossier_id, code in NominationItem.objects.filter(dossier_id__in=waiting).values_list(
        "dossier_id", "award_type__code"
    ):
        voted[dossier_id] = voted.get(dossier_id, False) or award_needs_vote(code)
    for dossier in dossiers:
        label = dossier.get_state_display()
        if dossier.pk in voted and not voted[dossier.pk]:
            label = "Đã xét duyệt, chờ ký quyết định" if dossier.approved_at else "Chờ xét duyệt trực tiếp"
        dossier.state_label = label


def deadlines_applying(*, unit) -> list:
    """The deadlines that apply to the dossiers of `unit`: those it set and those set by the units above
    it (nearest organiser first within a year and kind)."""
    from .models import NominationDeadline

    rows = NominationDeadline.objects.filter(
        organiser__path__in=[*unit.ancestor_paths(), unit.path]
    ).select_related("organiser")
    return sorted(rows, key=lambda r: (-r.year, r.kind, -r.organiser.depth))


def deadlines_for(*, dossiers) -> dict[int, object]:
    """{dossier.pk: the nearest deadline set by the proposing unit or an ancestor for its year and kind}
    — one query for all dossiers."""
    from .models import NominationDeadline

    dossiers = list(dossiers)
    if not dossiers:
        return {}
    paths = {p for d in dossiers for p in [*d.proposing_unit.ancestor_paths(), d.proposing_unit.path]}
    rows = list(
        NominationDeadline.objects.filter(
            organiser__path__in=paths, year__in={d.year for d in dossiers}
        ).select_related("organiser")
    )
    result = {}
    for dossier in dossiers:
        chain = [*dossier.proposing_unit.ancestor_paths(), dossier.proposing_unit.path]
        matches = [
            r for r in rows if r.year == dossier.year and r.kind == dossier.kind and r.organiser.path in chain
        ]
        if matches:
            result[dossier.pk] = max(
                matches, key=lambda r: r.organiser.depth
            )  # the nearest organiser decides
    return result


def dossier_timeline(*, dossier: Dossier) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(object_type="nominations.dossier", object_id=str(dossier.pk)).order_by(
            "occurred_at", "id"
        )
    )


def council_members(*, unit, on: dt.date) -> QuerySet[CouncilMember]:
    """The unit's council seats valid on the day."""
    return CouncilMember.objects.filter(unit=unit, valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )


# a dossier that was refused, or a nominee the council or the decision refused, no longer proposes anyone
_DEAD_DOSSIER_STATES = (DossierState.REJECTED,)


def duplicate_nominations(*, user, year: int, nominees, exclude_dossier_id=None) -> dict[tuple, list]:
    """The other dossiers of the same year proposing the same person or unit for the same award type.

    `nominees` is an iterable of `(person_id, unit_id, award_type_id)`; the answer maps each such key to
    a list of `(dossier or None)`: the other dossier when the user may see it, else None (the screen says
    it exists without naming it). A refused dossier (REJECTED) or a refused nominee does not count; a
    recalled dossier does (it is edited and resubmitted). Two queries, whatever the number of nominees."""
    from .choices import ItemStatus

    keys = {(p, u, a) for p, u, a in nominees}
    if not keys:
        return {}
    match = Q()
    for person_id, unit_id, award_type_id in keys:
        if person_id:
            match |= Q(person_id=person_id, award_type_id=award_type_id)
        else:
            match |= Q(unit_id=unit_id, award_type_id=award_type_id)
    others = (
        NominationItem.objects.filter(match, dossier__year=year)
        .exclude(dossier__state__in=_DEAD_DOSSIER_STATES)
        .exclude(status=ItemStatus.REJECTED)
        .values_list("person_id", "unit_id", "award_type_id", "dossier_id")
    )
    if exclude_dossier_id:
        others = others.exclude(dossier_id=exclude_dossier_id)
    rows = list(others)
    if not rows:
        return {}
    seen = {d.pk: d for d in dossier_visible(user=user).filter(pk__in={r[3] for r in rows})}
    found: dict[tuple, list] = {}
    for person_id, unit_id, award_type_id, dossier_id in rows:
        key = (person_id, None, award_type_id) if person_id else (None, unit_id, award_type_id)
        listed = found.setdefault(key, [])
        other = seen.get(dossier_id)
        if other is None and None in listed:
            continue
        if other is not None and other in listed:
            continue
        listed.append(other)
    return found


def item_duplicates(*, user, dossier: Dossier, items) -> dict[int, list]:
    """For the dossier page: item pk → the other dossiers (or None, unseen) proposing the same nominee."""
    found = duplicate_nominations(
        user=user,
        year=dossier.year,
        nominees=[(i.person_id, None if i.person_id else i.unit_id, i.award_type_id) for i in items],
        exclude_dossier_id=dossier.pk,
    )
    result = {}
    for i in items:
        key = (i.person_id, None, i.award_type_id) if i.person_id else (None, i.unit_id, i.award_type_id)
        if key in found:
            result[i.pk] = found[key]
    return result
