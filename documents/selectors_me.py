"""Reads of a member's own page ("Trang của tôi", `views_me`): the signed-in user's own records — their
membership, registrations, ratings, awards, initiatives and the submitted dossiers naming them.

Every read goes through the model's scoped manager (`restrict(user, UNIT_VIEW)`: a member always sees
their own records through the models' `self_lookup`) and is then narrowed to the user's own person, so no
one else's row can appear. A fixed number of queries, whatever the number of rows (tested)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from commendations.choices import RecordStatus
from commendations.models import AwardRecord
from core.access import Action
from initiatives.models import InitiativeAuthor
from initiatives.selectors import initiative_visible
from members.models import Membership, Person
from members.selectors import grassroots_of
from movements.choices import title_names
from movements.models import Evaluation, Registration
from nominations.models import Dossier, NominationItem
from nominations.visibility import EDITING_STATES
from organizations.selectors import orgunit_ancestors

from .certificates import blank_title

ACTION = Action.UNIT_VIEW


@dataclass
class MyPage:
    person: Person | None
    membership: Membership | None = None
    grassroots: object = None  # the CĐCS (None when the membership's unit is itself the CĐCS)
    registrations: list[tuple[int, list[dict]]] = field(default_factory=list)  # by year, newest first
    evaluations: list[Evaluation] = field(default_factory=list)
    awards: list[AwardRecord] = field(default_factory=list)
    initiatives: list[InitiativeAuthor] = field(default_factory=list)
    nominations: list[NominationItem] = field(default_factory=list)

    @property
    def valid_awards(self) -> int:
        return sum(1 for record in self.awards if record.status == RecordStatus.VALID)


def my_person(*, user) -> Person | None:
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return None
    return Person.objects.filter(pk=person_id).first()


def my_awards(*, user) -> list[AwardRecord]:
    """The user's own award records (valid and revoked), newest first, with their names and issuers."""
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return []
    records = list(
        AwardRecord.objects.restrict(user, ACTION)
        .filter(person_id=person_id)
        .select_related("award_type", "issuing_unit")
        .order_by("-year", "-decision_date", "-id")
    )
    for record in records:  # the blank the certificate is printed on, for the download button's wording
        record.is_bang_khen = blank_title(record.award_type) == "BẰNG KHEN"
    return records


def _registrations(user, person_id: int) -> list[tuple[int, list[dict]]]:
    names = title_names()
    by_year: dict[int, list[dict]] = defaultdict(list)
    rows = (
        Registration.objects.restrict(user, ACTION)
        .filter(person_id=person_id)
        .select_related("movement__organiser", "unit")
        .order_by("-movement__year", "movement__name", "id")
    )
    for registration in rows:
        by_year[registration.movement.year].append(
            {
                "registration": registration,
                "movement": registration.movement,
                # a title no longer declared keeps a readable name, never its code
                "titles": [names.get(code, "Danh hiệu không còn sử dụng") for code in registration.titles],
            }
        )
    return sorted(by_year.items(), key=lambda item: -item[0])


def _initiatives(user, person_id: int) -> list[InitiativeAuthor]:
    """The user's authorships, drafts included (they see their own), with the initiative's units."""
    return list(
        InitiativeAuthor.objects.filter(person_id=person_id, initiative__in=initiative_visible(user=user))
        .select_related("initiative__unit", "initiative__decision_unit")
        .order_by("-initiative__year", "-initiative_id")
    )


def _nominations(user, person_id: int) -> list[NominationItem]:
    """The user's own nominations in dossiers they may see — for a member, the submitted ones naming them
    (never one still being written below: `nominations.visibility`)."""
    dossiers = Dossier.objects.restrict(user, ACTION).exclude(state__in=EDITING_STATES)
    return list(
        NominationItem.objects.filter(person_id=person_id, dossier__in=dossiers)
        .select_related("dossier__proposing_unit", "award_type")
        .order_by("-dossier__year", "-dossier_id", "id")
    )


def my_page(*, user) -> MyPage:
    """Everything the member's own page shows: 9 queries with a person (its row, the membership, the
    ancestors, the user's scopes once, one per section), whatever the number of rows."""
    person = my_person(user=user)
    if person is None:
        return MyPage(person=None)
    membership = (
        Membership.objects.filter(person=person, ended_on__isnull=True)
        .select_related("unit__unit_type")
        .first()
    )
    grassroots = None
    if membership is not None and not membership.unit.unit_type.is_grassroots:
        grassroots = grassroots_of(membership.unit, orgunit_ancestors(units=[membership.unit]))
    return MyPage(
        person=person,
        membership=membership,
        grassroots=grassroots,
        registrations=_registrations(user, person.pk),
        evaluations=list(
            Evaluation.objects.restrict(user, ACTION)
            .filter(person_id=person.pk)
            .select_related("unit")
            .order_by("-year", "-id")
        ),
        awards=my_awards(user=user),
        initiatives=_initiatives(user, person.pk),
        nominations=_nominations(user, person.pk),
    )
