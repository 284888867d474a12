import pytest
from django.core.exceptions import ValidationError

from core.audit import audit_record
from core.models import AuditEvent


@pytest.mark.django_db
def test_audit_events_are_append_only(tree, officer):
    event = audit_record(actor=officer, action="test.do", obj=tree.ubnd, unit=tree.ubnd, summary="Thử")
    assert event.actor_name == officer.full_name
    event.summary = "Sửa"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).summary == "Thử"


@pytest.mark.django_db
def test_audit_page_lists_only_subtree_events(client, tree, officer, make_user):
    from accounts.roles import Role

    audit_record(
        actor=officer, action="orgunit.rename", obj=tree.ubnd, unit=tree.ubnd, summary="Sự kiện Mỹ Đức"
    )
    audit_record(actor=None, action="orgunit.rename", obj=tree.mk, unit=tree.mk, summary="Sự kiện Minh Khai")
    client.force_login(officer)
    page = client.get("/nhat-ky/").content.decode()
    assert "Sự kiện Mỹ Đức" in page and "Sự kiện Minh Khai" not in page
    page = client.get(f"/nhat-ky/?don_vi={tree.ubnd.pk}&loai=orgunit.").content.decode()
    assert "Sự kiện Mỹ Đức" in page
    assert client.get(f"/nhat-ky/?don_vi={tree.mk.pk}").status_code == 404
    council = make_user(Role.COUNCIL, tree.hn)
    client.force_login(council)
    assert client.get("/nhat-ky/").status_code == 403
