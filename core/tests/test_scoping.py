"""One scoping mechanism (issue 11): every visible model declares its VISIBILITY and offers
`objects.restrict(user, action)`; nothing outside core/access.py and the apps' visibility.py reads scopes;
`include_subtree=False` means "this unit only" for every model; views answer 403 / 404 through
`get_visible_or_404`."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.roles import Role
from core.access import Action, Visibility, get_visible_or_404
from movements.models import Movement
from nominations.models import ApprovalStep, CouncilMember, CouncilSession, Decision, Dossier

ROOT = Path(__file__).resolve().parents[2]
SCOPE_READERS = re.compile(r"\b(user_scopes|scope_q|is_global)\s*\(")


def scoping_violations(files: dict[str, str]) -> list[str]:
    """`path:line` of every read of a user's scopes outside the kernel and the visibility declarations."""
    found = []
    for name, text in files.items():
        if name == "core/access.py" or name.endswith("/visibility.py"):
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if SCOPE_READERS.search(line) and not line.lstrip().startswith("#"):
                found.append(f"{name}:{number}")
    return found


def project_sources() -> dict[str, str]:
    sources = {}
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith((".venv/", "var/", "bench/")) or "/tests/" in rel or "/migrations/" in rel:
            continue
        if rel.startswith("browser_tests/") or rel == "conftest.py":
            continue
        sources[rel] = path.read_text(encoding="utf-8")
    return sources


def test_no_visibility_filtering_outside_the_scoped_managers():
    assert scoping_violations(project_sources()) == []


def test_the_scoping_check_catches_a_hand_written_filter():
    text = "def f(user):\n    for s in user_scopes(user, 'unit.view'):\n        pass\n"
    assert scoping_violations({"movements/selectors.py": text}) == ["movements/selectors.py:2"]
    assert scoping_violations({"movements/visibility.py": text}) == []


MUST_DECLARE = [
    "nominations.Dossier", "nominations.CouncilSession", "nominations.Decision", "jobs.BuildJob",
    "movements.Movement", "initiatives.Initiative", "clusters.Cluster", "commendations.AwardRecord",
    "organizations.OrgUnit", "members.Person", "members.Membership", "core.AuditEvent",
]  # fmt: skip


def test_visible_models_declare_their_visibility_once():
    declared = {
        m._meta.label for m in apps.get_models() if isinstance(getattr(m, "VISIBILITY", None), Visibility)
    }
    assert set(MUST_DECLARE) <= declared
    for model in apps.get_models():
        assert not hasattr(model, "SCOPE_LOOKUP"), f"{model._meta.label}: old-style scope declaration"
        if model._meta.label in declared:
            assert hasattr(model.objects.all(), "restrict"), f"{model._meta.label}.objects has no restrict()"


def _dossier(unit, *, title, state="DRAFT", steps=(), authority=None):
    dossier = Dossier.objects.create(
        proposing_unit=unit, authority=authority, kind="YEARLY", year=2025, title=title, state=state
    )
    for level in steps:
        ApprovalStep.objects.create(dossier=dossier, level=level)
    return dossier


@pytest.fixture
def dossiers(tree):
    return {
        "grassroots_draft": _dossier(tree.ubnd, title="Hồ sơ nháp của CĐCS"),
        "sent_to_district": _dossier(
            tree.ubnd, title="Hồ sơ gửi lên huyện", state="SUBMITTED", steps=[tree.md], authority=tree.hn
        ),
        "district_own": _dossier(tree.md, title="Hồ sơ của huyện", authority=tree.hn),
        "sibling": _dossier(tree.mk, title="Hồ sơ của phường Minh Khai"),
    }


@pytest.mark.django_db
def test_include_subtree_false_means_this_unit_only_for_dossiers(tree, make_user, dossiers, client):
    only_district = make_user(Role.OFFICER, tree.md, include_subtree=False)
    seen = set(Dossier.objects.restrict(only_district, Action.UNIT_VIEW).values_list("title", flat=True))
    # its own dossiers and those sent to its level — never the grassroots unions' own drafts
    assert seen == {"Hồ sơ gửi lên huyện", "Hồ sơ của huyện"}
    with_subtree = make_user(Role.OFFICER, tree.md)
    seen = set(Dossier.objects.restrict(with_subtree, Action.UNIT_VIEW).values_list("title", flat=True))
    assert seen == {"Hồ sơ nháp của CĐCS", "Hồ sơ gửi lên huyện", "Hồ sơ của huyện"}
    client.force_login(only_district)
    assert client.get(f"/de-nghi/{dossiers['grassroots_draft'].pk}/").status_code == 404
    assert client.get(f"/de-nghi/{dossiers['sent_to_district'].pk}/").status_code == 200
    assert client.get(f"/de-nghi/{dossiers['sibling'].pk}/").status_code == 404


@pytest.mark.django_db
def test_a_dossier_is_seen_by_its_authoritys_council_and_decisions_follow_it(tree, make_user, dossiers):
    seated = make_user(Role.COUNCIL, tree.nb)  # sits on Hà Nội's council, holds a role elsewhere
    CouncilMember.objects.create(unit=tree.hn, user=seated, role="MEMBER", valid_from=dt.date(2024, 1, 1))
    seen = set(Dossier.objects.restrict(seated, Action.UNIT_VIEW).values_list("title", flat=True))
    assert seen == {"Hồ sơ gửi lên huyện", "Hồ sơ của huyện"}
    decision = Decision.objects.create(
        issuing_unit=tree.hn, year=2025, sequence=1, symbol="QĐ-LĐLĐ", issued_on=dt.date(2025, 12, 1),
        dossier=dossiers["district_own"],
    )  # fmt: skip
    grassroots = make_user(Role.OFFICER, tree.ubnd)
    assert not Decision.objects.restrict(grassroots, Action.UNIT_VIEW).filter(pk=decision.pk).exists()
    district = make_user(Role.OFFICER, tree.md, include_subtree=False)
    assert Decision.objects.restrict(district, Action.UNIT_VIEW).filter(pk=decision.pk).exists()


@pytest.mark.django_db
def test_council_sessions_are_seen_by_reviewers_and_seated_members_on_the_day(tree, make_user):
    session = CouncilSession.objects.create(
        unit=tree.hn, title="Phiên họp", held_on=dt.date(2025, 12, 10), council_size=9
    )
    reviewer = make_user(Role.OFFICER, tree.hn)
    seated = make_user(Role.COUNCIL, tree.nb)
    CouncilMember.objects.create(unit=tree.hn, user=seated, role="MEMBER", valid_from=dt.date(2024, 1, 1))
    former = make_user(Role.COUNCIL, tree.nb)
    CouncilMember.objects.create(
        unit=tree.hn,
        user=former,
        role="MEMBER",
        valid_from=dt.date(2020, 1, 1),
        valid_to=dt.date(2024, 12, 31),
    )
    sibling = make_user(Role.OFFICER, tree.nb)
    visible = {
        name: CouncilSession.objects.restrict(user, Action.UNIT_VIEW).filter(pk=session.pk).exists()
        for name, user in [
            ("reviewer", reviewer),
            ("seated", seated),
            ("former", former),
            ("sibling", sibling),
        ]
    }
    assert visible == {"reviewer": True, "seated": True, "former": False, "sibling": False}


@pytest.mark.django_db
def test_movements_are_seen_along_the_path_and_include_subtree_false_stops_below(tree, make_user):
    def movement(unit, name):
        return Movement.objects.create(
            organiser=unit, name=name, kind="YEARLY", year=2025,
            start_date=dt.date(2025, 1, 1), end_date=dt.date(2025, 12, 31), status="LAUNCHED",
        )  # fmt: skip

    movement(tree.hn, "Của thành phố")
    movement(tree.md, "Của huyện")
    movement(tree.ubnd, "Của CĐCS")
    movement(tree.hbt, "Của quận bên cạnh")
    only_district = make_user(Role.OFFICER, tree.md, include_subtree=False)
    seen = set(Movement.objects.restrict(only_district, Action.UNIT_VIEW).values_list("name", flat=True))
    assert seen == {"Của thành phố", "Của huyện"}
    with_subtree = make_user(Role.OFFICER, tree.md)
    seen = set(Movement.objects.restrict(with_subtree, Action.UNIT_VIEW).values_list("name", flat=True))
    assert seen == {"Của thành phố", "Của huyện", "Của CĐCS"}


@pytest.mark.django_db
def test_get_visible_or_404_answers_403_nowhere_and_404_outside(tree, make_user, dossiers):
    inside = dossiers["district_own"]
    member = make_user(Role.MEMBER, tree.md)
    with pytest.raises(PermissionDenied):
        get_visible_or_404(Dossier, member, Action.NOMINATION_PREPARE, pk=inside.pk)
    sibling = make_user(Role.OFFICER, tree.hbt)
    for pk in (inside.pk, 10**9, "x"):
        with pytest.raises(Http404):
            get_visible_or_404(Dossier, sibling, Action.UNIT_VIEW, pk=pk)
    assert (
        get_visible_or_404(Dossier, make_user(Role.OFFICER, tree.hn), Action.UNIT_VIEW, pk=inside.pk)
        == inside
    )


@pytest.mark.django_db
def test_restrict_shows_nothing_to_anonymous_or_inactive_users(tree, make_user, dossiers):
    from django.contrib.auth.models import AnonymousUser

    assert not Dossier.objects.restrict(AnonymousUser(), Action.UNIT_VIEW).exists()
    inactive = make_user(Role.OFFICER, tree.hn, is_active=False)
    assert not Dossier.objects.restrict(inactive, Action.UNIT_VIEW).exists()
    superuser = make_user(is_superuser=True)
    assert Dossier.objects.restrict(superuser, Action.UNIT_VIEW).count() == 4
