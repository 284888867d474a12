"""Two reviewers acting on the same step at the same moment: exactly one succeeds, the other gets a clear
message, and no AwardRecord is duplicated. Real concurrent connections need PostgreSQL (row locks)."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from commendations.models import AwardRecord, AwardType
from core.exceptions import ServiceError
from nominations import services
from nominations.choices import StepVerdict
from nominations.models import ApprovalStep, Decision

from .conftest import attach_documents

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row-lock concurrency needs PostgreSQL"),
]


def race(*calls):
    """Run the calls in parallel threads released together; return (results, errors)."""
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait()
            results.append(call())
        except ServiceError as error:
            errors.append(error.message)
        except Exception as error:  # anything else is a failure of the test, reported with its type
            errors.append(f"{type(error).__name__}: {error}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def submitted(tree, people):
    award = AwardType.objects.get(code="BK_LDLD")
    award.requires_public_posting = False
    award.save()
    dossier = services.dossier_create(
        acting_user=people["cdcs"],
        proposing_unit=tree.ubnd,
        kind="YEARLY",
        year=2025,
        title="Hồ sơ thử tranh chấp",
    )
    services.item_add(
        acting_user=people["cdcs"],
        dossier=dossier,
        award_type=award,
        person=tree.an,
        achievement_summary="Thành tích",
        achievement_id="TT-RACE",
    )
    attach_documents(people["cdcs"], dossier)
    services.dossier_submit(acting_user=people["cdcs"], dossier=dossier)
    return dossier


def test_two_reviewers_forward_the_same_step(tree, people, make_user):
    from accounts.roles import Role

    second = make_user(Role.OFFICER, tree.md)
    dossier = submitted(tree, people)
    step_id = ApprovalStep.objects.get(dossier=dossier, verdict=StepVerdict.PENDING).pk  # what both see
    results, errors = race(
        lambda: services.step_forward(
            acting_user=people["district"], dossier=dossier, note="A", step_id=step_id
        ),
        lambda: services.step_forward(acting_user=second, dossier=dossier, note="B", step_id=step_id),
    )
    assert len(results) == 1 and len(errors) == 1
    assert "đã được xử lý" in errors[0]
    assert ApprovalStep.objects.filter(dossier=dossier, verdict=StepVerdict.FORWARDED).count() == 1
    assert ApprovalStep.objects.filter(dossier=dossier, verdict=StepVerdict.PENDING).count() == 1


def test_two_leaders_issue_the_decision_at_once(tree, people, make_user):
    from accounts.roles import Role

    other_leader = make_user(Role.LEADER, tree.hn)
    dossier = submitted(tree, people)
    services.step_forward(acting_user=people["district"], dossier=dossier)
    services.step_accept(acting_user=people["city"], dossier=dossier)
    session = services.council_session_open(
        acting_user=people["city"],
        unit=tree.hn,
        title="Phiên",
        held_on=timezone.localdate(),
        dossiers=[dossier],
    )
    for member in people["council"]:
        services.ballot_cast(acting_user=member, session=session, item=dossier.items.get(), choice="YES")
    services.council_session_close(acting_user=people["city"], session=session)

    def issue(user):
        return lambda: services.decision_issue(
            acting_user=user,
            dossier=dossier,
            issued_on=timezone.localdate(),
            signer_name="Khuất Văn Thành",
            signer_title="Chủ tịch",
            symbol="QĐ-LĐLĐ",
        )

    results, errors = race(issue(people["leader"]), issue(other_leader))
    assert len(results) == 1 and len(errors) == 1
    assert Decision.objects.count() == 1
    assert AwardRecord.objects.filter(achievement_id="TT-RACE").count() == 1
