import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from commendations.models import AwardType
from nominations import services
from nominations.models import Dossier, NominationItem

from .conftest import attach_documents

pytestmark = pytest.mark.django_db


def test_prepare_submit_review_through_the_screens(client, tree, people, bk_city):
    client.force_login(people["cdcs"])
    response = client.post(
        f"/de-nghi/lap/?don_vi={tree.ubnd.pk}",
        {"title": "Đề nghị Bằng khen năm 2025", "kind": "YEARLY", "year": "2025"},
    )
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and dossier.proposing_unit == tree.ubnd
    response = client.post(
        f"/de-nghi/{dossier.pk}/de-nghi/",
        {"person": tree.an.pk, "award_type": bk_city.pk, "achievement_summary": "Hoàn thành xuất sắc"},
    )
    assert response.status_code == 302 and NominationItem.objects.count() == 1
    # submitting without documents: a clear message, nothing moves
    client.post(f"/de-nghi/{dossier.pk}/xu-ly/", {"action": "submit"})
    page = client.get(f"/de-nghi/{dossier.pk}/").content.decode()
    assert "Hồ sơ còn thiếu: Tờ trình, Danh sách đề nghị." in page and "Đang soạn" in page
    for kind in ("TO_TRINH", "DANH_SACH"):
        client.post(
            f"/de-nghi/{dossier.pk}/tai-lieu/",
            {"kind": kind, "file": SimpleUploadedFile(f"{kind}.pdf", b"%PDF-1.4")},
        )
    client.post(f"/de-nghi/{dossier.pk}/xu-ly/", {"action": "submit"})
    dossier.refresh_from_db()
    assert dossier.state == "IN_REVIEW"

    client.force_login(people["district"])
    inbox = client.get("/de-nghi/").content.decode()
    assert "Đề nghị Bằng khen năm 2025" in inbox and "Chờ tôi xét duyệt" in inbox
    step = dossier.steps.get(verdict="PENDING")
    client.post(f"/de-nghi/{dossier.pk}/xu-ly/", {"action": "forward", "step": step.pk, "reason": "Đồng ý"})
    # a stale second click on the same step gets a clear message, not an error page
    response = client.post(
        f"/de-nghi/{dossier.pk}/xu-ly/", {"action": "forward", "step": step.pk}, follow=True
    )
    assert "đã được xử lý" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.current_level == tree.hn


def test_override_is_visible_to_every_later_reviewer(client, tree, people):
    cstdcs = AwardType.objects.get(code="CSTDCS")
    dossier = services.dossier_create(
        acting_user=people["cdcs"],
        proposing_unit=tree.ubnd,
        kind="YEARLY",
        year=2025,
        title="Đề nghị CSTĐ cơ sở",
    )
    services.item_add(
        acting_user=people["cdcs"],
        dossier=dossier,
        award_type=cstdcs,
        person=tree.an,
        achievement_summary="Thành tích",
        override_reason="Thành tích đột xuất phòng chống bão số 3",
    )
    attach_documents(people["cdcs"], dossier)
    services.dossier_submit(acting_user=people["cdcs"], dossier=dossier)
    for user in (people["district"], people["city"]):
        client.force_login(user)
        page = client.get(f"/de-nghi/{dossier.pk}/").content.decode()
        assert "Chưa đủ điều kiện" in page and "Thành tích đột xuất phòng chống bão số 3" in page


def test_dossier_is_invisible_outside_its_path(client, tree, people, bk_city, make_user):
    from accounts.roles import Role

    dossier = services.dossier_create(
        acting_user=people["cdcs"],
        proposing_unit=tree.ubnd,
        kind="YEARLY",
        year=2025,
        title="Hồ sơ riêng Mỹ Đức",
    )
    for user, expected in (
        (people["outsider"], 404),
        (make_user(Role.OFFICER, tree.nb), 404),
        (people["city"], 200),
        (people["district"], 200),
    ):
        client.force_login(user)
        assert client.get(f"/de-nghi/{dossier.pk}/").status_code == expected
        assert ("Hồ sơ riêng Mỹ Đức" in client.get("/de-nghi/").content.decode()) == (expected == 200)
    client.force_login(make_user(Role.LEADER, tree.md))
    assert client.get(f"/de-nghi/lap/?don_vi={tree.ubnd.pk}").status_code == 403


def test_public_page_shows_only_published_comments_and_council_voting(client, tree, people, bk_city):
    dossier = services.dossier_create(
        acting_user=people["cdcs"],
        proposing_unit=tree.ubnd,
        kind="YEARLY",
        year=2025,
        title="Hồ sơ công khai",
    )
    services.item_add(
        acting_user=people["cdcs"],
        dossier=dossier,
        award_type=bk_city,
        person=tree.an,
        achievement_summary="Thành tích tiêu biểu",
    )
    attach_documents(people["cdcs"], dossier)
    services.dossier_submit(acting_user=people["cdcs"], dossier=dossier)
    services.step_forward(acting_user=people["district"], dossier=dossier)
    services.step_accept(acting_user=people["city"], dossier=dossier)
    today = timezone.localdate()
    posting = services.posting_open(
        acting_user=people["city"], dossier=dossier, starts_on=today, ends_on=today + dt.timedelta(days=5)
    )
    client.logout()
    response = client.post(
        posting.get_absolute_url(),
        {"author_name": "Nguyễn Thị Góp Ý", "text": "Tôi đồng tình", "contact": "0912"},
    )
    assert "Ý kiến sẽ được đăng sau khi được xem xét" in response.content.decode()
    page = client.get(posting.get_absolute_url()).content.decode()
    assert "Nguyễn Văn An" in page and "Tôi đồng tình" not in page and "0912" not in page
    comment = posting.comments.get()
    services.comment_moderate(acting_user=people["city"], comment=comment, publish=True)
    page = client.get(posting.get_absolute_url()).content.decode()
    assert "Tôi đồng tình" in page and "0912" not in page
    assert client.get(f"/de-nghi/{dossier.pk}/").status_code == 302  # the dossier itself needs a login

    services.posting_close(acting_user=people["city"], dossier=dossier, early_reason="Đã đủ ý kiến góp ý")
    client.force_login(people["city"])
    form = client.get(f"/de-nghi/hoi-dong/mo/?don_vi={tree.hn.pk}").content.decode()
    assert "Giờ họp" in form and "Địa điểm" in form and "Thư ký phiên họp" in form
    response = client.post(
        f"/de-nghi/hoi-dong/mo/?don_vi={tree.hn.pk}",
        {
            "title": "Phiên xét",
            "held_on": today.isoformat(),
            "starts_at": "14:30",
            "place": "Hội trường tầng 3",
            "secretary": "Đỗ Thị Thu Hà",
            "dossiers": [dossier.pk],
        },
    )
    session = dossier.council_sessions.get()
    assert response.status_code == 302 and response["Location"] == f"/de-nghi/hoi-dong/{session.pk}/"
    assert (session.starts_at, session.place, session.secretary) == (
        dt.time(14, 30),
        "Hội trường tầng 3",
        "Đỗ Thị Thu Hà",
    )
    page = client.get(f"/de-nghi/hoi-dong/{session.pk}/").content.decode()
    assert "14:30 · Hội trường tầng 3 · Thư ký: Đỗ Thị Thu Hà" in page
    item = dossier.items.get()
    client.force_login(people["council"][0])
    assert "Bỏ phiếu kín" in client.get(f"/de-nghi/hoi-dong/{session.pk}/").content.decode()
    client.post(f"/de-nghi/hoi-dong/{session.pk}/", {f"i{item.pk}": "YES"})
    assert "Bạn đã bỏ phiếu" in client.get(f"/de-nghi/hoi-dong/{session.pk}/").content.decode()
    client.force_login(people["outsider"])
    assert client.get(f"/de-nghi/hoi-dong/{session.pk}/").status_code == 404
    client.force_login(people["district"])  # not the authority's council
    assert client.get(f"/de-nghi/hoi-dong/{session.pk}/").status_code == 404


def test_admin_manages_council_seats_and_shows_workflow_read_only(client, tree, people, admin_user):
    client.force_login(admin_user)
    assert client.get("/quan-tri/nominations/councilmember/").status_code == 200
    assert client.get("/quan-tri/nominations/councilmember/add/").status_code == 200
    assert client.get("/quan-tri/nominations/dossier/").status_code == 200
    assert client.get("/quan-tri/nominations/dossier/add/").status_code == 403


def test_a_document_uploaded_replaced_and_downloaded_on_a_storage_without_local_paths(
    client, tree, people, settings, django_capture_on_commit_callbacks
):
    """Issue 16, scale-out: with the files in a shared bucket (THIDUA_S3_*) the upload, the replacement
    (the old file deleted after the commit) and the download go through the storage API only; a storage
    without path() (core.tests.storage.NoPathStorage, as S3Storage)."""
    from core.tests.storage import NoPathStorage

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "core.tests.storage.NoPathStorage"},
    }
    client.force_login(people["cdcs"])
    client.post(
        f"/de-nghi/lap/?don_vi={tree.ubnd.pk}", {"title": "Hồ sơ trong kho", "kind": "YEARLY", "year": "2025"}
    )
    dossier = Dossier.objects.get()
    client.post(
        f"/de-nghi/{dossier.pk}/tai-lieu/",
        {"kind": "TO_TRINH", "file": SimpleUploadedFile("to-trinh.pdf", b"%PDF-1.4 ban dau")},
    )
    document = dossier.documents.get()
    storage = document.file.storage
    assert isinstance(storage._wrapped, NoPathStorage) and storage.exists(document.file.name)
    first_name = document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/de-nghi/{dossier.pk}/tai-lieu/{document.pk}/thay/",
            {"file": SimpleUploadedFile("to-trinh-moi.pdf", b"%PDF-1.4 ban moi")},
        )
    document.refresh_from_db()
    assert document.file.name != first_name and not storage.exists(first_name)
    response = client.get(f"/de-nghi/{dossier.pk}/tai-lieu/{document.pk}/")
    assert response.status_code == 200 and response.content == b"%PDF-1.4 ban moi"
