"""Issue 13: the award registry (`/khen-thuong/so-khen-thuong/`) searches by name without accents and by
decision number, and a revoked row shows its revocation decision and reason."""

from __future__ import annotations

import datetime as dt

import pytest

from commendations.choices import RecordStatus
from commendations.models import AwardType
from commendations.selectors import award_records

from .test_services import enter

pytestmark = pytest.mark.django_db

URL = "/khen-thuong/so-khen-thuong/"


@pytest.fixture
def records(officer, tree):
    an = enter(officer, tree, decision_number="45/QĐ-LĐLĐ")
    hoa = enter(officer, tree, person=tree.hoa, decision_number="46/QĐ-LĐLĐ")
    ldtt = enter(
        officer,
        tree,
        person=tree.hoa,
        award_type=AwardType.objects.get(code="LDTT"),
        decision_number="12/QĐ-LĐLĐ",
    )
    return {"an": an, "hoa": hoa, "ldtt": ldtt}


def test_search_by_name_without_accents_and_by_decision_number(officer, tree, records):
    assert list(award_records(user=officer, query="nguyen van an")) == [records["an"]]
    assert set(award_records(user=officer, query="Trần Thị Hoa")) == {records["hoa"], records["ldtt"]}
    assert list(award_records(user=officer, query="46/QĐ")) == [records["hoa"]]
    assert list(award_records(user=officer, query="46/qd-ldld")) == [records["hoa"]]  # typed without accents
    assert len(award_records(user=officer, query="")) == 3
    assert not award_records(user=officer, query="khong ai")


def test_registry_page_searches_and_shows_the_revocation(officer_client, tree, records):
    record = records["hoa"]
    record.status = RecordStatus.REVOKED
    record.revocation_ref = "99/QĐ-LĐLĐ"
    record.revoked_on = dt.date(2025, 3, 10)
    record.revoked_reason = "Hồ sơ khai không trung thực"
    record.save()
    html = officer_client.get(URL, {"q": "tran thi hoa", "don_vi": tree.md.pk}).content.decode()
    assert 'name="q"' in html and 'value="tran thi hoa"' in html
    assert "Trần Thị Hoa" in html and "Nguyễn Văn An" not in html
    assert 'data-testid="revocation"' in html
    assert "Quyết định thu hồi: 99/QĐ-LĐLĐ ngày 10/03/2025" in html and "Hồ sơ khai không trung thực" in html
    html = officer_client.get(URL, {"q": "99/QĐ"}).content.decode()  # the revocation's number finds it too
    assert "Trần Thị Hoa" in html and "Nguyễn Văn An" not in html
    html = officer_client.get(URL, {"q": "khong co ai"}).content.decode()
    assert "Không tìm thấy khen thưởng nào khớp “khong co ai”." in html
