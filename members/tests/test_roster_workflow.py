"""The roster import's states are the import framework's (`imports.workflow.IMPORT`, kind "doan-vien"): who
may map, check and commit a roster upload in each state (person.change on its unit), what each user gets
from its pages, and the worker's commit: finished, rejected with the rows' errors, or failed."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from accounts.roles import Role
from imports import reading, tasks
from imports.kinds import get
from imports.models import ImportBatch
from imports.workflow import allowed_names
from members.models import Person

pytestmark = pytest.mark.django_db

S = ImportBatch.Status
FILES = Path(__file__).resolve().parent / "files"


def _batch(user, unit, status, name="roster_basic.xlsx") -> ImportBatch:
    """A roster upload as the worker's read left it (its rows stored, header and columns found)."""
    content = (FILES / name).read_bytes()
    batch = ImportBatch.objects.create(
        kind="doan-vien",
        unit=unit,
        created_by=user,
        file=ContentFile(content, name=name),
        original_name=name,
    )
    fields = reading.read_batch(batch)
    ImportBatch.objects.filter(pk=batch.pk).update(**fields, status=status)
    return ImportBatch.objects.select_related("unit__unit_type", "created_by").get(pk=batch.pk)


def _status_now(batch) -> str:
    return ImportBatch.objects.values_list("status", flat=True).get(pk=batch.pk)


@pytest.mark.parametrize("status", [S.UPLOADED, S.CHECKED, S.INVALID, S.QUEUED, S.DONE])
def test_who_may_act_on_a_roster_upload_in_each_state(client, officer, make_user, tree, status):
    batch = _batch(officer, tree.ubnd, status)
    users = {
        "uploader": officer,  # officer of the district and its subtree
        "colleague": make_user(Role.OFFICER, tree.ubnd),  # another officer, of the import's unit
        "elsewhere": make_user(Role.OFFICER, tree.hbt),  # an officer of a sibling branch
        "member": make_user(Role.MEMBER, tree.ubnd),
    }
    for who, user in users.items():
        may_act = who in ("uploader", "colleague")
        expected = set()
        if may_act and status in (S.UPLOADED, S.CHECKED, S.INVALID):
            expected |= {"map", "check", "reread"}
        if may_act and status == S.CHECKED:
            expected.add("commit")
        assert allowed_names(batch, user) == expected, (status, who)
        client.force_login(user)
        response = client.get(reverse("imports:status", args=[batch.pk]))
        if may_act:  # read or checked: on to the columns or the preview; else the progress card
            assert response.status_code == (302 if status in (S.UPLOADED, S.CHECKED, S.INVALID) else 200)
        else:
            assert response.status_code == (404 if who == "elsewhere" else 403), (status, who)
        if "commit" in expected:
            continue  # committing is the worker's test below
        committed = client.post(reverse("imports:commit", args=[batch.pk]))
        if not may_act:
            assert committed.status_code == (404 if who == "elsewhere" else 403), (status, who)
        else:
            assert committed["Location"] == reverse("imports:preview", args=[batch.pk]), (status, who)
    assert _status_now(batch) == status


def test_the_worker_finishes_rejects_or_fails(officer, tree):
    done = _batch(officer, tree.ubnd, S.QUEUED)
    outcome = tasks.batch_commit_task.call(done.pk)
    assert outcome["status"] == S.DONE and outcome["created"] == 5, outcome
    assert Person.objects.filter(full_name="Lê Thị Mai").exists()
    assert tasks.batch_commit_task.call(done.pk) == {"status": S.DONE}  # a repeated task: left alone

    invalid = _batch(officer, tree.ubnd, S.QUEUED, "roster_500_bad.xlsx")
    assert tasks.batch_commit_task.call(invalid.pk) == {"status": S.INVALID}
    invalid.refresh_from_db()
    assert invalid.counts["error"] == 3 and "chưa ghi" in invalid.message

    broken = _batch(officer, tree.ubnd, S.QUEUED)  # its stored rows are gone (the commit never parses)
    broken.rows_file.delete(save=True)
    assert tasks.batch_commit_task.call(broken.pk) == {"status": S.FAILED}
    broken.refresh_from_db()
    assert broken.message and not Person.objects.filter(full_name="Lê Thị Mai").count() > 1
    assert get("doan-vien").action == "person.change"
