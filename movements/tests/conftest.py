import datetime as dt

import pytest

from movements import services
from movements.choices import Audience, MilestoneKind, MovementKind


@pytest.fixture
def make_movement(officer, tree):
    def _make(
        *, organiser=None, audience=Audience.ALL, launch=True, kind=MovementKind.YEARLY, user=None, **extra
    ):
        movement = services.movement_create(
            acting_user=user or officer,
            organiser=organiser or tree.md,
            name=extra.pop("name", "Thi đua “Lao động giỏi, Lao động sáng tạo” năm 2025"),
            kind=kind,
            year=2025,
            start_date=dt.date(2025, 1, 1),
            end_date=dt.date(2025, 12, 31),
            audience=audience,
            targets=extra.pop(
                "targets",
                [
                    {"name": "Tỷ lệ đoàn viên đăng ký thi đua", "unit_of_measure": "%", "target_value": 100},
                    {
                        "name": "Số sáng kiến được công nhận",
                        "unit_of_measure": "sáng kiến",
                        "target_value": 20,
                    },
                ],
            ),
            milestones={
                MilestoneKind.LAUNCH: dt.date(2025, 2, 15),
                MilestoneKind.FINAL: dt.date(2025, 12, 15),
            },
            **extra,
        )
        if launch:
            movement = services.movement_launch(acting_user=user or officer, movement=movement)
        return movement

    return _make
