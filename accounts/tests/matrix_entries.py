"""One entry per URL name of the project for the generated permission matrix
(`test_permission_matrix_generated.py`).

An entry is a list of `Case`s (usually one; two when a URL answers both as a list and for one unit, e.g.
`?don_vi=`). A case says which action the view requires (an `core.access.Action` constant, or `PUBLIC`
for pages without login, or `LOGIN` for pages any logged-in user may open), how to build the URL of an
object inside the data of `matrix_data.build()` (every object lives under LĐLĐ huyện Mỹ Đức), the HTTP
method (POST-only views are posted a minimal body; the permission outcome comes before any validation),
the kind — "detail": a user whose scope does not cover the object gets 404; "list": they get the normal
answer without the object (the `marker` text is absent) — and the view's success code (200, 302 after a
POST, a file response is a 200 too).

The expected status of every role × scope is derived from this entry and `accounts.roles` in the test;
nothing here says what a role gets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from core.access import Action

PUBLIC = "public"  # no login needed: everybody, logged out included, gets the success code
LOGIN = "login"  # any logged-in user, whatever their roles

# URL namespaces / names that are not application screens, and why they are left out of the matrix:
SKIPPED_NAMESPACES = {
    "admin",  # the Django admin under quan-tri/: its own is_staff permission system, not role scoping
}
SKIPPED_NAMES = {
    "set_language",  # i18n/setlang/: Django's language switch (POST, no data, same for everybody)
    "javascript-catalog",  # jsi18n (not mounted today): Django's translation catalogue, no data
}


# the size line printed at the end of the run (accounts/tests/conftest.py), set by the coverage test
SUMMARY: list[str] = []


def url_names(urlconf=None) -> list[str]:
    """Every named URL of the urlconf, namespaced ("nominations:detail"), minus the skipped ones."""
    names: set[str] = set()

    def walk(resolver: URLResolver, namespace: str | None) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                if inner in SKIPPED_NAMESPACES:
                    continue
                walk(pattern, f"{namespace}:{inner}" if namespace and inner else inner or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                if pattern.name in SKIPPED_NAMES:
                    continue
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver(urlconf), None)
    return sorted(names)


def coverage_problems(names: list[str], entries: dict) -> tuple[list[str], list[str]]:
    """(URL names without an entry, entries whose URL name no longer exists)."""
    return sorted(set(names) - set(entries)), sorted(set(entries) - set(names))


@dataclass(frozen=True)
class Case:
    action: str
    args: Callable[[Any, Any], tuple] = lambda d, user: ()
    query: Callable[[Any], str] | None = None
    kind: str = "detail"
    method: str = "GET"
    data: Callable[[Any], dict] | None = None
    marker: Callable[[Any], str] | None = None
    success: int | str = 200  # "login" = a redirect to the login page
    anonymous: str | int = "login"  # logged out: "login" = redirect to the login page, or a status code
    label: str = ""
    superuser_sees_marker: bool = True  # False where a superuser (no assignment) must pick a unit first


def _job(kind: str):
    """A finished job of `user` on Công đoàn UBND huyện Mỹ Đức: jobs are seen by their creator only, so the
    object is made for the user under test (inside the request's savepoint)."""

    def args(d, user):
        from django.core.files.base import ContentFile

        from jobs.models import BuildJob

        job = BuildJob.objects.create(
            kind=kind,
            title="Tệp kiểm thử ma trận phân quyền",
            unit=d.t.ubnd,
            created_by=user or d.superuser,
            params={},
            status=BuildJob.Status.DONE,
            filename="ma-tran.xlsx",
        )
        job.file.save("ma-tran.xlsx", ContentFile(b"PK ma tran"), save=True)
        return (job.pk,)

    return args


def _account(d, user=None):
    """An account holding a member role on Công đoàn UBND huyện Mỹ Đức (made inside the request's savepoint):
    administered by whoever holds role.manage there."""
    from accounts.models import RoleAssignment, User
    from accounts.roles import Role

    target, created = User.objects.get_or_create(
        username="mt-tai-khoan", defaults={"full_name": "Tài khoản ma trận"}
    )
    if created:
        RoleAssignment.objects.create(user=target, role=Role.MEMBER, unit=d.t.ubnd)
    return (target.pk,)


def _notification(d, user):
    """A notification of the user under test (each user opens only their own; made inside the request's
    savepoint); its link is the home page."""
    from nominations.models import Notification

    note = Notification.objects.create(user=user or d.superuser, text="Thông báo kiểm thử ma trận", url="/")
    return (note.pk,)


def _account_role(d, user=None):
    """The member role of the matrix account on Công đoàn UBND huyện Mỹ Đức (ended by the POST)."""
    from accounts.models import RoleAssignment

    (pk,) = _account(d, user)
    return (RoleAssignment.objects.get(user_id=pk).pk,)


def _seat(d, user=None):
    """A seat of the city's council (LĐLĐ thành phố Hà Nội, the matrix's nine members)."""
    from nominations.models import CouncilMember

    return (CouncilMember.objects.filter(unit=d.t.hn).order_by("pk").first().pk,)


def _today(field):
    def data(d):
        from django.utils import timezone

        return {field: timezone.localdate().isoformat()}

    return data


def _account_listed(d, user=None):
    _account(d, user)
    return ()


def _ubnd(d):
    return f"don_vi={d.t.ubnd.pk}"


def _md(d):
    return f"don_vi={d.t.md.pk}"


def _hn(d):
    return f"don_vi={d.t.hn.pk}"


def _unit(name):
    return lambda d, u: (getattr(d.t, name).pk,)


def _draft_document(d):
    """A tờ trình attached to the draft dossier (made inside the request's savepoint)."""
    from django.core.files.base import ContentFile

    from nominations.models import DossierDocument

    document = DossierDocument(dossier=d.draft, kind="TO_TRINH")
    document.file.save("to-trinh-ma-tran.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    return document


def _obj(attr):
    return lambda d, u: (getattr(d, attr).pk,)


def _an(d, u):
    return (d.t.an.pk,)


def _ubnd_name(d):
    return d.t.ubnd.name


def _an_name(d):
    return d.t.an.full_name


A = Action
C = Case
ENTRIES: dict[str, list[Case]] = {
    # core, accounts
    "core:home": [C(LOGIN, kind="list")],
    "favicon": [C(PUBLIC, kind="list", success=301, anonymous=301)],
    # the signed-in floor of the HTTP load benchmark (core.views_session)
    "session_check": [C(LOGIN, kind="list")],
    "core:audit": [
        C(A.AUDIT_VIEW, query=_ubnd, marker=lambda d: "Sự kiện kiểm thử ma trận phân quyền"),
        C(A.AUDIT_VIEW, kind="list", marker=lambda d: "Sự kiện kiểm thử ma trận phân quyền", label="all"),
    ],
    # the login page sends a logged-in user home
    "accounts:login": [C(PUBLIC, kind="list", success=302, anonymous=200)],
    # logout is POST-only (Django 5) and sends everybody, logged in or not, to the login page
    "accounts:logout": [C(PUBLIC, kind="list", method="POST", success="login", anonymous="login")],
    "accounts:profile": [C(LOGIN, kind="list")],
    # the user guide (templates/help/, served by core.views_help)
    "help:index": [C(LOGIN, kind="list")],
    "help:page": [C(LOGIN, kind="list", args=lambda d, u: ("chu-trinh",))],
    "accounts:password_change": [C(LOGIN, kind="list")],
    "accounts:otp_setup": [C(LOGIN, kind="list")],
    # without a confirmed device the code page sends the user to enrolment
    "accounts:otp_verify": [C(LOGIN, kind="list", success=302)],
    # the recovery codes are shown once, right after enrolment; otherwise back to the profile
    "accounts:otp_recovery": [C(LOGIN, kind="list", success=302)],
    "accounts:users": [C(A.ROLE_MANAGE, kind="list", args=_account_listed, marker=lambda d: "mt-tai-khoan")],
    "accounts:user_reset_password": [C(A.ROLE_MANAGE, args=_account, marker=lambda d: "mt-tai-khoan")],
    "accounts:user_unlock": [C(A.ROLE_MANAGE, args=_account, method="POST", success=302)],
    "accounts:user_create": [C(A.ROLE_MANAGE, kind="list")],
    "accounts:user_roles": [C(A.ROLE_MANAGE, args=_account, marker=lambda d: "mt-tai-khoan")],
    "accounts:role_end": [
        C(A.ROLE_MANAGE, args=_account_role, method="POST", data=_today("valid_to"), success=302)
    ],
    # organisation
    "organizations:tree": [
        C(A.UNIT_VIEW, kind="list", query=lambda d: f"q={d.t.ubnd.code}", marker=_ubnd_name),
        C(A.UNIT_VIEW, kind="list", label="roots"),
    ],
    "organizations:detail": [C(A.UNIT_VIEW, args=_unit("ubnd"), marker=_ubnd_name)],
    "organizations:children": [C(A.UNIT_VIEW, args=_unit("ubnd"), marker=lambda d: d.t.t1.name)],
    "organizations:create_child": [C(A.UNIT_MANAGE, args=_unit("ubnd"), marker=_ubnd_name)],
    "organizations:rename": [C(A.UNIT_MANAGE, args=_unit("ubnd"), marker=_ubnd_name)],
    "organizations:area": [C(A.UNIT_MANAGE, args=_unit("ubnd"), marker=_ubnd_name)],
    # the area picker's search (organizations.areas): the official list, the same for every logged-in user
    "organizations:area_search": [C(LOGIN, kind="list", query=lambda d: "q=my+duc")],
    "organizations:move": [C(A.UNIT_MANAGE, args=_unit("ubnd"), marker=_ubnd_name)],
    "organizations:merge": [C(A.UNIT_MANAGE, args=_unit("ubnd"), marker=_ubnd_name)],
    "organizations:dissolve": [C(A.UNIT_MANAGE, args=_unit("ubnd"), marker=_ubnd_name)],
    "organizations:consolidate": [C(A.UNIT_MANAGE, args=_unit("ubnd"), marker=_ubnd_name)],
    "organizations:split": [C(A.UNIT_MANAGE, args=_unit("ubnd"), marker=_ubnd_name)],
    "clusters:cluster_index": [
        C(A.UNIT_VIEW, kind="list", query=lambda d: "nam=2025", marker=lambda d: d.cluster.name)
    ],
    "clusters:cluster_list": [
        C(A.UNIT_VIEW, args=_unit("md"), query=lambda d: "nam=2025", marker=lambda d: d.cluster.name)
    ],
    "clusters:cluster_create": [C(A.MOVEMENT_MANAGE, args=_unit("md"), query=lambda d: "nam=2025")],
    "clusters:cluster_copy": [
        C(A.MOVEMENT_MANAGE, args=_unit("md"), method="POST", data=lambda d: {"nam": "2026"}, success=302)
    ],
    "clusters:cluster_detail": [C(A.UNIT_VIEW, args=_obj("cluster"), marker=lambda d: d.cluster.name)],
    "clusters:cluster_edit": [C(A.MOVEMENT_MANAGE, args=_obj("cluster"), marker=lambda d: d.cluster.name)],
    "clusters:covenant_edit": [C(A.MOVEMENT_MANAGE, args=_obj("cluster"), marker=lambda d: d.cluster.name)],
    "clusters:covenant_download": [C(A.UNIT_VIEW, args=_obj("cluster"))],
    "clusters:cluster_rank": [C(A.MOVEMENT_MANAGE, args=_obj("cluster"), marker=lambda d: d.cluster.name)],
    # members and rosters
    "members:list": [
        C(A.PERSON_VIEW, query=_ubnd, marker=_an_name),
        C(A.PERSON_VIEW, kind="list", query=lambda d: "q=nguyen van an", marker=_an_name, label="search"),
    ],
    "members:create": [C(A.PERSON_CHANGE, query=_ubnd, marker=_ubnd_name)],
    "members:detail": [C(A.PERSON_VIEW, args=_an, marker=_an_name)],
    "members:edit": [C(A.PERSON_CHANGE, args=_an, marker=_an_name)],
    "members:citizen_id": [C(A.PERSON_VIEW_SENSITIVE, args=_an, method="POST", marker=_an_name)],
    "members:transfer": [C(A.PERSON_CHANGE, args=_an, marker=_an_name)],
    "members:end": [C(A.PERSON_CHANGE, args=_an, marker=_an_name)],
    # the old addresses of the roster import (bookmarks, help links): 301 to the framework's kind "doan-vien"
    "members:roster_upload": [C(PUBLIC, kind="list", success=301, anonymous=301)],
    "members:roster_template": [C(PUBLIC, kind="list", success=301, anonymous=301)],
    # "Xuất Excel" starts the background job (jobs: roster_xlsx) and redirects to the job page
    "members:roster_export": [
        C(A.PERSON_VIEW, method="POST", data=lambda d: {"don_vi": str(d.t.ubnd.pk)}, success=302)
    ],
    # the picker's search (members.widgets): at most 20 people / units, scoped like the screens
    "members:person_search": [
        C(A.PERSON_VIEW, query=lambda d: f"don_vi={d.t.ubnd.pk}&q=nguyen+van+an", marker=_an_name),
        C(A.PERSON_VIEW, kind="list", query=lambda d: "q=nguyen+van+an", marker=_an_name, label="search"),
    ],
    "members:unit_search": [
        C(A.PERSON_VIEW, query=lambda d: f"don_vi={d.t.md.pk}&q={d.t.ubnd.code}", marker=_ubnd_name),
    ],
    # initiatives
    "initiatives:list": [C(A.UNIT_VIEW, query=_ubnd, marker=lambda d: d.initiative.title)],
    "initiatives:create": [C(A.INITIATIVE_CHANGE, query=_ubnd, marker=_ubnd_name)],
    "initiatives:similar": [
        C(
            A.UNIT_VIEW,
            kind="list",
            method="POST",
            data=lambda d: {"title": d.initiative.title, "unit": str(d.t.ubnd.pk)},
            marker=lambda d: d.initiative.title,
        )
    ],
    "initiatives:detail": [C(A.UNIT_VIEW, args=_obj("initiative"), marker=lambda d: d.initiative.title)],
    # drafts are edited and submitted by whoever records initiatives on the unit
    "initiatives:edit": [
        C(A.INITIATIVE_CHANGE, args=_obj("draft_initiative"), marker=lambda d: "Sáng kiến nháp")
    ],
    "initiatives:submit": [C(A.INITIATIVE_CHANGE, args=_obj("draft_initiative"), method="POST", success=302)],
    "initiatives:review": [
        C(A.INITIATIVE_REVIEW, args=_obj("submitted_initiative"), marker=lambda d: "Sáng kiến đã nộp")
    ],
    "initiatives:decide": [
        C(A.INITIATIVE_REVIEW, args=_obj("submitted_initiative"), marker=lambda d: "Sáng kiến đã nộp")
    ],
    # nominations
    "nominations:inbox": [C(A.UNIT_VIEW, kind="list", marker=lambda d: d.draft.title)],
    "nominations:create": [C(A.NOMINATION_PREPARE, query=_ubnd, marker=_ubnd_name)],
    "nominations:deadlines": [C(A.NOMINATION_REVIEW, query=_md, marker=lambda d: d.t.md.name)],
    "nominations:detail": [C(A.UNIT_VIEW, args=_obj("draft"), marker=lambda d: d.draft.title)],
    "nominations:item_add": [C(A.NOMINATION_PREPARE, args=_obj("draft"), marker=lambda d: d.draft.title)],
    "nominations:item_edit": [
        C(
            A.NOMINATION_PREPARE,
            args=lambda d, u: (d.draft.pk, d.draft_item.pk),
            method="POST",
            data=lambda d: {"achievement_summary": "Sửa tóm tắt thành tích"},
            success=302,
        )
    ],
    "nominations:document_add": [
        C(
            A.NOMINATION_PREPARE,
            args=_obj("draft"),
            method="POST",
            data=lambda d: {"kind": "TO_TRINH", "file": SimpleUploadedFile("to-trinh.pdf", b"%PDF-1.4 test")},
            success=302,
        )
    ],
    "nominations:item_remove": [
        C(
            A.NOMINATION_PREPARE,
            args=lambda d, u: (d.draft.pk, d.draft_item.pk),
            method="POST",
            success=302,
        )
    ],
    # a file attached to a dossier: whoever reads the whole dossier (as the ND30 documents page)
    "nominations:document": [
        C(A.UNIT_VIEW, args=lambda d, u: (d.dossier.pk, d.dossier.documents.order_by("pk").first().pk))
    ],
    "nominations:document_replace": [
        C(
            A.NOMINATION_PREPARE,
            args=lambda d, u: (d.draft.pk, _draft_document(d).pk),
            method="POST",
            data=lambda d: {"file": SimpleUploadedFile("to-trinh-moi.pdf", b"%PDF-1.4 moi")},
            success=302,
        )
    ],
    # one transition stands for the dossier's action endpoint: submitting the draft (needs
    # nomination.prepare; the engine/documents check answers with a message and a redirect)
    "nominations:action": [
        C(
            A.NOMINATION_PREPARE,
            args=_obj("draft"),
            method="POST",
            data=lambda d: {"action": "submit"},
            success=302,
        )
    ],
    # ending the public posting (early: with a reason); a refusal answers with a message and a redirect
    "nominations:posting_close": [
        C(
            A.NOMINATION_REVIEW,
            args=_obj("posted"),
            method="POST",
            data=lambda d: {"early_reason": "Đã đủ ý kiến của các đơn vị"},
            success=302,
        )
    ],
    "nominations:comment_moderate": [
        C(
            A.NOMINATION_REVIEW,
            args=lambda d, u: (d.posted.pk, d.comment.pk),
            method="POST",
            data=lambda d: {"publish": "1"},
            success=302,
        )
    ],
    # the council seats of a unit: the officer who organises the council or the unit's account manager
    "nominations:council_members": [
        C((A.NOMINATION_REVIEW, A.ROLE_MANAGE), query=_hn, marker=lambda d: "Người dùng mt-council-0")
    ],
    "nominations:council_member_add": [
        C((A.NOMINATION_REVIEW, A.ROLE_MANAGE), query=_hn, marker=lambda d: d.t.hn.name)
    ],
    "nominations:council_member_end": [
        C(
            (A.NOMINATION_REVIEW, A.ROLE_MANAGE),
            args=_seat,
            method="POST",
            data=_today("valid_to"),
            success=302,
        )
    ],
    "nominations:session_open": [C(A.NOMINATION_REVIEW, query=_hn, marker=lambda d: d.t.hn.name)],
    "nominations:session": [C(A.NOMINATION_REVIEW, args=_obj("session"), marker=lambda d: d.session.title)],
    "nominations:public": [
        C(
            PUBLIC,
            kind="list",
            args=lambda d, u: (d.posting.token,),  # the unguessable token, never the id
            marker=lambda d: d.posted.title,
            anonymous=200,
        )
    ],
    "nominations:revoke": [C(A.DECISION_ISSUE, args=_obj("record"), marker=_an_name)],
    # the notifications inbox: each user's own rows (the opened one is made for the user under test)
    "nominations:notifications": [C(LOGIN, kind="list")],
    "nominations:notifications_read": [C(LOGIN, kind="list", method="POST", success=302)],
    "nominations:notification_open": [C(LOGIN, kind="list", args=_notification, success=302)],
    # movements
    "movements:list": [C(A.UNIT_VIEW, query=_ubnd, marker=lambda d: d.movement.name)],
    "movements:create": [C(A.MOVEMENT_MANAGE, query=_md, marker=lambda d: d.t.md.name)],
    "movements:evaluations": [
        # the CĐCS lists its groups; a member of a group is shown through the search box
        C(
            A.EVALUATION_CHANGE,
            query=lambda d: f"don_vi={d.t.ubnd.pk}&nam=2025&q=nguyen+van+an",
            marker=_an_name,
        )
    ],
    "movements:detail": [C(A.UNIT_VIEW, args=_obj("movement"), marker=lambda d: d.movement.name)],
    # already launched: the service answers with a message after its permission check
    "movements:launch": [C(A.MOVEMENT_MANAGE, args=_obj("movement"), method="POST", success=302)],
    "movements:close": [C(A.MOVEMENT_MANAGE, args=_obj("movement"), method="POST", success=302)],
    # self-registration: any user who sees the movement gets the form (the member's own record)
    "movements:register": [C(A.UNIT_VIEW, args=_obj("movement"), marker=lambda d: d.movement.name)],
    "movements:register_bulk": [
        C(A.REGISTRATION_CHANGE, args=_obj("movement"), query=_ubnd, marker=_an_name)
    ],
    "movements:register_unit": [
        C(A.REGISTRATION_CHANGE, args=_obj("movement"), query=_ubnd, marker=_ubnd_name)
    ],
    "movements:report": [C(A.PROGRESS_REPORT, args=_obj("movement"), query=_ubnd, marker=_ubnd_name)],
    # commendations
    "commendations:index": [C(LOGIN, kind="list", success=302)],  # redirects to the registry or rule sets
    "commendations:person": [C(A.PERSON_VIEW, args=_an, marker=_an_name)],
    "commendations:unit": [C(A.PERSON_VIEW, args=lambda d, u: (d.t.ubnd.pk,), marker=_ubnd_name)],
    "commendations:records": [
        C(A.PERSON_VIEW, query=_ubnd, marker=_an_name),
        C(A.PERSON_VIEW, kind="list", marker=_an_name, label="all"),
    ],
    "commendations:record_create": [C(A.AWARD_RECORD, query=_ubnd, marker=_ubnd_name)],
    # rule sets are national, not scoped to units: read with unit.view, new versions by administrators
    "commendations:rulesets": [C(A.UNIT_VIEW, kind="list")],
    "commendations:ruleset_detail": [C(A.UNIT_VIEW, kind="list", args=_obj("ruleset"))],
    "commendations:ruleset_new": [C(A.RULESET_MANAGE, kind="list", args=_obj("ruleset"))],
    # reports
    "reports:index": [C(A.UNIT_VIEW, kind="list", success=302)],  # redirects to the user's top unit
    "reports:dashboard": [C(A.UNIT_VIEW, args=_unit("ubnd"), marker=_ubnd_name)],
    "reports:export": [C(A.UNIT_VIEW, args=lambda d, u: (d.t.ubnd.pk, "tong-hop"))],
    "reports:rebuild": [C(A.MOVEMENT_MANAGE, args=_unit("ubnd"), method="POST", success=302)],
    "reports:award_form": [C(A.UNIT_VIEW, args=_unit("ubnd"))],
    # individual awards by subject category: read from the registry, so the registry's person.view
    "reports:subject_categories": [C(A.PERSON_VIEW, args=_unit("ubnd"), marker=_ubnd_name)],
    "reports:summary_docx": [C(A.UNIT_VIEW, args=_unit("ubnd"))],
    "reports:news": [C(A.UNIT_VIEW, args=_unit("ubnd"), marker=_ubnd_name)],
    "reports:news_txt": [C(A.UNIT_VIEW, args=_unit("ubnd"))],
    "reports:news_docx": [C(A.UNIT_VIEW, args=_unit("ubnd"))],
    # documents: a unit's own documents and print layouts need movement.manage on the issuing unit
    "documents:plan": [C(A.MOVEMENT_MANAGE, args=_obj("movement"), marker=lambda d: d.movement.name)],
    "documents:plan_docx": [C(A.MOVEMENT_MANAGE, args=_obj("movement"))],
    # every PDF conversion is a background job: the POST starts it and redirects to the job page
    "documents:plan_pdf": [C(A.MOVEMENT_MANAGE, args=_obj("movement"), method="POST", success=302)],
    "documents:plan_allocate": [C(A.MOVEMENT_MANAGE, args=_obj("movement"), method="POST", success=302)],
    "documents:certificate_layouts": [
        C(A.MOVEMENT_MANAGE, query=_hn, marker=lambda d: d.layout.name),
        # without ?don_vi= the layouts of the user's first unit; a superuser has none and picks one first
        C(
            A.MOVEMENT_MANAGE,
            kind="list",
            marker=lambda d: d.layout.name,
            label="own",
            superuser_sees_marker=False,
        ),
    ],
    "documents:certificate_layout_create": [
        C(
            A.MOVEMENT_MANAGE,
            method="POST",
            data=lambda d: {"don_vi": str(d.t.hn.pk), "ten": "Mẫu in mới", "kho_giay": "A4_LANDSCAPE"},
            success=302,
        )
    ],
    "documents:certificate_layout": [
        C(A.MOVEMENT_MANAGE, args=_obj("layout"), marker=lambda d: d.layout.name)
    ],
    "documents:certificate_layout_trial": [C(A.MOVEMENT_MANAGE, args=_obj("layout"))],
    "documents:decision_certificates": [C(A.MOVEMENT_MANAGE, args=_obj("decision"))],
    "documents:record_certificate": [C(A.MOVEMENT_MANAGE, args=_obj("record"))],
    "me": [
        C(LOGIN, kind="list")
    ],  # Trang của tôi: any signed-in user (their own records, or the unlinked note)
    "documents:dossier_documents": [C(A.UNIT_VIEW, args=_obj("dossier"), marker=lambda d: d.dossier.title)],
    "documents:dossier_allocate": [C(A.NOMINATION_PREPARE, args=_obj("dossier"), method="POST", success=302)],
    "documents:dossier_document": [C(A.UNIT_VIEW, args=lambda d, u: (d.dossier.pk, "to-trinh", "docx"))],
    "documents:dossier_document_pdf": [
        C(A.UNIT_VIEW, args=lambda d, u: (d.dossier.pk, "to-trinh"), method="POST", success=302)
    ],
    "documents:council_minutes": [C(A.NOMINATION_REVIEW, args=lambda d, u: (d.session.pk, "docx"))],
    "documents:council_minutes_pdf": [
        C(A.NOMINATION_REVIEW, args=_obj("session"), method="POST", success=302)
    ],
    "documents:minutes_allocate": [C(A.NOMINATION_REVIEW, args=_obj("session"), method="POST", success=302)],
    "documents:decision_document": [C(A.UNIT_VIEW, args=lambda d, u: (d.decision.pk, "docx"))],
    "documents:decision_document_pdf": [C(A.UNIT_VIEW, args=_obj("decision"), method="POST", success=302)],
    # background builds: a job is its creator's (the roster export job needs person.view on the unit)
    "jobs:list": [C(LOGIN, kind="list")],
    "jobs:create": [
        C(
            A.PERSON_VIEW,
            method="POST",
            data=lambda d: {"kind": "roster_xlsx", "unit": str(d.t.ubnd.pk)},
            success=302,
        )
    ],
    # the import framework: a batch of past awards (award.record) on Công đoàn UBND huyện Mỹ Đức; the index
    # answers whoever may import any kind (award.record, evaluation.change, initiative.change, nomination.prepare)
    "imports:index": [
        C(
            (A.AWARD_RECORD, A.EVALUATION_CHANGE, A.INITIATIVE_CHANGE, A.NOMINATION_PREPARE),
            query=_ubnd,
            marker=_ubnd_name,
        )
    ],
    "imports:upload": [C(A.AWARD_RECORD, args=lambda d, u: ("khen-thuong",), query=_ubnd, marker=_ubnd_name)],
    "imports:template": [C(A.AWARD_RECORD, args=lambda d, u: ("khen-thuong",), kind="list")],
    "imports:status": [C(A.AWARD_RECORD, args=_obj("import_batch"), success=302)],
    "imports:mapping": [C(A.AWARD_RECORD, args=_obj("import_batch"), marker=_ubnd_name)],
    "imports:preview": [C(A.AWARD_RECORD, args=_obj("import_batch"), marker=_ubnd_name)],
    "imports:error_file": [C(A.AWARD_RECORD, args=_obj("import_batch"))],
    "imports:commit": [C(A.AWARD_RECORD, args=_obj("import_batch"), method="POST", success=302)],
    "imports:confirm": [C(A.AWARD_RECORD, args=_obj("import_batch"), method="POST", success=302)],
    "jobs:detail": [C(A.PERSON_VIEW, args=_job("roster_xlsx"), marker=lambda d: "Tệp kiểm thử ma trận")],
    "jobs:download": [C(A.PERSON_VIEW, args=_job("roster_xlsx"))],
    "jobs:retry": [C(A.PERSON_VIEW, args=_job("roster_xlsx"), method="POST", success=302)],
}
