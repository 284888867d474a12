"""Issue 13, dossier editing: remove a nominee, change the award, replace a document; the person picker
on the item form; attachments open for everyone who may read the dossier; duplicate nominations flagged;
the engine's evidence as sentences and no green "Đủ điều kiện" for an award without automatic criteria."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from commendations.models import AwardType
from core.exceptions import ServiceError
from core.models import AuditEvent
from nominations import services
from nominations.models import Dossier, NominationItem
from nominations.templatetags.verdicts import evidence, evidence_sentences

from .conftest import attach_documents

pytestmark = pytest.mark.django_db


def award(code):
    return AwardType.objects.get(code=code)


def draft(user, unit, *, title="Hồ sơ LĐTT 2025", year=2025):
    return services.dossier_create(
        acting_user=user, proposing_unit=unit, kind="YEARLY", year=year, title=title
    )


def nominate(user, dossier, person, code="LDTT", **extra):
    return services.item_add(
        acting_user=user,
        dossier=dossier,
        award_type=award(code),
        person=person,
        achievement_summary="Hoàn thành tốt nhiệm vụ",
        override_reason=extra.pop("override_reason", "Thành tích đột xuất"),
        **extra,
    )


def detail(client, dossier) -> str:
    return client.get(dossier.get_absolute_url()).content.decode()


# --- remove a nominee ---------------------------------------------------------------------------------


def test_remove_a_nominee_from_a_draft_through_the_page(client, tree, people):
    dossier = draft(people["cdcs"], tree.ubnd)
    an = nominate(people["cdcs"], dossier, tree.an)
    nominate(people["cdcs"], dossier, tree.hoa)
    client.force_login(people["cdcs"])
    remove_url = reverse("nominations:item_remove", args=[dossier.pk, an.pk])
    assert remove_url in detail(client, dossier)  # a button per nominee while the dossier is editable
    response = client.post(remove_url, follow=True)
    assert "Đã bỏ Nguyễn Văn An khỏi hồ sơ." in response.content.decode()
    assert list(dossier.items.values_list("person_id", flat=True)) == [tree.hoa.pk]
    event = AuditEvent.objects.get(action="dossier.item_remove")
    assert "Nguyễn Văn An" in event.summary and event.changes["nominee"] == ["Nguyễn Văn An", None]


def test_no_remove_button_once_submitted_and_the_service_refuses(client, tree, people):
    dossier = draft(people["cdcs"], tree.ubnd)
    item = nominate(people["cdcs"], dossier, tree.an)
    attach_documents(people["cdcs"], dossier)
    services.dossier_submit(acting_user=people["cdcs"], dossier=dossier)
    client.force_login(people["cdcs"])
    page = detail(client, dossier)
    assert reverse("nominations:item_remove", args=[dossier.pk, item.pk]) not in page
    assert 'data-testid="item-remove"' not in page
    with pytest.raises((ServiceError, PermissionDenied)):
        services.item_remove(acting_user=people["cdcs"], item=item)
    client.post(reverse("nominations:item_remove", args=[dossier.pk, item.pk]))
    assert NominationItem.objects.filter(pk=item.pk).exists()
    # back to the unit (recalled): editable again, the button is back
    services.dossier_recall(acting_user=people["cdcs"], dossier=dossier, reason="Sửa")
    assert reverse("nominations:item_remove", args=[dossier.pk, item.pk]) in detail(client, dossier)


def test_remove_is_404_outside_the_route(client, tree, people):
    dossier = draft(people["cdcs"], tree.ubnd)
    item = nominate(people["cdcs"], dossier, tree.an)
    client.force_login(people["outsider"])
    assert client.post(reverse("nominations:item_remove", args=[dossier.pk, item.pk])).status_code == 404
    other = draft(people["cdcs"], tree.ubnd, title="Khác")
    client.force_login(people["cdcs"])  # an item of another dossier through this one: 404
    assert client.post(reverse("nominations:item_remove", args=[other.pk, item.pk])).status_code == 404
    assert NominationItem.objects.filter(pk=item.pk).exists()


# --- change the award ---------------------------------------------------------------------------------


def test_change_the_award_recomputes_the_verdict_and_is_audited(client, tree, people):
    dossier = draft(people["cdcs"], tree.ubnd)
    item = nominate(people["cdcs"], dossier, tree.an, "LDTT")
    assert item.verdict["rules"] == ["R-LDTT-01", "R-LDTT-02"]
    client.force_login(people["cdcs"])
    page = detail(client, dossier)
    assert f'name="i{item.pk}-award_type"' in page  # the award can be changed from the page
    prefix = f"i{item.pk}"
    response = client.post(
        reverse("nominations:item_edit", args=[dossier.pk, item.pk]),
        {
            f"{prefix}-award_type": award("GK").pk,
            f"{prefix}-achievement_summary": "Có thành tích xuất sắc trong phong trào",
            f"{prefix}-achievement_id": "TT-2025-7",
            f"{prefix}-override_reason": "",
        },
        follow=True,
    )
    assert "Đã lưu đề nghị cho Nguyễn Văn An." in response.content.decode()
    item.refresh_from_db()
    assert item.award_type.code == "GK" and item.achievement_id == "TT-2025-7"
    assert "R-LDTT-01" not in item.verdict["rules"] and item.verdict["rules"] == ["R-GEN-01"]
    event = AuditEvent.objects.filter(action="dossier.item_update").latest("id")
    assert "đổi hình thức từ Lao động tiên tiến" in event.summary
    assert event.changes["award_type"][1] == award("GK").name


def test_the_short_form_keeps_the_award(tree, people, client):
    dossier = draft(people["cdcs"], tree.ubnd)
    item = nominate(people["cdcs"], dossier, tree.an, "LDTT")
    client.force_login(people["cdcs"])
    client.post(
        reverse("nominations:item_edit", args=[dossier.pk, item.pk]),
        {"achievement_summary": "Mới", "override_reason": "Lý do"},
    )
    item.refresh_from_db()
    assert (item.award_type.code, item.achievement_summary, item.override_reason) == ("LDTT", "Mới", "Lý do")


def test_change_the_award_refused_once_submitted(tree, people):
    dossier = draft(people["cdcs"], tree.ubnd)
    item = nominate(people["cdcs"], dossier, tree.an, "LDTT")
    attach_documents(people["cdcs"], dossier)
    services.dossier_submit(acting_user=people["cdcs"], dossier=dossier)
    with pytest.raises((ServiceError, PermissionDenied)):
        services.item_update(
            acting_user=people["cdcs"],
            item=item,
            achievement_summary="x",
            override_reason="",
            award_type=award("GK"),
        )
    item.refresh_from_db()
    assert item.award_type.code == "LDTT"


# --- documents: replace and download --------------------------------------------------------------


def test_replace_a_document_keeps_the_kind_and_audits_both_names(client, tree, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    dossier = draft(people["cdcs"], tree.ubnd)
    attach_documents(people["cdcs"], dossier)
    document = dossier.documents.get(kind="TO_TRINH")
    old_name = document.file.name
    client.force_login(people["cdcs"])
    assert reverse("nominations:document_replace", args=[dossier.pk, document.pk]) in detail(client, dossier)
    with django_capture_commit():
        client.post(
            reverse("nominations:document_replace", args=[dossier.pk, document.pk]),
            {"file": SimpleUploadedFile("to_trinh_ban_moi.pdf", b"%PDF-1.4 moi")},
        )
    document.refresh_from_db()
    assert document.kind == "TO_TRINH" and document.filename == "to_trinh_ban_moi.pdf"
    assert dossier.documents.count() == 2
    assert not document.file.storage.exists(old_name)  # replaced, not versioned
    event = AuditEvent.objects.get(action="dossier.document_replace")
    assert "to_trinh.pdf" in event.summary and "to_trinh_ban_moi.pdf" in event.summary
    response = client.get(document.get_absolute_url())
    assert b"".join(response) == b"%PDF-1.4 moi"
    # a file of a kind the rules refuse is refused on replace too
    client.post(
        reverse("nominations:document_replace", args=[dossier.pk, document.pk]),
        {"file": SimpleUploadedFile("virus.exe", b"MZ")},
    )
    document.refresh_from_db()
    assert document.filename == "to_trinh_ban_moi.pdf"


def django_capture_commit():
    """Run on_commit callbacks at once (the test runs inside a transaction)."""
    from django.db import connection

    class _Run:
        def __enter__(self):
            self.start = len(connection.run_on_commit)

        def __exit__(self, *exc):
            for _, callback, _ in connection.run_on_commit[self.start :]:
                callback()

    return _Run()


def test_attachments_open_for_everyone_who_may_read_the_dossier(
    client, tree, people, make_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    dossier = draft(people["cdcs"], tree.ubnd)
    nominate(people["cdcs"], dossier, tree.an)
    attach_documents(people["cdcs"], dossier)
    services.dossier_submit(acting_user=people["cdcs"], dossier=dossier)
    document = dossier.documents.get(kind="DANH_SACH")
    url = document.get_absolute_url()
    # the proposing unit, the reviewer at the level above and the city see the link and open the file
    for user in (people["cdcs"], people["district"], people["city"]):
        client.force_login(user)
        assert url in detail(client, dossier) and "danh_sach.pdf" in detail(client, dossier)
        response = client.get(url)
        assert response.status_code == 200, user
        assert (
            "danh_sach.pdf" in response["Content-Disposition"]
            and "attachment" in response["Content-Disposition"]
        )
        assert response.content == b"%PDF-1.4 test"
    # a sibling branch, the nominee (a member who sees only their own nomination), nobody logged in: no file
    nominee = make_user(Role.MEMBER, tree.hn, person=tree.an)
    for user in (people["outsider"], nominee):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    # a document of another dossier through this one's address: 404
    client.force_login(people["cdcs"])
    other = draft(people["cdcs"], tree.ubnd, title="Khác")
    assert client.get(reverse("nominations:document", args=[other.pk, document.pk])).status_code == 404


# --- duplicate nominations ----------------------------------------------------------------------------


def test_the_same_person_for_the_same_award_and_year_is_flagged_on_both_pages(client, tree, people):
    first = draft(people["cdcs"], tree.ubnd, title="Hồ sơ của công đoàn cơ sở")
    nominate(people["cdcs"], first, tree.an, "LDTT")
    second = draft(people["district"], tree.md, title="Hồ sơ của LĐLĐ huyện")
    client.force_login(people["district"])
    response = client.post(
        reverse("nominations:item_add", args=[second.pk]),
        {
            "person": tree.an.pk,
            "award_type": award("LDTT").pk,
            "achievement_summary": "x",
            "override_reason": "y",
        },
        follow=True,
    )
    page = response.content.decode()
    # at add time: a warning, not a block
    assert second.items.count() == 1
    assert (
        "đã được đề nghị cùng hình thức Lao động tiên tiến năm 2025 trong hồ sơ “Hồ sơ của công đoàn cơ sở”"
        in page
    )
    # the district sees the first dossier: the flag links it
    assert 'data-testid="duplicate"' in page and f'href="{first.get_absolute_url()}"' in page
    # the grassroots officer does not see the district's dossier: flagged without naming it
    client.force_login(people["cdcs"])
    page = detail(client, first)
    assert "Đã được đề nghị cùng hình thức trong hồ sơ khác" in page
    assert "Hồ sơ của LĐLĐ huyện" not in page and f'href="{second.get_absolute_url()}"' not in page


def test_other_award_other_year_or_a_refused_dossier_is_no_duplicate(client, tree, people):
    first = draft(people["cdcs"], tree.ubnd, title="Một")
    nominate(people["cdcs"], first, tree.an, "LDTT")
    nominate(people["cdcs"], first, tree.hoa, "LDTT")
    other_award = draft(people["cdcs"], tree.ubnd, title="Hai")
    nominate(people["cdcs"], other_award, tree.an, "CSTDCS")
    other_year = draft(people["cdcs"], tree.ubnd, title="Ba", year=2024)
    nominate(people["cdcs"], other_year, tree.an, "LDTT")
    refused = draft(people["cdcs"], tree.ubnd, title="Bốn")
    nominate(people["cdcs"], refused, tree.hoa, "LDTT")
    client.force_login(people["cdcs"])
    assert 'data-testid="duplicate"' not in detail(client, other_award)
    assert 'data-testid="duplicate"' not in detail(client, other_year)
    assert detail(client, first).count('data-testid="duplicate"') == 1  # Hoa, in “Bốn”
    Dossier.objects.filter(pk=refused.pk).update(state="REJECTED")
    assert 'data-testid="duplicate"' not in detail(client, first)


def test_a_unit_proposed_twice_is_flagged(client, tree, people):
    one = draft(people["district"], tree.md, title="Tập thể một")
    services.item_add(
        acting_user=people["district"],
        dossier=one,
        award_type=award("GK"),
        unit=tree.ubnd,
        achievement_summary="x",
    )
    two = draft(people["district"], tree.md, title="Tập thể hai")
    services.item_add(
        acting_user=people["district"],
        dossier=two,
        award_type=award("GK"),
        unit=tree.ubnd,
        achievement_summary="x",
    )
    client.force_login(people["district"])
    page = detail(client, two)
    assert 'data-testid="duplicate"' in page and f'href="{one.get_absolute_url()}"' in page


# --- engine output ------------------------------------------------------------------------------------


def test_evidence_reads_as_sentences_even_from_an_old_tuple_snapshot():
    assert evidence("(('Xếp loại 2026: HTXS',))") == "Căn cứ: Xếp loại 2026: HTXS."
    assert evidence(["Số ngày nghỉ năm 2025: 3", "Nghỉ thai sản năm 2025: 2 ngày"]) == (
        "Căn cứ: Số ngày nghỉ năm 2025: 3; Nghỉ thai sản năm 2025: 2 ngày."
    )
    assert evidence("Xếp loại 2025: HTT; Số ngày nghỉ năm 2025: 0") == (
        "Căn cứ: Xếp loại 2025: HTT; Số ngày nghỉ năm 2025: 0."
    )
    assert evidence("") == "" and evidence(None) == "" and evidence_sentences("()") == []
    assert evidence("(chưa có)") == "Căn cứ: (chưa có)."  # text in brackets that is no tuple stays text


def test_dossier_page_prints_evidence_as_sentences(client, tree, people):
    dossier = draft(people["cdcs"], tree.ubnd)
    item = nominate(people["cdcs"], dossier, tree.an, "LDTT")
    verdict = dict(item.verdict)
    verdict["criteria"] = [
        {
            "rule": "R-LDTT-01",
            "passed": True,
            "explanation": "Xếp loại năm 2026: HTXS",
            "evidence": "(('Xếp loại 2026: HTXS',))",
        }
    ]
    NominationItem.objects.filter(pk=item.pk).update(verdict=verdict)
    client.force_login(people["cdcs"])
    page = detail(client, dossier)
    assert "Căn cứ: Xếp loại 2026: HTXS." in page
    assert "((" not in page and "&#x27;Xếp loại" not in page and "',)" not in page


def test_an_award_without_automatic_criteria_is_not_shown_as_eligible(client, tree, people):
    dossier = draft(people["district"], tree.md, title="Giấy khen")
    gk = services.item_add(
        acting_user=people["district"],
        dossier=dossier,
        award_type=award("GK"),
        unit=tree.ubnd,
        achievement_summary="x",
    )
    assert gk.eligible and gk.verdict["rules"] == ["R-GEN-01"]  # only R-GEN-01 ran
    client.force_login(people["district"])
    page = detail(client, dossier)
    assert "Chưa có tiêu chí tự động — cán bộ kiểm tra hồ sơ" in page
    assert "text-bg-success" not in page.split("Danh sách đề nghị", 1)[1].split("Tài liệu", 1)[0]
    # an award with criteria still says "Đủ điều kiện" when they pass — and LĐTT's failure stays red
    ldtt = draft(people["cdcs"], tree.ubnd)
    nominate(people["cdcs"], ldtt, tree.an, "LDTT")
    client.force_login(people["cdcs"])
    page = detail(client, ldtt)
    assert "Chưa đủ điều kiện" in page and "Chưa có tiêu chí tự động" not in page


# --- the person picker on the item form -------------------------------------------------------------


def test_item_form_uses_the_picker_bounded_for_a_big_unit(
    client, tree, people, django_assert_max_num_queries
):
    from members.tests.test_picker import bulk_people

    bulk_people(tree.t2, [f"Nguyễn Văn Thành{i:04d}" for i in range(3000)])
    dossier = draft(people["cdcs"], tree.ubnd)
    client.force_login(people["cdcs"])
    url = reverse("nominations:item_add", args=[dossier.pk])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200 and len(response.content) < 200_000
    assert "Thành0001" not in page and "Nguyễn Văn An" not in page  # no list of members in the page
    assert reverse("members:person_search") in page and "quyen=nomination.prepare" in page
    assert f"don_vi={tree.ubnd.pk}" in page
    # picking works by pk; another branch's member is refused, nothing added
    response = client.post(
        url, {"person": tree.minh_khai.pk, "award_type": award("LDTT").pk, "achievement_summary": "x"}
    )
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    assert not dossier.items.exists()
    response = client.post(
        url,
        {
            "person": tree.hoa.pk,
            "award_type": award("LDTT").pk,
            "achievement_summary": "x",
            "override_reason": "y",
        },
    )
    assert response.status_code == 302 and dossier.items.get().person == tree.hoa
    # a unit outside the proposing unit is refused too
    response = client.post(
        url, {"unit": tree.mk.pk, "award_type": award("GK").pk, "achievement_summary": "x"}
    )
    assert response.status_code == 200 and dossier.items.count() == 1


def test_dossier_page_queries_do_not_grow_with_the_nominees(client, tree, people):
    """The edit form of every nominee and the duplicate check read the award types and the other
    dossiers once for the page, not once per nominee."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from members.tests.test_picker import bulk_people

    dossier = draft(people["cdcs"], tree.ubnd)
    client.force_login(people["cdcs"])
    people_ = bulk_people(tree.t2, [f"Lê Văn Số{i}" for i in range(8)])
    counts = []
    for batch in (people_[:2], people_[2:]):
        for person in batch:
            nominate(people["cdcs"], dossier, person)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(dossier.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[1] == counts[0], counts
