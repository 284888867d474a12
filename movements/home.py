"""The movements' card on the home page (`organizations.tasks_panel`): launched movements that apply
to the member's own unit and that they have not registered for yet."""

from __future__ import annotations

from django.urls import reverse

from core.access import ancestor_or_self_paths
from members.choices import Gender
from members.models import Membership
from organizations.tasks_panel import TaskCard, register_home_task

from .choices import Audience, MovementStatus
from .models import Movement
from .services import _scope_unit_for, movement_applies_to_unit

LISTED = 5


def registration_tasks(page) -> list[TaskCard]:
    person_id = getattr(page.user, "person_id", None)
    if not person_id:
        return []
    membership = (
        Membership.objects.filter(person_id=person_id, ended_on__isnull=True)
        .select_related("unit__unit_type", "person")
        .first()
    )
    if membership is None:
        return []
    unit, person = membership.unit, membership.person
    movements = list(
        Movement.objects.filter(
            status=MovementStatus.LAUNCHED,
            organiser__path__in=ancestor_or_self_paths(unit.path, unit.steplen),
        )
        .exclude(audience=Audience.COLLECTIVES)
        .exclude(registrations__person_id=person_id)
        .prefetch_related("unit_types", "sectors")
        .select_related("organiser")
        .order_by("-year", "organiser__depth", "name")
    )
    if not movements:
        return []
    scope_unit = _scope_unit_for(unit)
    open_to_me = [
        m
        for m in movements
        if m.for_individuals
        and not (m.audience == Audience.WOMEN and person.gender != Gender.FEMALE)
        and movement_applies_to_unit(m, scope_unit)
    ]
    return [
        TaskCard(
            title="Phong trào thi đua đang mở đăng ký cho bạn",
            count=len(open_to_me),
            url=reverse("movements:register", args=[open_to_me[0].pk]) if open_to_me else "",
            icon="bi-flag",
            items=tuple(
                (f"{m.name} ({m.organiser.name})", reverse("movements:register", args=[m.pk]))
                for m in open_to_me[:LISTED]
            ),
        )
    ]


register_home_task("movements", order=40, context=registration_tasks)
