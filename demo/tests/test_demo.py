from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import RoleAssignment, User
from core.models import AuditEvent
from members.models import Membership, Person
from movements.models import Evaluation, Movement, Registration
from organizations.models import OrgUnit


def counts():
    return (
        Registration.objects.count(),
        Evaluation.objects.count(),
        OrgUnit.objects.count(),
        Person.objects.count(),
        Membership.objects.count(),
        User.objects.count(),
        RoleAssignment.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.django_db
def test_load_demo_builds_seed_organisations_and_is_idempotent(settings):
    settings.DEMO_RESTRUCTURE_2025 = True  # as `make run` loads it (the test settings keep the old tree)
    out = StringIO()
    call_command("load_demo", verbosity=0, stdout=out)
    # the summary names what each app's part created, with the labels the parts declare
    summary = out.getvalue()
    assert "Đã tạo dữ liệu mẫu: 108 đơn vị, 10184 đoàn viên, 2 phong trào, " in summary
    assert ", 1 hồ sơ đề nghị, 4 bước sắp xếp tổ chức ngày 01/07/2025, " in summary
    assert "số liệu tổng hợp." in summary
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
    # Yên Khánh was dissolved into the new Ninh Bình (demo/restructuring.py; tested in test_restructuring)
    assert OrgUnit.objects.get_parent(OrgUnit.objects.get(code="NB-YK")).code == "NB2025"
    assert User.objects.filter(username="canbo.myduc").exists()
    # issue 13: a signer at every level that decides, the CĐCS's own officer and leader, and the city's
    # council members with the council-member role (the menu, the session page) — no admin needed
    held = set(RoleAssignment.objects.values_list("user__username", "role", "unit__code", "include_subtree"))
    for account in (
        ("lanhdao.hanoi", "LEADER", "HN", True),
        ("lanhdao.myduc", "LEADER", "HN-MD", True),
        ("lanhdao.ninhbinh", "LEADER", "NB", True),
        ("canbo.ubndmyduc", "OFFICER", "HN-MD-UBND", True),
        ("lanhdao.ubndmyduc", "LEADER", "HN-MD-UBND", True),
        *((f"hoidong.hanoi{i}", "COUNCIL", "HN", True) for i in range(2, 10)),
    ):
        assert account in held, account
    # every synthetic citizen ID is 12 digits and unique
    ids = list(Person.objects.values_list("citizen_id", flat=True))
    assert all(len(i) == 12 and i.isdigit() for i in ids) and len(set(ids)) == len(ids)

    # issue 4 content: the 2024 movement of Mỹ Đức, the women's campaign, registrations, evaluations
    my_duc = OrgUnit.objects.get(code="HN-MD")
    yearly = Movement.objects.get(organiser=my_duc, year=2024, kind="YEARLY")
    assert yearly.targets.count() >= 3 and yearly.status == "CLOSED"
    women = Movement.objects.get(organiser=my_duc, year=2024, audience="WOMEN")
    assert "Giỏi việc nước, đảm việc nhà" in women.name
    ubnd_members = Membership.objects.filter(unit__path__startswith=ubnd.path, ended_on__isnull=True)
    assert (
        Registration.objects.filter(movement=yearly, person__in=ubnd_members.values("person")).count() == 245
    )
    assert not Registration.objects.filter(movement=women, person__gender="M").exists()
    current = Membership.objects.filter(ended_on__isnull=True, started_on__year__lte=2024)
    assert Evaluation.objects.filter(year=2024).count() == current.count()

    # issue 13: the counters of every year 2022–2026 are built, so no year compares with a 0
    from django.db.models import Q

    from reports.models import CounterYear
    from reports.selectors import rollup

    built = set(CounterYear.objects.filter(rebuilt_at__isnull=False).values_list("year", flat=True))
    assert built >= set(range(2022, 2027))
    hn = OrgUnit.objects.get(code="HN")
    for year in range(2022, 2027):
        end = f"{year}-12-31"
        sitting = Membership.objects.filter(unit__path__startswith=hn.path, started_on__lte=end).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=end)
        )
        assert rollup(unit=hn, year=year)["members"] == sitting.count() > 0, year

    # the awards carry their phân loại đối tượng: the report of the share to direct workers is not empty
    from commendations.models import AwardRecord

    categories = set(
        AwardRecord.objects.filter(person__isnull=False).values_list("subject_category", flat=True)
    )
    assert {"DIRECT_WORKER", "OFFICIAL", "LEADER"} <= categories

    out = StringIO()
    call_command("load_demo", verbosity=0, stdout=out)
    assert "Dữ liệu mẫu đã có sẵn, không thay đổi gì." in out.getvalue()
    assert counts() == first
    assert Movement.objects.count() == 2
