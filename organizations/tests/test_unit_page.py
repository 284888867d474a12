"""The unit page shows, per child unit, registration coverage and recognised initiatives, and the
figures roll up to the parent — in a number of queries that does not grow with the tree."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from conftest import add_person, add_unit
from initiatives.models import Initiative
from movements import services
from organizations.models import OrgUnit

pytestmark = pytest.mark.django_db


def recognised(unit, title, year=2025):
    return Initiative.objects.create(
        title=title,
        unit=unit,
        year=year,
        status="RECOGNIZED",
        recognition_level="CO_SO",
        recognized_on=dt.date(year, 11, 10),
    )


def test_children_show_coverage_and_initiatives_rolling_up(client, make_user, officer, counted):
    tree = counted  # the members concerned: this year's pre-rolled counters
    city = make_user(Role.OFFICER, tree.hn)
    movement = services.movement_create(
        acting_user=city,
        organiser=tree.hn,
        name="Thi đua năm 2025",
        kind="YEARLY",
        year=2025,
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2025, 12, 31),
        targets=[{"name": "Tỷ lệ đăng ký", "unit_of_measure": "%", "target_value": 100}],
    )
    services.movement_launch(acting_user=city, movement=movement)
    services.registration_register_bulk(
        acting_user=officer, movement=movement, persons=[tree.an, tree.hoa], titles=["LDTT"]
    )
    recognised(tree.t1, "Số hóa hồ sơ một cửa")
    recognised(tree.t2, "Phần mềm quản lý công văn")
    recognised(tree.mk, "Cải tiến tiếp công dân")
    client.force_login(city)

    page = client.get(f"/don-vi/{tree.hn.pk}/").content.decode()
    assert "Năm 2025: 3 sáng kiến được công nhận trong toàn đơn vị." in page
    # Mỹ Đức row: 2 of 3 registered (66,7 %), 2 initiatives; Hai Bà Trưng row: 0 of 1, 1 initiative
    md_row = page[page.index("Liên đoàn Lao động huyện Mỹ Đức</a>") :]
    md_row = md_row[: md_row.index("</tr>")]
    assert "66,7 %" in md_row and ">2</td>" in md_row
    hbt_row = page[page.index("Liên đoàn Lao động quận Hai Bà Trưng</a>") :]
    hbt_row = hbt_row[: hbt_row.index("</tr>")]
    assert "0,0 %" in hbt_row and ">1</td>" in hbt_row
    page = client.get(f"/don-vi/{tree.md.pk}/").content.decode()
    assert "Năm 2025: 2 sáng kiến được công nhận trong toàn đơn vị." in page

    url = f"/don-vi/{tree.hn.pk}/"
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(6):
        cdcs = add_unit(OrgUnit.objects.get(pk=tree.md.pk), f"HN-MD-Q{i}", f"Công đoàn Trường số {i}", "CDCS")
        recognised(cdcs, f"Sáng kiến số {i}")
        add_person(cdcs, f"Ngô Thị Mới{i}")
    add_unit(OrgUnit.objects.get(pk=tree.hn.pk), "HN-NEW", "Liên đoàn Lao động quận mới", "LDLD_HUYEN")
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert "Năm 2025: 9 sáng kiến được công nhận trong toàn đơn vị." in page
    assert len(many) == len(few)
