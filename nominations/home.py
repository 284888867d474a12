"""The nominations' cards on the home page (`organizations.tasks_panel`): dossiers to review or to fix,
sessions to open, direct approvals and decisions to sign, votes to cast, public comments to moderate,
deadlines coming or overdue."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse

from core.access import Action, ancestor_or_self_paths, can, scope_roots
from organizations.tasks_panel import TaskCard, register_home_task

from . import selectors
from .choices import CommentStatus, SessionState
from .models import BallotReceipt, CouncilSession, NominationDeadline, NominationItem, PublicComment

SOON_DAYS = 30
LISTED = 5  # lines listed under a card


def _dossier_line(dossier) -> tuple[str, str]:
    return (f"{dossier.title} — {dossier.proposing_unit.name}", dossier.get_absolute_url())


def _dossier_cards(page) -> list[TaskCard]:
    if not (can(page.user, Action.NOMINATION_REVIEW) or can(page.user, Action.NOMINATION_PREPARE)):
        return []
    box = selectors.inbox(user=page.user)
    inbox_url = reverse("nominations:inbox")
    waiting, drafts = box["waiting"], box["drafts"]
    late = box["overdue"]  # among the first page of each (bounded, issue 16)
    return [
        TaskCard(
            title="Hồ sơ khen thưởng chờ bạn xét duyệt",
            count=box["waiting_count"],
            url=inbox_url,
            icon="bi-inbox",
            items=tuple(_dossier_line(s.dossier) for s in waiting[:LISTED]),
        ),
        TaskCard(
            title="Hồ sơ đang soạn hoặc bị trả lại cần hoàn thiện",
            count=box["drafts_count"],
            url=inbox_url,
            icon="bi-pencil-square",
            items=tuple(_dossier_line(d) for d in drafts[:LISTED]),
        ),
        TaskCard(
            title="Hồ sơ đã quá hạn nộp",
            count=late,
            url=inbox_url,
            icon="bi-exclamation-triangle",
            tone="danger",
        ),
    ]


def _vote_cards(page) -> list[TaskCard]:
    """Open sessions where the user holds a seat on the day of the session and has not voted on every
    nominee (three queries: the sessions, their nominees, the user's receipts)."""
    sessions = list(
        CouncilSession.objects.filter(
            state=SessionState.OPEN,
            unit__council_members__user=page.user,
            unit__council_members__valid_from__lte=page.today,
        )
        .filter(
            Q(unit__council_members__valid_to__isnull=True)
            | Q(unit__council_members__valid_to__gte=page.today)
        )
        .distinct()
        .order_by("held_on", "pk")
    )
    if not sessions:
        return []
    ids = [s.pk for s in sessions]
    nominees = dict(
        NominationItem.objects.filter(dossier__council_sessions__in=ids)
        .values("dossier__council_sessions")
        .annotate(n=Count("pk", distinct=True))
        .values_list("dossier__council_sessions", "n")
    )
    cast = dict(
        BallotReceipt.objects.filter(session_id__in=ids, voter=page.user)
        .values("session_id")
        .annotate(n=Count("pk"))
        .values_list("session_id", "n")
    )
    todo = [s for s in sessions if cast.get(s.pk, 0) < nominees.get(s.pk, 0)]
    return [
        TaskCard(
            title="Phiên họp Hội đồng TĐKT chờ bạn bỏ phiếu",
            count=len(todo),
            url=reverse("nominations:session", args=[todo[0].pk]) if todo else "",
            icon="bi-check2-circle",
            items=tuple(
                (
                    f"{s.title} ({s.held_on:%d/%m/%Y}): đã bỏ {cast.get(s.pk, 0)}/{nominees.get(s.pk, 0)} phiếu",
                    reverse("nominations:session", args=[s.pk]),
                )
                for s in todo[:LISTED]
            ),
        )
    ]


def _next_step_cards(page) -> list[TaskCard]:
    """Dossiers waiting at their authority for the next step the user may take there: a council session
    to open, a direct approval (awards that need no vote) or the decision to sign."""
    if not (can(page.user, Action.NOMINATION_REVIEW) or can(page.user, Action.DECISION_ISSUE)):
        return []
    links = selectors.inbox_links(user=page.user)
    session_open = reverse("nominations:session_open")
    to_approve = [d for d in links["direct"] if d.approved_at is None and not d.voted]
    to_sign = [d for d in links["direct"] if d.approved_at is not None or d.voted]
    return [
        TaskCard(
            title="Hồ sơ chờ mở phiên họp Hội đồng TĐKT",
            count=sum(c["count"] for c in links["councils"]),
            url=f"{session_open}?don_vi={links['councils'][0]['unit'].pk}" if links["councils"] else "",
            icon="bi-people",
            items=tuple(
                (f"{c['unit'].name}: {c['count']} hồ sơ", f"{session_open}?don_vi={c['unit'].pk}")
                for c in links["councils"][:LISTED]
            ),
        ),
        TaskCard(
            title="Hồ sơ chờ xét duyệt trực tiếp (không cần Hội đồng bỏ phiếu)",
            count=len(to_approve),
            url=to_approve[0].get_absolute_url() if to_approve else "",
            icon="bi-clipboard-check",
            items=tuple(_dossier_line(d) for d in to_approve[:LISTED]),
        ),
        TaskCard(
            title="Hồ sơ đã xét duyệt hoặc Hội đồng đã bỏ phiếu, chờ ký quyết định khen thưởng",
            count=len(to_sign),
            url=to_sign[0].get_absolute_url() if to_sign else "",
            icon="bi-pen",
            items=tuple(_dossier_line(d) for d in to_sign[:LISTED]),
        ),
    ]


def _comment_cards(page) -> list[TaskCard]:
    if not can(page.user, Action.NOMINATION_REVIEW):
        return []
    rows = (
        PublicComment.objects.filter(
            status=CommentStatus.PENDING, posting__dossier__in=selectors.dossier_visible(user=page.user)
        )
        .values("posting__dossier_id", "posting__dossier__title", "posting__dossier__authority__path")
        .annotate(n=Count("pk"))
        .order_by("posting__dossier_id")
    )
    rows = [
        r
        for r in rows
        if r["posting__dossier__authority__path"]
        and can(page.user, Action.NOMINATION_REVIEW, r["posting__dossier__authority__path"])
    ]
    if not rows:
        return []
    return [
        TaskCard(
            title="Ý kiến góp ý công khai chờ duyệt",
            count=sum(r["n"] for r in rows),
            url=reverse("nominations:detail", args=[rows[0]["posting__dossier_id"]]),
            icon="bi-chat-left-text",
            items=tuple(
                (
                    f"{r['posting__dossier__title']}: {r['n']} ý kiến",
                    reverse("nominations:detail", args=[r["posting__dossier_id"]]),
                )
                for r in rows[:LISTED]
            ),
        )
    ]


def _deadline_cards(page) -> list[TaskCard]:
    """Deadlines in the next 30 days set by the units where the user prepares dossiers, or above them."""
    if not can(page.user, Action.NOMINATION_PREPARE):
        return []
    roots = scope_roots(page.user, Action.NOMINATION_PREPARE)
    soon = NominationDeadline.objects.filter(
        due_on__gte=page.today, due_on__lte=page.today + dt.timedelta(days=SOON_DAYS)
    )
    if roots is not None:
        paths = {p for root in roots for p in ancestor_or_self_paths(root, 4)}
        below = Q()
        for root in roots:
            below |= Q(organiser__path__startswith=root)
        soon = soon.filter(Q(organiser__path__in=paths) | below)
    soon = list(soon.select_related("organiser").order_by("due_on", "pk"))
    inbox_url = reverse("nominations:inbox")

    def where(deadline) -> str:
        # the organiser's calendar for whoever sets it; the dossiers (flagged against it) for the others
        if can(page.user, Action.NOMINATION_REVIEW, deadline.organiser.path):
            return f"{reverse('nominations:deadlines')}?don_vi={deadline.organiser.pk}"
        return inbox_url

    return [
        TaskCard(
            title=f"Hạn nộp hồ sơ khen thưởng trong {SOON_DAYS} ngày tới",
            count=len(soon),
            url=inbox_url,
            icon="bi-calendar-event",
            tone="warning",
            items=tuple(
                (
                    f"{d.due_on:%d/%m/%Y}: {d.get_kind_display()}, năm thành tích {d.year} — {d.organiser.name}",
                    where(d),
                )
                for d in soon[:LISTED]
            ),
        )
    ]


def nomination_tasks(page) -> list[TaskCard]:
    return [
        *_dossier_cards(page),
        *_next_step_cards(page),
        *_vote_cards(page),
        *_comment_cards(page),
        *_deadline_cards(page),
    ]


register_home_task("nominations", order=20, context=nomination_tasks)
