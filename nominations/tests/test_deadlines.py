import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.roles import Role
from nominations import services

pytestmark = pytest.mark.django_db


def test_overdue_dossiers_are_flagged_in_the_inbox(client, tree, people):
    dossier = services.dossier_create(
        acting_user=people["cdcs"], proposing_unit=tree.ubnd, kind="YEARLY", year=2025, title="Hồ sơ nộp muộn"
    )
    client.force_login(people["cdcs"])
    assert "quá hạn" not in client.get("/de-nghi/").content.decode()
    services.deadline_set(
        acting_user=people["city"],
        organiser=tree.hn,
        year=2025,
        kind="YEARLY",
        due_on=timezone.localdate() - dt.timedelta(days=3),
    )
    page = client.get("/de-nghi/").content.decode()
    assert "1 hồ sơ đã quá hạn nộp theo lịch khen thưởng." in page and "quá hạn</span>" in page
    # the district's own, later deadline is the nearer one and wins
    services.deadline_set(
        acting_user=people["district"],
        organiser=tree.md,
        year=2025,
        kind="YEARLY",
        due_on=timezone.localdate() + dt.timedelta(days=10),
    )
    page = client.get("/de-nghi/").content.decode()
    assert (
        "quá hạn" not in page and (timezone.localdate() + dt.timedelta(days=10)).strftime("%d/%m/%Y") in page
    )

    def recent(url):  # the filtered "Hồ sơ gần đây" list only
        return client.get(url).content.decode().split("Hồ sơ gần đây", 1)[1]

    assert dossier.title in recent("/de-nghi/?trang_thai=DRAFT")
    assert dossier.title not in recent("/de-nghi/?trang_thai=DECIDED")


def test_deadline_page_and_permissions(client, tree, people, make_user):
    client.force_login(people["city"])
    response = client.post(
        f"/de-nghi/han-nop/?don_vi={tree.hn.pk}",
        {"kind": "YEARLY", "year": "2025", "due_on": "2026-01-10", "note": "Theo kế hoạch"},
    )
    assert response.status_code == 302
    assert "10/01/2026" in client.get(f"/de-nghi/han-nop/?don_vi={tree.hn.pk}").content.decode()
    client.force_login(people["outsider"])
    assert client.get(f"/de-nghi/han-nop/?don_vi={tree.hn.pk}").status_code == 404
    client.force_login(make_user(Role.COUNCIL, tree.hn))
    assert client.get(f"/de-nghi/han-nop/?don_vi={tree.hn.pk}").status_code == 403
    with pytest.raises(PermissionDenied):
        services.deadline_set(
            acting_user=people["outsider"],
            organiser=tree.hn,
            year=2025,
            kind="YEARLY",
            due_on=dt.date(2026, 1, 10),
        )
