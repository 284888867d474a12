"""Every .docx → PDF conversion is a background job (issue 12, finding 11): the button POSTs, the user
lands on the job page, the file is downloaded from there and listed in "Tệp đã tạo"; a LibreOffice
failure is the job's Vietnamese error, never a 500; who may start and see the job is who may see the
document."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.roles import Role
from documents.tests import test_nominations_docs as nominations_docs_tests
from jobs import services as job_services
from jobs.models import BuildJob
from movements.models import Movement
from nominations.models import CouncilMember

# the fixtures of the nominations documents' tests: the catalogue, the officers and council, a decided dossier
catalogue = nominations_docs_tests.catalogue
people = nominations_docs_tests.people
bk_city = nominations_docs_tests.bk_city
decided = nominations_docs_tests.decided


@pytest.fixture
def converted(monkeypatch):
    """LibreOffice "installed", each conversion recorded and answered with a stub PDF."""
    import documents.builders
    import documents.views

    calls: list[bytes] = []

    def fake(content: bytes) -> bytes:
        calls.append(content)
        return b"%PDF-1.4 stub"

    monkeypatch.setattr(documents.views, "soffice_path", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(documents.builders, "docx_to_pdf", fake)
    return calls


def _job_of(response) -> BuildJob:
    assert response.status_code == 302, response
    location = response["Location"]
    assert location.startswith("/tep/"), location
    return BuildJob.objects.get(pk=int(location.strip("/").rsplit("/", 1)[-1]))


def _movement(tree) -> Movement:
    return Movement.objects.create(
        organiser=tree.md,
        name="Thi đua lao động giỏi năm 2025",
        kind="YEARLY",
        year=2025,
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2025, 12, 31),
        status="LAUNCHED",
    )


def test_every_pdf_button_starts_a_job_downloaded_from_the_job_page(client, tree, people, decided, converted):
    dossier, session, decision = decided
    client.force_login(people["city"])
    page = client.get(reverse("documents:dossier_documents", args=[dossier.pk])).content.decode()
    starts = {
        "dossier_pdf": reverse("documents:dossier_document_pdf", args=[dossier.pk, "to-trinh"]),
        "minutes_pdf": reverse("documents:council_minutes_pdf", args=[session.pk]),
        "decision_pdf": reverse("documents:decision_document_pdf", args=[decision.pk]),
    }
    for url in (*starts.values(), reverse("documents:dossier_document_pdf", args=[dossier.pk, "danh-sach"])):
        assert f'<form method="post" action="{url}">' in page, url  # a POST button, no GET link
    subjects = {"dossier_pdf": dossier, "minutes_pdf": session, "decision_pdf": decision}
    for kind, url in starts.items():
        job = _job_of(client.post(url))
        assert (job.kind, job.status, job.subject_id) == (kind, "DONE", subjects[kind].pk), job.error
        detail = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
        assert "Tải về" in detail and job.filename in detail
        download = client.get(reverse("jobs:download", args=[job.pk]))
        assert download["Content-Type"] == "application/pdf"
        assert b"".join(download.streaming_content) == b"%PDF-1.4 stub"
    assert len(converted) == 3 and all(c[:2] == b"PK" for c in converted)  # each a .docx converted
    listed = client.get(reverse("jobs:list")).content.decode()
    assert "Tờ trình (.pdf)" in listed and "Biên bản họp Hội đồng" in listed
    assert f"Quyết định khen thưởng số {decision.number} (.pdf)" in listed

    # the movement's launch plan, with the signature lines typed on its page
    movement = _movement(tree)
    district = client
    district.force_login(people["district"])
    plan = district.get(reverse("documents:plan", args=[movement.pk])).content.decode()
    assert f'formaction="{reverse("documents:plan_pdf", args=[movement.pk])}"' in plan
    assert 'method="post"' in plan
    job = _job_of(district.post(reverse("documents:plan_pdf", args=[movement.pk]), {"nguoi_ky": "Lê Văn Ký"}))
    assert (job.kind, job.status, job.unit_id, job.params["nguoi_ky"]) == (
        "plan_pdf",
        "DONE",
        tree.md.pk,
        "Lê Văn Ký",
    )
    assert district.get(reverse("documents:plan_pdf", args=[movement.pk])).status_code == 405  # never a GET


def test_docx_stays_a_direct_download_and_old_pdf_links_lead_to_the_button(
    client, people, decided, converted
):
    dossier, session, decision = decided
    client.force_login(people["city"])
    docx = client.get(reverse("documents:dossier_document", args=[dossier.pk, "to-trinh", "docx"]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    documents_page = reverse("documents:dossier_documents", args=[dossier.pk])
    for url, back in (
        (reverse("documents:dossier_document", args=[dossier.pk, "to-trinh", "pdf"]), documents_page),
        (reverse("documents:decision_document", args=[decision.pk, "pdf"]), documents_page),
        (
            reverse("documents:council_minutes", args=[session.pk, "pdf"]),
            reverse("nominations:session", args=[session.pk]),
        ),
    ):
        response = client.get(url, follow=True)
        assert response.redirect_chain == [(back, 302)], url
        assert "Bản PDF được tạo trong nền" in response.content.decode()
    assert not converted and not BuildJob.objects.exists()  # no conversion inside a request


@pytest.mark.parametrize(
    "failure, message",
    [
        (
            subprocess.CalledProcessError(134, ["soffice"], stderr=b"core dumped"),
            "Không tạo được tệp: LibreOffice gặp lỗi khi chuyển văn bản sang PDF; vui lòng thử lại sau "
            "hoặc tải bản .docx.",
        ),
        (
            subprocess.TimeoutExpired(["soffice"], 120),
            "Không tạo được tệp: LibreOffice chuyển sang PDF quá 120 giây nên đã dừng; vui lòng thử lại sau.",
        ),
    ],
)
def test_a_libreoffice_crash_is_a_job_failure_with_a_vietnamese_message(
    client, people, decided, monkeypatch, failure, message
):
    import documents.pdf
    import documents.views

    def crash(*args, **kwargs):
        raise failure

    monkeypatch.setattr(documents.views, "soffice_path", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(documents.pdf, "soffice_path", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(documents.pdf.subprocess, "run", crash)
    dossier, _session, decision = decided
    client.force_login(people["city"])
    job = _job_of(client.post(reverse("documents:decision_document_pdf", args=[decision.pk])))
    assert job.status == "FAILED" and job.error == message
    page = client.get(reverse("jobs:detail", args=[job.pk]))
    assert page.status_code == 200 and message in page.content.decode()
    assert "Tạo lại" in page.content.decode()


def test_without_libreoffice_the_button_tells_so_and_starts_nothing(client, people, decided, monkeypatch):
    import documents.views

    monkeypatch.setattr(documents.views, "soffice_path", lambda: None)
    dossier, _session, _decision = decided
    client.force_login(people["city"])
    response = client.post(
        reverse("documents:dossier_document_pdf", args=[dossier.pk, "to-trinh"]), follow=True
    )
    assert "Máy chủ chưa cài LibreOffice (soffice) nên chưa xuất được PDF." in response.content.decode()
    assert not BuildJob.objects.exists()


def test_who_may_start_and_see_a_pdf_job_is_who_may_see_the_document(
    client, tree, people, decided, converted, make_user
):
    dossier, session, decision = decided
    # a sibling branch's officer: 404 on every start, nothing queued
    client.force_login(people["outsider"])
    for url in (
        reverse("documents:dossier_document_pdf", args=[dossier.pk, "to-trinh"]),
        reverse("documents:council_minutes_pdf", args=[session.pk]),
        reverse("documents:decision_document_pdf", args=[decision.pk]),
    ):
        assert client.post(url).status_code == 404, url
    assert not BuildJob.objects.exists()
    with pytest.raises(PermissionDenied):  # the service refuses too, whatever the unit given
        job_services.job_start(
            acting_user=people["outsider"], kind="dossier_pdf", unit=tree.hbt, subject=dossier
        )
    # the generic start form does not build a document's PDF (it needs the document)
    client.force_login(people["city"])
    response = client.post(reverse("jobs:create"), {"kind": "minutes_pdf", "unit": tree.hn.pk})
    assert response.status_code == 404 and not BuildJob.objects.exists()

    # a council member (a seat, no role) sees the minutes, so may have them as PDF — and only they see the job
    member = people["council"][1]
    client.force_login(member)
    job = _job_of(client.post(reverse("documents:council_minutes_pdf", args=[session.pk])))
    assert job.status == "DONE", job.error
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 200
    client.force_login(people["city"])
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404  # another user's job
    # once the seat has ended before the session, the job (and its file) is out of the member's view
    CouncilMember.objects.filter(user=member).update(valid_from=session.held_on + dt.timedelta(days=1))
    client.force_login(member)
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert client.post(reverse("jobs:retry", args=[job.pk])).status_code == 404
    # a queued job whose creator lost sight of the document fails instead of building it
    queued = BuildJob.objects.create(
        kind="minutes_pdf", title="Biên bản", unit=tree.hn, created_by=member, subject_id=session.pk
    )
    assert job_services.job_run(job_id=queued.pk) == "FAILED"
    queued.refresh_from_db()
    assert queued.error == "Không tạo được tệp: bạn không còn quyền với văn bản này."

    # a plain member of the proposing unit's path with no right on the movement cannot start the plan
    movement = _movement(tree)
    client.force_login(make_user(Role.MEMBER, tree.md))
    assert client.post(reverse("documents:plan_pdf", args=[movement.pk])).status_code == 403
