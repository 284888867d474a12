"""The permission matrix, generated from the URL resolver: every URL name × every role × (in scope, out
of scope, logged out), plus a superuser.

- The URL names come from `django.urls.get_resolver()` (`matrix_entries.url_names`); each must have an
  entry in `matrix_entries.ENTRIES` (the action the view requires, how to build its URL, the method, the
  kind) — a new URL without an entry fails `test_every_url_name_has_an_entry`.
- The expected status is derived from the entry and `accounts.roles.actions_for_role(role)`: a role that
  lacks the action gets 403; holding it in scope (an assignment on LĐLĐ thành phố Hà Nội with its
  subtree, above every object) gives the view's success code with the object shown; holding it out of
  scope (an assignment on LĐLĐ quận Hai Bà Trưng, the sibling branch) gives 404 for a detail view and the
  success code without the object for a list; logged out → the login page (public pages excepted); a
  superuser always succeeds.
- Where a view disagrees today, `KNOWN_GAPS` records what it answers and why; the test asserts that
  observed answer, so fixing the view fails the test until its gap is removed.

The data is built once for the module (`matrix`); every request runs in a savepoint rolled back after it,
so POSTs leave nothing behind for the next role.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client, override_settings

from accounts.roles import Role, actions_for_role
from accounts.tests import matrix_data
from accounts.tests.matrix_entries import (
    ENTRIES,
    LOGIN,
    PUBLIC,
    SUMMARY,
    Case,
    coverage_problems,
    url_names,
)

LOGIN_PATH = "/dang-nhap/"
SCOPES = ("in", "out", "anon")

# (case id, role, scope) → (observed status, why the view differs from the derived expectation).
# A case id is the URL name, or "name [label]" for a second case of the same URL name.
KNOWN_GAPS: dict[tuple[str, str, str], tuple[int | str, str]] = {}
_LACKING = (Role.LEADER, Role.COUNCIL, Role.MEMBER)  # the roles without the write actions below


def _gap(cid: str, roles, scopes, observed: int | str, reason: str) -> None:
    for role in roles:
        for scope in scopes:
            KNOWN_GAPS[(cid, role, scope)] = (observed, reason)


# By design, not a defect: these answer 404 (never 403) to a role without the action, because the right
# to see them is not given by roles alone — a council seat shows a session, an author or creator sees
# their own draft initiative, a creator their own build. The same answer as for a missing object.
for _cid in (
    "nominations:session",
    "documents:council_minutes",
    "documents:council_minutes_pdf",
    "documents:minutes_allocate",
):
    _gap(_cid, _LACKING, ["in", "out"], 404, "a council seat, not a role, shows a session: 404 only")
for _cid in ("initiatives:edit", "initiatives:submit"):
    _gap(_cid, _LACKING, ["in", "out"], 404, "a draft is seen by its authors and creator only: 404 only")
for _cid in ("jobs:detail", "jobs:download", "jobs:retry"):
    _gap(
        _cid,
        [Role.MEMBER],
        ["in", "out"],
        404,
        "a job is seen by its creator while they hold the builder's action: 404 only",
    )
# A member's right (no nomination action: the member and council-member roles) shows a dossier only to
# its own nominees once submitted (nominations.visibility): the matrix's draft is 404 on its pages and
# absent from the list.
for _cid in (
    "nominations:detail",
    "nominations:document",  # a file attached to the dossier
    "documents:dossier_documents",
    "documents:dossier_document",
    "documents:dossier_document_pdf",
    "documents:decision_document",  # a decision is seen with its dossier (Via("dossier"))
    "documents:decision_document_pdf",
):
    _gap(_cid, [Role.COUNCIL, Role.MEMBER], ["in"], 404, "a member sees only the dossiers naming them")
_gap("nominations:inbox", [Role.COUNCIL, Role.MEMBER], ["in"], 200, "listed only where they are a nominee")


def case_id(name: str, case: Case) -> str:
    return f"{name} [{case.label}]" if case.label else name


def expected(case: Case, role: str | None, scope: str) -> int | str:
    """What the matrix says this role gets on this case: a status code, or "login"."""
    if scope == "anon":
        return case.anonymous
    if role is None:  # superuser
        return case.success
    # a tuple of actions: the view accepts any one of them (the council seats: reviewer or account manager)
    actions = case.action if isinstance(case.action, tuple) else (case.action,)
    holds = any(a in (PUBLIC, LOGIN) or a in actions_for_role(role) for a in actions)
    if not holds:
        return 403
    if scope == "in" or case.kind == "list":
        return case.success
    return 404


def _observe(response) -> int | str:
    if response.status_code == 302 and response.get("Location", "").startswith(LOGIN_PATH):
        return "login"
    return response.status_code


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker):
    """The matrix data, built once and rolled back when the module is done."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield matrix_data.build()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def no_libreoffice(monkeypatch):
    """PDF versions of Word documents without LibreOffice (the conversion is not what is tested here):
    the PDF jobs start as if LibreOffice were installed and their builders convert to a stub."""
    import documents.builders
    import documents.views

    monkeypatch.setattr(documents.views, "soffice_path", lambda: "soffice")
    monkeypatch.setattr(documents.builders, "docx_to_pdf", lambda content: b"%PDF-1.4 converted")


def _request(d, case: Case, name: str, user) -> tuple[int | str, str | None, str]:
    """Run one request in a savepoint rolled back afterwards: (observed, body or None for files, detail)."""
    from django.urls import reverse

    with transaction.atomic():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        url = reverse(name, args=case.args(d, user))
        if case.query:
            url = f"{url}?{case.query(d)}"
        if case.method == "POST":
            response = client.post(url, case.data(d) if case.data else {})
        else:
            response = client.get(url)
        transaction.set_rollback(True)
    body = None
    if response.streaming:
        # read to the end: the test client closes a streamed response (FileResponse) only then, with the
        # database connection left open (closing it directly would close the connection on PostgreSQL)
        b"".join(response.streaming_content)
    elif response.get("Content-Type", "").startswith("text/"):
        body = response.content.decode(errors="replace")
    detail = url
    if response.status_code >= 500 and getattr(response, "exc_info", None):
        detail += f" — {response.exc_info[1]!r}"
    return _observe(response), body, detail


def _check(d, name: str, case: Case) -> list[str]:
    problems = []
    cid = case_id(name, case)
    marker = case.marker(d) if case.marker else None
    subjects = [(role, scope, d.users[(role, scope)]) for role in Role for scope in ("in", "out")]
    subjects += [(None, "anon", None), (None, "superuser", d.superuser)]
    for role, scope, user in subjects:
        want = expected(case, role, scope)
        shows_object = want == case.success and (
            case.action == PUBLIC or scope == "in" or (scope == "superuser" and case.superuser_sees_marker)
        )
        gap = KNOWN_GAPS.get((cid, role, scope)) if role else None
        got, body, detail = _request(d, case, name, user)
        who = f"{cid} · {role or scope} · {scope}"
        if gap is not None:
            if got != gap[0]:
                problems.append(f"{who}: known gap {gap[0]} now answers {got} ({detail}) — update KNOWN_GAPS")
            continue
        if got != want:
            problems.append(f"{who}: expected {want}, got {got} ({detail})")
            continue
        if marker and body is not None:
            if shows_object and marker not in body:
                problems.append(f"{who}: {want} but “{marker}” is not shown ({detail})")
            if not shows_object and marker in body:
                problems.append(f"{who}: {want} shows “{marker}” of the other branch ({detail})")
    return problems


# ------------------------------------------------------------------------------------------ coverage
def test_every_url_name_has_an_entry():
    names = url_names()
    missing, stale = coverage_problems(names, ENTRIES)
    assert not missing, f"URL names without a permission-matrix entry in matrix_entries.ENTRIES: {missing}"
    assert not stale, f"matrix_entries.ENTRIES names URLs that no longer exist: {stale}"
    cases = sum(len(v) for v in ENTRIES.values())
    SUMMARY[:] = [
        f"permission matrix: {len(names)} URL names ({cases} cases) × {len(Role)} roles × {len(SCOPES)} "
        f"scopes + superuser; {len(KNOWN_GAPS)} known gaps"
    ]


@override_settings(ROOT_URLCONF="accounts.tests.matrix_extra_urls")
def test_a_url_added_without_an_entry_is_reported():
    """The test of the test: one more URL in the urlconf is reported as missing, by name."""
    missing, stale = coverage_problems(url_names(), ENTRIES)
    assert missing == ["matrix_extra:new_screen"]
    assert stale == []
    names_without = [n for n in url_names() if n != "organizations:detail"]
    assert coverage_problems(names_without, ENTRIES) == (
        ["matrix_extra:new_screen"],
        ["organizations:detail"],
    )


def test_admin_and_language_switch_are_skipped():
    names = url_names()
    assert not any(n.startswith("admin:") for n in names)
    assert "set_language" not in names
    assert "nominations:detail" in names and "core:home" in names


def test_expectations_are_derived_from_the_roles():
    from core.access import Action

    case = Case(Action.NOMINATION_PREPARE)
    assert expected(case, Role.OFFICER, "in") == 200
    assert expected(case, Role.OFFICER, "out") == 404
    assert expected(case, Role.LEADER, "in") == 403
    assert expected(case, Role.LEADER, "out") == 403
    assert expected(case, None, "superuser") == 200
    assert expected(case, Role.OFFICER, "anon") == "login"
    listing = Case(Action.UNIT_VIEW, kind="list")
    assert expected(listing, Role.MEMBER, "out") == 200
    assert expected(Case(PUBLIC, anonymous=200), Role.MEMBER, "anon") == 200
    either = Case((Action.NOMINATION_REVIEW, Action.ROLE_MANAGE))
    assert expected(either, Role.OFFICER, "in") == 200  # the reviewer
    assert expected(either, Role.LEADER, "in") == 200  # the account manager
    assert expected(either, Role.COUNCIL, "in") == 403


def test_known_gaps_name_real_cases():
    ids = {case_id(name, case) for name, cases in ENTRIES.items() for case in cases}
    for cid, role, scope in KNOWN_GAPS:
        assert cid in ids and role in Role.values and scope in ("in", "out"), (cid, role, scope)


# ------------------------------------------------------------------------------------------ the matrix
@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_permission_matrix(matrix, no_libreoffice, name):
    problems = []
    for case in ENTRIES[name]:
        problems += _check(matrix, name, case)
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------------------------------ beyond the matrix
@pytest.mark.django_db
def test_unit_scoped_assignment_without_subtree(matrix):
    """An officer of the CĐCS itself (not its subtree) sees the unit but not the members of its groups."""
    t = matrix.t
    client = Client()
    client.force_login(matrix_data.user("mt-cdcs-only", Role.OFFICER, t.ubnd, include_subtree=False))
    assert client.get(f"/don-vi/{t.ubnd.pk}/").status_code == 200
    assert client.get(f"/don-vi/{t.t1.pk}/").status_code == 404
    assert client.get(f"/doan-vien/{t.chu_tich.pk}/").status_code == 200
    assert client.get(f"/doan-vien/{t.an.pk}/").status_code == 404
