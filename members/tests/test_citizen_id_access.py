"""Issue 12, finding 10: every access to a full citizen ID (the edit form, the "Hiện số CCCD" button, an
unmasked export) writes an access-log event "person.view_citizen_id" on the person's unit, which officers
above read in the audit list ("Truy cập số CCCD") and a sibling branch does not; the number itself is never
in the log."""

import pytest
from django.db import connection
from django.urls import reverse

from accounts import roles
from accounts.roles import Role
from core.access import Action
from core.audit import ACTION_VIEW_CITIZEN_ID
from core.models import AuditEvent
from core.selectors import audit_events
from members.services import roster_export

AN_CCCD = "001085012345"  # Nguyễn Văn An, Tổ công đoàn Phòng Nội vụ (conftest)

EDIT_POST = {
    "p-family_name": "Nguyễn",
    "p-middle_name": "Văn",
    "p-given_name": "An",
    "p-gender": "M",
    "p-birth_date": "1985-05-17",
    "p-citizen_id": "",  # a disabled field ignores what is posted
    "p-phone": "0912000111",
    "m-union_role": "DOAN_VIEN",
    "m-work_mode": "NONE",
    "m-card_number": "0100000001",
}


def _access_events():
    return AuditEvent.objects.filter(action=ACTION_VIEW_CITIZEN_ID)


@pytest.fixture
def without_sensitive(monkeypatch):
    """Officers keep person.change but lose person.view_sensitive (a role set-up the roles allow)."""
    reduced = roles.ROLE_ACTIONS[Role.OFFICER] - {Action.PERSON_VIEW_SENSITIVE}
    monkeypatch.setitem(roles.ROLE_ACTIONS, Role.OFFICER, reduced)


def test_opening_the_edit_form_logs_the_access(officer_client, officer, tree):
    response = officer_client.get(reverse("members:edit", args=[tree.an.pk]))
    assert response.status_code == 200
    assert AN_CCCD in response.content.decode()
    event = _access_events().get()
    assert event.actor == officer and event.unit == tree.t1
    assert event.object_type == "members.person" and event.object_id == str(tree.an.pk)
    assert event.summary == "Xem số CCCD đầy đủ của đoàn viên “Nguyễn Văn An” (mở màn hình sửa thông tin)"
    # saving the form is no new disclosure
    officer_client.post(reverse("members:edit", args=[tree.an.pk]), {**EDIT_POST, "p-citizen_id": AN_CCCD})
    assert _access_events().count() == 1


def test_without_the_sensitive_right_the_edit_form_is_masked_and_logs_nothing(
    officer_client, tree, without_sensitive
):
    response = officer_client.get(reverse("members:edit", args=[tree.an.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert AN_CCCD not in html and "••••••••2345" in html
    assert "Bạn không có quyền xem số CCCD đầy đủ" in html
    assert not _access_events().exists()
    # saving keeps the stored number (the masked value is never written back)
    response = officer_client.post(
        reverse("members:edit", args=[tree.an.pk]), {**EDIT_POST, "p-citizen_id": "079000000000"}
    )
    assert response.status_code == 302
    tree.an.refresh_from_db()
    assert tree.an.citizen_id == AN_CCCD and tree.an.phone == "0912000111"
    assert not _access_events().exists()
    # no reveal button on the person page, and the reveal itself is refused
    page = officer_client.get(reverse("members:detail", args=[tree.an.pk])).content.decode()
    assert 'data-testid="cccd-reveal"' not in page and AN_CCCD not in page
    assert officer_client.post(reverse("members:citizen_id", args=[tree.an.pk])).status_code == 403
    assert not _access_events().exists()


def test_reveal_button_on_the_person_page(officer_client, tree, make_user, client):
    page = officer_client.get(reverse("members:detail", args=[tree.an.pk])).content.decode()
    assert 'data-testid="cccd-reveal"' in page and AN_CCCD not in page  # masked until asked
    assert not _access_events().exists()
    assert officer_client.get(reverse("members:citizen_id", args=[tree.an.pk])).status_code == 405
    response = officer_client.post(reverse("members:citizen_id", args=[tree.an.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and AN_CCCD in response.content.decode()
    assert "Lần xem này đã được ghi vào nhật ký thao tác." in response.content.decode()
    event = _access_events().get()
    assert event.unit == tree.t1 and "bấm “Hiện số CCCD” trên trang đoàn viên" in event.summary
    # a leader (person.view, no person.view_sensitive) sees the masked number and cannot reveal it
    leader = make_user(Role.LEADER, tree.md)
    client.force_login(leader)
    page = client.get(reverse("members:detail", args=[tree.an.pk])).content.decode()
    assert "••••••••2345" in page and 'data-testid="cccd-reveal"' not in page
    assert client.post(reverse("members:citizen_id", args=[tree.an.pk])).status_code == 403
    # an officer of another branch: the person is not there for them
    client.force_login(make_user(Role.OFFICER, tree.hbt))
    assert client.post(reverse("members:citizen_id", args=[tree.an.pk])).status_code == 404
    assert _access_events().count() == 1


def test_access_event_is_read_above_and_not_by_a_sibling_branch(officer_client, tree, make_user, client):
    officer_client.get(reverse("members:edit", args=[tree.an.pk]))
    event = _access_events().get()
    hn_leader = make_user(Role.LEADER, tree.hn)  # the city federation above Mỹ Đức (audit.view)
    hbt_officer = make_user(Role.OFFICER, tree.hbt)  # Hai Bà Trưng, a sibling branch
    assert event in audit_events(user=hn_leader, actions=(ACTION_VIEW_CITIZEN_ID,))
    assert event not in audit_events(user=hbt_officer)
    client.force_login(hn_leader)
    html = client.get(reverse("core:audit"), {"loai": "cccd"}).content.decode()
    assert "Truy cập số CCCD" in html and event.summary in html
    client.force_login(hbt_officer)
    html = client.get(reverse("core:audit"), {"loai": "cccd"}).content.decode()
    assert "Truy cập số CCCD" in html and event.summary not in html


def test_audit_filter_lists_reveals_and_unmasked_exports_only(officer_client, officer, tree):
    officer_client.post(reverse("members:citizen_id", args=[tree.an.pk]))  # plain POST: a page
    roster_export(acting_user=officer, unit=tree.ubnd)  # unmasked export (the screen's background job)
    officer_client.post(
        reverse("members:edit", args=[tree.hoa.pk]),
        {
            **EDIT_POST,
            "p-family_name": "Trần",
            "p-middle_name": "Thị",
            "p-given_name": "Hoa",
            "p-gender": "F",
        },
    )  # a person.update event, not an access
    html = officer_client.get(reverse("core:audit"), {"loai": "cccd"}).content.decode()
    assert "Xem số CCCD đầy đủ của đoàn viên “Nguyễn Văn An”" in html
    assert "kèm số CCCD đầy đủ" in html  # the roster export's person.export_sensitive event
    assert "Trần Thị Hoa" not in html


def test_the_number_is_not_in_the_audit_table(officer_client, officer, tree):
    """Read the audit table with raw SQL (every column, as stored) after each kind of access."""
    officer_client.get(reverse("members:edit", args=[tree.an.pk]))
    officer_client.post(reverse("members:citizen_id", args=[tree.an.pk]), HTTP_HX_REQUEST="true")
    roster_export(acting_user=officer, unit=tree.ubnd)
    assert _access_events().count() == 2
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")
        rows = cursor.fetchall()
    assert len(rows) >= 3
    for row in rows:
        for value in row:
            assert AN_CCCD not in str(value) and "001185054321" not in str(value)
