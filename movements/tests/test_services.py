import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from accounts.roles import Role
from core.exceptions import ServiceError
from core.models import AuditEvent
from movements import selectors, services
from movements.choices import Audience, MovementKind, MovementStatus
from movements.models import CollectiveEvaluation, Evaluation, Registration
from organizations.models import OrgUnitType

pytestmark = pytest.mark.django_db


class TestMovementLifecycle:
    def test_create_launch_close(self, make_movement, officer):
        movement = make_movement(launch=False)
        assert movement.status == MovementStatus.DRAFT and movement.targets.count() == 2
        assert movement.milestones.count() == 2
        services.movement_launch(acting_user=officer, movement=movement)
        movement.refresh_from_db()
        assert movement.status == MovementStatus.LAUNCHED and movement.launched_on
        with pytest.raises(ServiceError, match="không phát động lại"):
            services.movement_launch(acting_user=officer, movement=movement)
        services.movement_close(acting_user=officer, movement=movement)
        actions = list(AuditEvent.objects.filter(object_id=str(movement.pk)).values_list("action", flat=True))
        assert {"movement.create", "movement.launch", "movement.close"} <= set(actions)

    def test_validation(self, make_movement, officer, tree):
        with pytest.raises(ServiceError, match="Ngày kết thúc không được trước ngày bắt đầu"):
            services.movement_create(
                acting_user=officer,
                organiser=tree.md,
                name="X",
                kind=MovementKind.THEMATIC,
                year=2025,
                start_date=dt.date(2025, 5, 1),
                end_date=dt.date(2025, 1, 1),
            )
        with pytest.raises(ServiceError, match="nhập đơn vị tính"):
            make_movement(targets=[{"name": "Chỉ tiêu không đơn vị", "unit_of_measure": ""}])
        yearly = make_movement(launch=False, targets=[])
        with pytest.raises(ServiceError, match="ít nhất một chỉ tiêu"):
            services.movement_launch(acting_user=officer, movement=yearly)

    def test_only_managers_of_the_organiser(self, make_user, tree, make_movement):
        with pytest.raises(PermissionDenied):
            make_movement(organiser=tree.hbt)
        leader = make_user(Role.LEADER, tree.md)
        with pytest.raises(PermissionDenied):
            make_movement(user=leader)


class TestVisibilityAndScope:
    def test_units_see_ancestor_movements(self, make_movement, make_user, tree):
        city = make_user(Role.OFFICER, tree.hn)
        movement = make_movement(organiser=tree.hn, user=city)
        grassroots_member = make_user(Role.MEMBER, tree.ubnd, include_subtree=False)
        sibling_branch = make_user(Role.OFFICER, tree.nb)
        assert movement in selectors.movement_list(user=grassroots_member)
        assert movement in selectors.movement_list(user=city, unit=tree.t1)
        assert movement not in selectors.movement_list(user=sibling_branch)

    def test_scope_by_unit_type_and_sector(self, make_movement, tree):
        movement = make_movement(launch=False, unit_types=[OrgUnitType.objects.get(code="TO_CD")])
        assert services.movement_applies_to_unit(movement, tree.t1)
        assert not services.movement_applies_to_unit(movement, tree.ubnd)
        assert not services.movement_applies_to_unit(movement, tree.mk)


class TestRegistration:
    def test_member_registers_self(self, make_movement, make_user, tree):
        movement = make_movement()
        member = make_user(Role.MEMBER, tree.ubnd, include_subtree=False, person=tree.an)
        registration = services.registration_register_self(
            acting_user=member,
            movement=movement,
            titles=["LDTT", "CSTDCS"],
            commitments="Hoàn thành xuất sắc",
        )
        assert registration.unit == tree.t1 and registration.titles == ["LDTT", "CSTDCS"]
        again = services.registration_register_self(acting_user=member, movement=movement, titles=["LDTT"])
        assert again.pk == registration.pk and Registration.objects.count() == 1

    def test_women_only_campaign(self, make_movement, make_user, tree):
        movement = make_movement(
            name="Giỏi việc nước, đảm việc nhà",
            audience=Audience.WOMEN,
            kind=MovementKind.CAMPAIGN,
            targets=[],
        )
        man = make_user(Role.MEMBER, tree.ubnd, person=tree.an)
        woman = make_user(Role.MEMBER, tree.ubnd, person=tree.hoa)
        with pytest.raises(ServiceError, match="không áp dụng"):
            services.registration_register_self(acting_user=man, movement=movement, titles=["GVNDVN"])
        services.registration_register_self(acting_user=woman, movement=movement, titles=["GVNDVN"])

    def test_unit_outside_scope_cannot_register(self, make_movement, make_user, tree):
        movement = make_movement()  # organised by Mỹ Đức
        outsider = make_user(Role.MEMBER, tree.mk, person=tree.minh_khai)
        with pytest.raises(ServiceError, match="không áp dụng"):
            services.registration_register_self(acting_user=outsider, movement=movement, titles=["LDTT"])
        hbt_officer = make_user(Role.OFFICER, tree.hbt)
        with pytest.raises(PermissionDenied):  # may not register Mỹ Đức units
            services.registration_register_unit(
                acting_user=hbt_officer, movement=movement, unit=tree.ubnd, titles=["TTLDTT"]
            )
        with pytest.raises(
            ServiceError, match="không áp dụng cho tập thể"
        ):  # its own unit is out of the scope
            services.registration_register_unit(
                acting_user=hbt_officer, movement=movement, unit=tree.mk, titles=["TTLDTT"]
            )
        city = make_user(Role.OFFICER, tree.hn)
        with pytest.raises(ServiceError, match="không áp dụng cho tập thể"):
            services.registration_register_unit(
                acting_user=city, movement=movement, unit=tree.mk, titles=["TTLDTT"]
            )

    def test_draft_movement_refuses_registrations(self, make_movement, make_user, tree):
        movement = make_movement(launch=False)
        member = make_user(Role.MEMBER, tree.ubnd, person=tree.an)
        with pytest.raises(ServiceError, match="chưa phát động"):
            services.registration_register_self(acting_user=member, movement=movement, titles=["LDTT"])

    def test_bulk_is_all_or_nothing(self, make_movement, officer, tree):
        movement = make_movement()
        with pytest.raises(services.RowErrors) as exc:
            services.registration_register_bulk(
                acting_user=officer,
                movement=movement,
                persons=[tree.an, tree.hoa, tree.minh_khai],
                titles=["LDTT"],
            )
        assert exc.value.errors == [("Lê Thị Ánh", "ngoài phạm vi bạn được đăng ký hộ")]
        assert not Registration.objects.exists()
        result = services.registration_register_bulk(
            acting_user=officer, movement=movement, persons=[tree.an, tree.hoa], titles=["LDTT"]
        )
        assert result == {"created": 2, "updated": 0}
        result = services.registration_register_bulk(
            acting_user=officer,
            movement=movement,
            persons=[tree.an, tree.hoa, tree.chu_tich],
            titles=["CSTDCS"],
        )
        assert result == {"created": 1, "updated": 2}
        assert AuditEvent.objects.filter(action="registration.bulk").count() == 2

    def test_collective_registration_and_coverage(self, make_movement, officer, counted):
        tree = counted  # the members concerned come from this year's pre-rolled counters
        movement = make_movement()
        services.registration_register_unit(
            acting_user=officer,
            movement=movement,
            unit=tree.ubnd,
            titles=["TTLDXS"],
            commitments="Đạt tập thể lao động xuất sắc",
        )
        services.registration_register_bulk(
            acting_user=officer, movement=movement, persons=[tree.an], titles=["LDTT"]
        )
        rows = selectors.registration_coverage(movement=movement, units=[tree.ubnd])
        assert rows[0]["members"] == 3 and rows[0]["registered"] == 1 and rows[0]["collective"]
        rows = selectors.registration_coverage(movement=movement, units=[tree.t1, tree.t2])
        assert [(r["members"], r["registered"]) for r in rows] == [(1, 1), (1, 0)]


class TestEvaluations:
    def rows(self, tree, **over):
        base = {
            "months_worked": 12,
            "absent_days": 0,
            "maternity_days": 0,
            "discipline": "",
            "discipline_on": None,
            "note": "",
        }
        return [
            {**base, "person_id": tree.an.pk, "rating": "HTXS"},
            {**base, "person_id": tree.hoa.pk, "rating": "HTT", "maternity_days": 180},
            {**base, "person_id": tree.chu_tich.pk, "rating": "HT", **over},
        ]

    def test_grid_saves_and_updates(self, officer, tree):
        result = services.evaluation_save_grid(
            acting_user=officer, unit=tree.ubnd, year=2024, rows=self.rows(tree)
        )
        assert result == {"created": 3, "updated": 0}
        assert Evaluation.objects.get(person=tree.hoa, year=2024).maternity_days == 180
        result = services.evaluation_save_grid(
            acting_user=officer,
            unit=tree.ubnd,
            year=2024,
            rows=self.rows(tree, discipline="KHIEN_TRACH", discipline_on=dt.date(2024, 3, 10)),
        )
        assert result == {"created": 0, "updated": 1}
        assert Evaluation.objects.get(person=tree.chu_tich).discipline == "KHIEN_TRACH"
        assert AuditEvent.objects.filter(action="evaluation.grid").count() == 2

    @pytest.mark.parametrize(
        ("over", "problem"),
        [
            ({"months_worked": 13}, "số tháng công tác phải từ 0 đến 12"),
            ({"discipline": "CANH_CAO"}, "nhập ngày quyết định kỷ luật"),
            ({"discipline": "CANH_CAO", "discipline_on": dt.date(2023, 5, 1)}, "phải thuộc năm 2024"),
            ({"rating": "XYZ"}, "chọn xếp loại"),
        ],
    )
    def test_grid_is_all_or_nothing_with_row_errors(self, officer, tree, over, problem):
        with pytest.raises(services.RowErrors) as exc:
            services.evaluation_save_grid(
                acting_user=officer, unit=tree.ubnd, year=2024, rows=self.rows(tree, **over)
            )
        [(name, message)] = exc.value.errors
        assert name == "Đặng Đức Thắng" and problem in message
        assert not Evaluation.objects.exists()

    def test_officer_cannot_rate_outside_scope(self, officer, make_user, tree):
        with pytest.raises(PermissionDenied):
            services.evaluation_save_grid(
                acting_user=officer,
                unit=tree.mk,
                year=2024,
                rows=[{"person_id": tree.minh_khai.pk, "rating": "HTT", "months_worked": 12}],
            )
        # a person outside the unit cannot be slipped into the grid either
        with pytest.raises(services.RowErrors):
            services.evaluation_save_grid(
                acting_user=officer,
                unit=tree.ubnd,
                year=2024,
                rows=[{"person_id": tree.minh_khai.pk, "rating": "HTT", "months_worked": 12}],
            )

    def test_collective_rating_by_the_level_above(self, officer, make_user, tree):
        evaluation = services.collective_evaluation_save(
            acting_user=officer, unit=tree.ubnd, year=2024, rating="HTXS", score=Decimal("95.5")
        )
        assert CollectiveEvaluation.objects.get(pk=evaluation.pk).score == Decimal("95.5")
        grassroots_officer = make_user(Role.OFFICER, tree.ubnd)
        with pytest.raises(PermissionDenied):
            services.collective_evaluation_save(
                acting_user=grassroots_officer, unit=tree.ubnd, year=2024, rating="HTXS"
            )
        with pytest.raises(ServiceError, match="Điểm phải từ 0 đến 100"):
            services.collective_evaluation_save(
                acting_user=officer, unit=tree.ubnd, year=2024, rating="HT", score=Decimal("120")
            )


class TestProgressReports:
    def test_submit_and_totals(self, make_movement, officer, make_user, tree):
        movement = make_movement()
        t1, t2 = movement.targets.all()
        services.progress_report_submit(
            acting_user=officer,
            movement=movement,
            unit=tree.ubnd,
            stage="MIDYEAR",
            narrative="Sơ kết 6 tháng",
            figures={t1.pk: Decimal("96"), t2.pk: Decimal("7")},
        )
        from conftest import add_unit

        other = add_unit(tree.md, "HN-MD-X", "Công đoàn Trường THCS Đại Nghĩa", "CDCS")
        services.progress_report_submit(
            acting_user=officer,
            movement=movement,
            unit=other,
            stage="MIDYEAR",
            narrative="",
            figures={t1.pk: Decimal("100"), t2.pk: Decimal("3")},
        )
        table = selectors.progress_table(movement=movement, units=[tree.ubnd, other], stage="MIDYEAR")
        # the first target is a percentage (%): no total — 96 % and 100 % do not add up to 196 %
        assert t1.is_share and not t2.is_share
        assert [v for _, v in table["totals"]] == [None, Decimal("10")] and table["submitted"] == 2
        # re-submitting replaces the figures, never duplicates
        services.progress_report_submit(
            acting_user=officer,
            movement=movement,
            unit=other,
            stage="MIDYEAR",
            narrative="",
            figures={t1.pk: Decimal("98"), t2.pk: None},
        )
        table = selectors.progress_table(movement=movement, units=[tree.ubnd, other], stage="MIDYEAR")
        assert [v for _, v in table["totals"]] == [None, Decimal("7")]
        with pytest.raises(PermissionDenied):
            services.progress_report_submit(
                acting_user=make_user(Role.OFFICER, tree.hbt),
                movement=movement,
                unit=tree.ubnd,
                stage="FINAL",
                narrative="",
                figures={},
            )
        with pytest.raises(ServiceError, match="không được âm"):
            services.progress_report_submit(
                acting_user=officer,
                movement=movement,
                unit=other,
                stage="FINAL",
                narrative="",
                figures={t1.pk: Decimal("-1")},
            )
