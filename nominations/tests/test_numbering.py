"""nominations.numbering: the decision's number comes from the allocator `documents` registers; without
one, no decision is issued and nothing is written."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from commendations.models import AwardRecord
from core.models import AuditEvent
from nominations import numbering, services
from nominations.choices import DossierState
from nominations.models import Decision

from .test_workflow import _council_ready

pytestmark = pytest.mark.django_db


def _voted(tree, people, award):
    session, dossier = _council_ready(tree, people, award, [tree.an])
    for member in people["council"]:
        services.ballot_cast(acting_user=member, session=session, item=dossier.items.get(), choice="YES")
    services.council_session_close(acting_user=people["city"], session=session)
    dossier.refresh_from_db()
    return dossier


def _issue(people, dossier):
    return services.decision_issue(
        acting_user=people["leader"],
        dossier=dossier,
        issued_on=timezone.localdate(),
        signer_name="Khuất Văn Thành",
        signer_title="Chủ tịch",
        symbol="QĐ-LĐLĐ",
    )


def test_decision_takes_the_sequence_the_registered_numberer_gives(tree, people, bk_city, monkeypatch):
    dossier = _voted(tree, people, bk_city)
    calls = []

    def numberer(*, acting_user, issuer, title, issued_on, subject):
        calls.append(
            (
                acting_user,
                issuer,
                title,
                issued_on,
                subject.pk,
                Decision.objects.filter(pk=subject.pk).exists(),
            )
        )
        return 17

    monkeypatch.setattr(numbering, "_numberer", numberer)
    decision = _issue(people, dossier)
    assert decision.number == "17/QĐ-LĐLĐ" and Decision.objects.get().sequence == 17
    assert calls == [
        (
            people["leader"],
            tree.hn,
            f"Quyết định khen thưởng hồ sơ “{dossier.title}”",
            timezone.localdate(),
            decision.pk,
            True,  # called inside decision_issue's transaction, with the decision already written
        )
    ]


def test_without_a_numberer_no_decision_is_issued(tree, people, bk_city, monkeypatch):
    dossier = _voted(tree, people, bk_city)
    state = dossier.state
    monkeypatch.setattr(numbering, "_numberer", None)
    with pytest.raises(ImproperlyConfigured, match="Chưa có sổ đăng ký văn bản đi"):
        _issue(people, dossier)
    dossier.refresh_from_db()
    assert dossier.state == state == DossierState.IN_COUNCIL
    assert not Decision.objects.exists()
    assert not AuditEvent.objects.filter(action="decision.issue").exists()


def test_a_failing_numberer_rolls_the_decision_back(tree, people, bk_city, monkeypatch):
    dossier = _voted(tree, people, bk_city)

    def numberer(**kwargs):
        raise RuntimeError("sổ đăng ký không mở được")

    monkeypatch.setattr(numbering, "_numberer", numberer)
    with pytest.raises(RuntimeError):
        _issue(people, dossier)
    assert not Decision.objects.exists() and not AwardRecord.objects.exists()
