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
