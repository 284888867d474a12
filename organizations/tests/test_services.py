import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from accounts.roles import Role
from core.exceptions import ServiceError
from core.models import AuditEvent
from members.models import Membership
from organizations import services
from organizations.models import OrgUnit, OrgUnitType


def fresh(unit):
    return OrgUnit.objects.get(pk=unit.pk)


@pytest.mark.django_db
class TestCreateAndRename:
    def test_create_child_writes_audit(self, tree, officer):
        unit = services.orgunit_create(
            acting_user=officer,
            parent=tree.md,
            name="Công đoàn Trường THCS Đại Nghĩa",
            code="HN-MD-DN",
            unit_type=OrgUnitType.objects.get(code="CDCS"),
        )
        assert fresh(unit).path.startswith(tree.md.path)
        assert AuditEvent.objects.filter(action="orgunit.create", object_id=str(unit.pk)).exists()

    def test_create_rejects_duplicate_code_in_vietnamese(self, tree, officer):
        with pytest.raises(ServiceError, match="Mã đơn vị “HN-MD-UBND” đã được dùng"):
            services.orgunit_create(
                acting_user=officer,
                parent=tree.md,
                name="X",
                code="HN-MD-UBND",
                unit_type=OrgUnitType.objects.get(code="CDCS"),
            )

    def test_create_outside_scope_is_refused(self, tree, officer):
        with pytest.raises(PermissionDenied):
            services.orgunit_create(
                acting_user=officer,
                parent=tree.hbt,
                name="X",
                code="X",
                unit_type=OrgUnitType.objects.get(code="CDCS"),
            )

    def test_rename_keeps_old_name_in_history(self, tree, officer):
        services.orgunit_rename(
            acting_user=officer,
            unit=tree.ubnd,
            name="Công đoàn cơ quan UBND huyện Mỹ Đức",
            reason="Quyết định 12/QĐ-LĐLĐ",
        )
        unit = fresh(tree.ubnd)
        assert unit.name == "Công đoàn cơ quan UBND huyện Mỹ Đức"
        assert set(unit.history.values_list("name", flat=True)) >= {"Công đoàn Ủy ban nhân dân huyện Mỹ Đức"}
        event = AuditEvent.objects.get(action="orgunit.rename")
        assert event.changes["name"] == ["Công đoàn Ủy ban nhân dân huyện Mỹ Đức", unit.name]
        assert fresh(unit).search_text.startswith("cong doan co quan ubnd huyen my duc")


@pytest.mark.django_db
class TestMove:
    def test_move_cdcs_keeps_members_history_and_audit(self, tree, make_user):
        city = make_user(Role.OFFICER, tree.hn)
        services.orgunit_rename(acting_user=city, unit=tree.ubnd, name="Công đoàn UBND huyện Mỹ Đức")
        members_before = set(
            Membership.objects.filter(unit__path__startswith=tree.ubnd.path).values_list("pk", flat=True)
        )
        services.orgunit_move(
            acting_user=city, unit=tree.ubnd, new_parent=tree.hbt, reason="Điều chỉnh địa giới"
        )
        ubnd, hbt = fresh(tree.ubnd), fresh(tree.hbt)
        assert ubnd.path.startswith(hbt.path)
        # the groups moved with it, and the members with the groups
        assert fresh(tree.t1).path.startswith(ubnd.path)
        members_after = set(
            Membership.objects.filter(unit__path__startswith=ubnd.path).values_list("pk", flat=True)
        )
        assert members_after == members_before and len(members_after) == 3
        assert not Membership.objects.filter(unit__path__startswith=fresh(tree.md).path).exists()
        # earlier audit events still belong to the unit, and now appear under the new parent's subtree
        events = AuditEvent.objects.filter(unit__path__startswith=hbt.path).values_list("action", flat=True)
        assert {"orgunit.rename", "orgunit.move"} <= set(events)
        assert ubnd.history.filter(name="Công đoàn UBND huyện Mỹ Đức").exists()
        assert fresh(tree.md).numchild == 0 and hbt.numchild == 2

    def test_cannot_move_into_own_subtree(self, tree, make_user):
        city = make_user(Role.OFFICER, tree.hn)
        with pytest.raises(ServiceError, match="chính nó"):
            services.orgunit_move(acting_user=city, unit=tree.md, new_parent=tree.ubnd)

    def test_move_needs_rights_on_both_ends(self, tree, officer):
        with pytest.raises(PermissionDenied):
            services.orgunit_move(acting_user=officer, unit=tree.ubnd, new_parent=tree.hbt)
        assert fresh(tree.ubnd).path.startswith(tree.md.path)


@pytest.mark.django_db
class TestMerge:
    def test_merge_two_units_keeps_members_and_history(self, tree, make_user):
        city = make_user(Role.OFFICER, tree.hn)
        other = services.orgunit_create(
            acting_user=city,
            parent=tree.hbt,
            name="Công đoàn phường Bách Khoa",
            code="HN-HBT-BK",
            unit_type=OrgUnitType.objects.get(code="CDCS"),
        )
        from conftest import add_person

        bk_member = add_person(other, "Hoàng Thị Mai", card="0100000099")
        on = dt.date(2025, 7, 1)
        services.orgunit_merge(
            acting_user=city,
            sources=[fresh(tree.mk)],
            target=fresh(other),
            merged_on=on,
            reason="Sắp xếp đơn vị hành chính",
        )
        mk = fresh(tree.mk)
        assert mk.valid_to == dt.date(2025, 6, 30) and mk.successor_id == other.pk
        # the member of Minh Khai: old membership closed, new one open in the target, same card
        memberships = list(Membership.objects.filter(person=tree.minh_khai).order_by("started_on"))
        assert [m.unit_id for m in memberships] == [mk.pk, other.pk]
        assert memberships[0].ended_on == dt.date(2025, 6, 30) and memberships[1].ended_on is None
        assert memberships[1].card_number == "0100000004"
        assert Membership.objects.filter(unit=other, ended_on__isnull=True).count() == 2
        assert bk_member.memberships.get().unit_id == other.pk
        # nothing deleted, audit on both sides
        assert OrgUnit.objects.filter(pk=mk.pk).exists()
        assert AuditEvent.objects.filter(action="orgunit.merge", object_id=str(mk.pk)).exists()
        assert AuditEvent.objects.filter(action="orgunit.merge_in", object_id=str(other.pk)).exists()

    def test_merge_moves_child_units(self, tree, make_user):
        city = make_user(Role.OFFICER, tree.hn)
        services.orgunit_merge(
            acting_user=city, sources=[fresh(tree.hbt)], target=fresh(tree.md), merged_on=dt.date(2025, 7, 1)
        )
        assert fresh(tree.mk).path.startswith(fresh(tree.md).path)
        assert fresh(tree.hbt).numchild == 0
        assert (
            Membership.objects.filter(
                unit__path__startswith=fresh(tree.md).path, ended_on__isnull=True
            ).count()
            == 4
        )

    def test_merge_refuses_ended_units_and_self(self, tree, make_user):
        city = make_user(Role.OFFICER, tree.hn)
        with pytest.raises(ServiceError):
            services.orgunit_merge(acting_user=city, sources=[tree.md], target=tree.md)
        services.orgunit_merge(
            acting_user=city, sources=[fresh(tree.mk)], target=fresh(tree.ubnd), merged_on=dt.date(2025, 7, 1)
        )
        with pytest.raises(ServiceError, match="hết hiệu lực"):
            services.orgunit_merge(
                acting_user=city,
                sources=[fresh(tree.ubnd)],
                target=fresh(tree.mk),
                merged_on=dt.date(2025, 8, 1),
            )
