import pytest
from django.core.management import call_command

from accounts.models import RoleAssignment, User
from core.models import AuditEvent
from members.models import Membership, Person
from organizations.models import OrgUnit


def counts():
    return (
        OrgUnit.objects.count(),
        Person.objects.count(),
        Membership.objects.count(),
        User.objects.count(),
        RoleAssignment.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.django_db
def test_load_demo_builds_seed_organisations_and_is_idempotent():
    call_command("load_demo", verbosity=0)
    first = counts()
    ubnd = OrgUnit.objects.get(code="HN-MD-UBND")
    assert ubnd.name == "Công đoàn Ủy ban nhân dân huyện Mỹ Đức"
    assert Membership.objects.filter(unit__path__startswith=ubnd.path, ended_on__isnull=True).count() == 245
    assert OrgUnit.objects.filter(path__startswith=ubnd.path, unit_type__code="TO_CD").count() == 18
    vc = OrgUnit.objects.get(code="HN-CDVC")
    assert OrgUnit.objects.filter(path__startswith=vc.path, unit_type__code="CDCS").count() == 63
    assert Membership.objects.filter(unit__path__startswith=vc.path).count() == 8889
    mk = OrgUnit.objects.get(code="HN-HBT-MK")
    assert Membership.objects.filter(unit=mk).count() == 27
    assert OrgUnit.objects.get_parent(OrgUnit.objects.get(code="NB-YK")).code == "NB"
    assert User.objects.filter(username="canbo.myduc").exists()
    # every synthetic citizen ID is 12 digits and unique
    ids = list(Person.objects.values_list("citizen_id", flat=True))
    assert all(len(i) == 12 and i.isdigit() for i in ids) and len(set(ids)) == len(ids)

    call_command("load_demo", verbosity=0)
    assert counts() == first
