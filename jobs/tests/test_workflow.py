"""Issue 11, declared workflows: the states of a build and their transitions are one table
(`jobs.workflow.JOB`); the worker and the stale sweep move rows with its conditional UPDATEs (no status
written by hand); "Tạo lại" is rendered exactly when `allowed` lists it and the service refuses the rest."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from accounts.roles import Role
from core.exceptions import ServiceError
from core.tests.rendered import follow_rendered, in_rollback, rendered_actions
from jobs import services
from jobs.choices import JobStatus as S
from jobs.models import BuildJob
from jobs.workflow import FINISHED, INITIAL, JOB, allowed_names

pytestmark = pytest.mark.django_db


def test_the_table_declares_every_state_change():
    assert {t.name for t in JOB.transitions} == {"start", "finish", "fail", "retry", "expire"}
    edges = {(t.name, tuple(t.sources), t.targets) for t in JOB.transitions}
    assert edges == {
        ("start", (S.QUEUED,), (S.RUNNING,)),
        ("finish", (S.RUNNING,), (S.DONE,)),
        ("fail", (S.QUEUED, S.RUNNING), (S.FAILED,)),
        ("retry", (S.DONE, S.FAILED), (S.QUEUED,)),
        ("expire", (S.QUEUED, S.RUNNING), (S.FAILED,)),
    }
    # the worker and the sweep are the system's; retry is the only user transition
    assert [t.name for t in JOB.transitions if not t.by_system] == ["retry"]
    assert FINISHED == (S.DONE, S.FAILED)
    assert BuildJob._meta.get_field("status").default == INITIAL == S.QUEUED
    for status in S.values:
        assert BuildJob(status=status).is_finished == (status in FINISHED)


def test_services_write_no_status_by_hand():
    """jobs/services.py names no state: every status comes from the table (`JOB`, `INITIAL`,
    `FINISHED`). The check itself catches a hand-written one."""

    def literals(source: str) -> list[str]:
        found = []
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Attribute) and node.attr in ("Status", *S.names):
                found.append(node.attr)
            elif isinstance(node, ast.Constant) and node.value in S.values:
                found.append(node.value)
        return found

    source = (Path(services.__file__)).read_text(encoding="utf-8")
    assert literals(source) == []
    hand_written = 'BuildJob.objects.filter(pk=1).update(status=BuildJob.Status.DONE, error="FAILED")'
    assert sorted(literals(hand_written)) == ["DONE", "FAILED", "Status"]


@pytest.fixture
def ok_builder(temp_builder):
    temp_builder("test_wf", lambda *, job, progress: (b"noi dung", "thu.txt", "text/plain"))
    return "test_wf"


def _job(user, unit, status, kind) -> BuildJob:
    job = BuildJob.objects.create(
        kind=kind, title=f"Tệp thử {status}", unit=unit, created_by=user, params={}, status=status
    )
    if status == S.DONE:
        job.file.save("thu.txt", ContentFile(b"noi dung"), save=False)
        BuildJob.objects.filter(pk=job.pk).update(
            file=job.file.name, filename="thu.txt", content_type="text/plain", percent=100
        )
    return job


@pytest.mark.parametrize("status", S.values)
def test_retry_is_rendered_exactly_when_allowed_and_refused_otherwise(
    client, officer, make_user, tree, ok_builder, status
):
    job = _job(officer, tree.md, status, ok_builder)
    users = {
        "creator": officer,
        "colleague": make_user(Role.OFFICER, tree.md),  # same rights, not their file
        "superuser": make_user(is_superuser=True),  # sees every job, retries only their own
    }
    expected = {"creator": status in FINISHED, "colleague": False, "superuser": False}
    retry_url = f"/tep/{job.pk}/tao-lai/"
    for who, user in users.items():
        fresh = BuildJob.objects.select_related("unit", "created_by").get(pk=job.pk)
        assert ("retry" in allowed_names(fresh, user)) == expected[who], (status, who)
        client.force_login(user)
        page = client.get(f"/tep/{job.pk}/")
        html = page.content.decode()
        if page.status_code == 200:
            forms = [f["action"] for f in rendered_actions(html)[1]]
            assert (retry_url in forms) == expected[who], (status, who)
            assert ("Tạo lại" in html) == expected[who], (status, who)
            partial = client.get(f"/tep/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
            assert (retry_url in partial) == expected[who], (status, who)
            assert follow_rendered(client, html, (status, who))  # nothing rendered ends in 403/404
        else:
            assert page.status_code == 404 and who == "colleague"

        before = BuildJob.objects.count()
        if expected[who]:
            again = in_rollback(
                lambda user=user, fresh=fresh: services.job_retry(acting_user=user, job=fresh)
            )
            assert again.pk != job.pk and again.status == S.DONE  # queued, run by the immediate backend
        else:
            with pytest.raises((PermissionDenied, ServiceError)):
                in_rollback(lambda user=user, fresh=fresh: services.job_retry(acting_user=user, job=fresh))
            response = in_rollback(lambda: client.post(retry_url))
            assert response.status_code in (302, 403, 404)
            assert response.status_code != 302 or response["Location"] == f"/tep/{job.pk}/"
        assert BuildJob.objects.count() == before


def test_retry_refusals_name_their_reason(officer, make_user, tree, ok_builder):
    running = _job(officer, tree.md, S.RUNNING, ok_builder)
    with pytest.raises(ServiceError, match="chỉ tạo lại được khi đã xong hoặc bị lỗi"):
        services.job_retry(acting_user=officer, job=running)
    done = _job(officer, tree.md, S.DONE, ok_builder)
    with pytest.raises(PermissionDenied):
        services.job_retry(acting_user=make_user(Role.OFFICER, tree.md), job=done)
    assert not BuildJob.objects.filter(created_by=officer).exclude(pk__in=[running.pk, done.pk]).exists()


def test_a_retired_kind_shows_no_retry_and_the_service_says_why(client, officer, tree):
    job = _job(officer, tree.md, S.FAILED, "da-bo")  # no builder of this kind any more
    assert allowed_names(job, officer) == set()
    with pytest.raises(ServiceError, match="Không có loại tệp này nữa"):
        services.job_retry(acting_user=officer, job=job)
    client.force_login(officer)
    page = client.get(f"/tep/{job.pk}/")
    assert page.status_code == 200 and "Tạo lại" not in page.content.decode()
    response = client.post(f"/tep/{job.pk}/tao-lai/", follow=True)
    assert response.redirect_chain[-1][0] == f"/tep/{job.pk}/"
    assert "Không có loại tệp này nữa" in response.content.decode()
    assert BuildJob.objects.count() == 1


def test_a_job_failed_by_the_sweep_while_it_runs_stays_failed(officer, tree, temp_builder, monkeypatch):
    """The finish UPDATE claims only a RUNNING row: a build that outlives the stale sweep does not turn
    its FAILED job back to DONE, its progress stops being written, and its file is not kept."""
    saved = []

    def build(*, job, progress):
        later = timezone.now() + timezone.timedelta(hours=7)
        assert services.jobs_fail_stale(hours=6, now=later) == 1
        progress(80, "Đang ghi tệp")
        return b"noi dung", "muon.txt", "text/plain"

    temp_builder("test_late", build)
    job = BuildJob.objects.create(kind="test_late", title="Thử", unit=tree.md, created_by=officer, params={})
    original_save = FieldFile.save

    def spy(self, name, content, save=True):
        original_save(self, name, content, save=save)
        saved.append(self.name)

    monkeypatch.setattr(FieldFile, "save", spy)
    assert services.job_run(job_id=job.pk) == S.FAILED
    job.refresh_from_db()
    assert (job.status, job.error, job.file.name) == (S.FAILED, services.STALE_ERROR, "")
    assert job.stage != "Đang ghi tệp"
    assert saved and not default_storage.exists(saved[0])


def test_the_worker_claims_a_queued_job_once(officer, tree, ok_builder):
    job = BuildJob.objects.create(
        kind=ok_builder, title="Thử", unit=tree.md, created_by=officer, params={}, status=S.RUNNING
    )
    assert services.job_run(job_id=job.pk) == S.RUNNING  # another worker holds it: left alone
    job.refresh_from_db()
    assert (job.status, job.started_at, job.file.name) == (S.RUNNING, None, "")
    assert services.job_run(job_id=10**9) == "MISSING"


def test_fail_does_not_overwrite_a_finished_job(officer, tree, ok_builder):
    done = _job(officer, tree.md, S.DONE, ok_builder)
    assert services._finish_failed(done.pk, "Không tạo được tệp: x") == S.DONE
    done.refresh_from_db()
    assert done.status == S.DONE and done.error == ""
