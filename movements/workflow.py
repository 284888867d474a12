"""The movement workflow as one table (`core.workflow`): DRAFT → LAUNCHED → CLOSED, by whoever manages
movements at the organiser. `movement_launch` / `movement_close` fire it; the movement page renders
exactly the transitions the user may fire."""

from __future__ import annotations

from core.access import Action
from core.workflow import Transition, Workflow

from .choices import MovementStatus as S


def organiser(movement):
    return movement.organiser


MOVEMENT = Workflow(
    [
        Transition(
            "launch",
            (S.DRAFT,),
            S.LAUNCHED,
            Action.MOVEMENT_MANAGE,
            organiser,
            "Phát động",
            audit="movement.launch",
            refusal=lambda m: (
                f"Phong trào đang ở trạng thái “{m.get_status_display()}”, không phát động lại."
            ),
        ),
        Transition(
            "close",
            (S.LAUNCHED,),
            S.CLOSED,
            Action.MOVEMENT_MANAGE,
            organiser,
            "Tổng kết, đóng phong trào",
            audit="movement.close",
            refusal="Chỉ tổng kết được phong trào đã phát động.",
        ),
    ],
    field="status",
)


def allowed_names(movement, user) -> set[str]:
    return {t.name for t in MOVEMENT.allowed(movement, user)}
