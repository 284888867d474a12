"""Issue 11, declared workflows: the states of a roster import and their transitions are one table
(`members.workflow.ROSTER`); the services, the task and the views take every status from it (none
written by hand); the roster pages render an action exactly when `allowed` lists it, and the services
refuse the rest; the worker claims a queued import once (conditional UPDATE)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.urls import reverse

from accounts.roles import Role
from core.exceptions import ServiceError
from core.tests.rendered import follow_rendered, in_rollback, rendered_actions
from members import roster, services, tasks, views_roster
from members.models import Person, RosterImport
from members.services import rosters
from members.workflow import EDITABLE, FINISHED, IN_PROGRESS, INITIAL, ROSTER, allowed_names, checked_state

pytestmark = pytest.mark.django_db

S = RosterImport.Status
FILES = Path(__file__).resolve().parent / "files"
USER_TRANSITIONS = ("map", "check", "commit")


def test_the_table_declares_every_state_change():
    edges = {(t.name, tuple(t.sources), t.targets) for t in ROSTER.transitions}
    editable = (S.UPLOADED, S.CHECKED, S.INVALID)
    assert edges == {
        ("map", editable, (S.UPLOADED,)),
        ("check", editable, (S.CHECKED, S.INVALID)),
        ("commit", (S.CHECKED,), (S.QUEUED,)),
        ("start", (S.QUEUED,), (S.RUNNING,)),
        ("finish", (S.RUNNING,), (S.DONE,)),
        ("reject", (S.RUNNING,), (S.INVALID,)),
        ("fail", (S.QUEUED, S.RUNNING), (S.FAILED,)),
        ("read", (S.READING,), (S.UPLOADED,)),
        ("unreadable", (S.READING,), (S.UNREADABLE,)),
    }
    assert editable == EDITABLE
    assert [t.name for t in ROSTER.transitions if not t.by_system] == list(USER_TRANSITIONS)
    assert {t.action for t in ROSTER.transitions if not t.by_system} == {"person.change"}
    # every state is reached by some transition or is the initial one
    reached = {state for t in ROSTER.transitions for state in t.targets}
    assert reached | {INITIAL} == set(S.values)
    assert RosterImport._meta.get_field("status").default == INITIAL == S.READING
    assert IN_PROGRESS == (S.READING, S.QUEUED, S.RUNNING)
    assert FINISHED == (S.INVALID, S.DONE, S.FAILED, S.UNREADABLE)
    for status in S.values:
        assert RosterImport(status=status).is_finished == (status in FINISHED)
    assert (checked_state(has_errors=False), checked_state(has_errors=True)) == (S.CHECKED, S.INVALID)


def _status_literals(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in ("Status", *S.names):
            found.append(node.attr)
        elif isinstance(node, ast.Constant) and node.value in S.values:
            found.append(node.value)
    return found


def test_services_task_and_views_write_no_status_by_hand():
    """The roster services, the task and the roster views name no state: every status comes from the
    table. The check itself catches a hand-written one."""
    for module in (rosters, tasks, views_roster):
        assert _status_literals(Path(module.__file__).read_text(encoding="utf-8")) == [], module.__name__
    hand_written = (
        'RosterImport.objects.filter(pk=1).update(status=RosterImport.Status.DONE, message="FAILED")'
    )
    assert sorted(_status_literals(hand_written)) == ["DONE", "FAILED", "Status"]


def _import(user, unit, status, name="roster_basic.xlsx") -> RosterImport:
    content = (FILES / name).read_bytes()
    rows = roster.read_rows(content, name)
    header_row = roster.detect_header(rows)
    record = RosterImport.objects.create(
        unit=unit,
        created_by=user,
        file=ContentFile(content, name=name),
        original_name=name,
        header_row=header_row,
        mapping=roster.guess_mapping(rows[header_row]),
        status=status,
    )
    roster.store_rows(record, rows)  # as the worker's read left it (the screens read these rows)
    record.save(update_fields=["rows_file"])
    return record


def _fresh(record) -> RosterImport:
    return RosterImport.objects.select_related("unit__unit_type", "created_by").get(pk=record.pk)


def _status_now(record) -> str:
    return RosterImport.objects.values_list("status", flat=True).get(pk=record.pk)


def _fire(name, user, record):
    """The service of a user transition, on a freshly read upload."""
    record = _fresh(record)
    if name == "map":
        return services.roster_mapping_set(
            acting_user=user, record=record, header_row=record.header_row, mapping=record.mapping
        )
    if name == "check":
        rows = roster.stored_rows(record)
        services.roster_check(acting_user=user, record=record, rows=rows)
        return record
    return services.roster_commit_queue(acting_user=user, record=record)


def _transitions_rendered(html: str, record) -> set[str]:
    """The user transitions a page offers: its links and forms pointing at their screens."""
    urls = {
        reverse("members:roster_mapping", args=[record.pk]): "map",
        reverse("members:roster_preview", args=[record.pk]): "check",
        reverse("members:roster_commit", args=[record.pk]): "commit",
    }
    links, forms = rendered_actions(html)
    return {urls[u] for u in [*links, *(f["action"] for f in forms)] if u in urls}


@pytest.mark.parametrize("status", S.values)
def test_actions_are_rendered_exactly_when_allowed_and_refused_otherwise(
    client, officer, make_user, tree, status
):
    record = _import(officer, tree.ubnd, status)
    users = {
        "uploader": officer,  # officer of the district and its subtree
        "colleague": make_user(Role.OFFICER, tree.ubnd),  # another officer, of the import's unit
        "elsewhere": make_user(Role.OFFICER, tree.hbt),  # an officer of a sibling branch
        "member": make_user(Role.MEMBER, tree.ubnd),
    }
    pages = {
        "status": reverse("members:roster_status", args=[record.pk]),
        "mapping": reverse("members:roster_mapping", args=[record.pk]),
        "preview": reverse("members:roster_preview", args=[record.pk]),
    }
    for who, user in users.items():
        may_act = who in ("uploader", "colleague")
        expected = set()
        if may_act and status in (S.UPLOADED, S.CHECKED, S.INVALID):
            expected |= {"map", "check"}
        if may_act and status == S.CHECKED:
            expected.add("commit")
        assert allowed_names(_fresh(record), user) == expected, (status, who)

        client.force_login(user)
        for page, url in pages.items():

            def visit(url=url, page=page, user=user, who=who, may_act=may_act, expected=expected):
                response = client.get(url)
                label = (status, who, page)
                if not may_act:
                    assert response.status_code == (404 if who == "elsewhere" else 403), label
                    return
                if response.status_code == 302:  # sent to the worker: only its status page
                    assert page != "status" and not expected, label
                    assert response["Location"] == pages["status"], label
                    return
                assert response.status_code == 200, label
                html = response.content.decode()
                now = allowed_names(_fresh(record), user)  # the preview has just run the check
                offered = _transitions_rendered(html, record)
                assert offered <= now, (label, offered, now)
                if page == "preview":
                    assert offered == now & {"map", "commit"}, label
                    assert ("Ghi vào hệ thống" in html) == ("commit" in now), label
                if page == "status":
                    assert ("Xem lỗi" in html) == (status == S.INVALID), label
                assert follow_rendered(client, html, label) >= 0  # nothing rendered ends in 403/404

            in_rollback(visit)
            assert _status_now(record) == status

        for name in USER_TRANSITIONS:
            if name in expected:
                moved = in_rollback(lambda name=name, user=user: _fire(name, user, record))
                assert moved.status in ROSTER[name].targets, (status, who, name)
            else:
                with pytest.raises((PermissionDenied, ServiceError)):
                    in_rollback(lambda name=name, user=user: _fire(name, user, record))
            assert _status_now(record) == status

        # the refused screens change nothing
        if "commit" not in expected:
            response = in_rollback(lambda: client.post(reverse("members:roster_commit", args=[record.pk])))
            assert response.status_code == (302 if may_act else 404 if who == "elsewhere" else 403)
            if may_act:
                assert response["Location"] == pages["preview"]
        if "map" not in expected:
            data = {"header_row": record.header_row + 1, **{k: str(v) for k, v in record.mapping.items()}}
            response = in_rollback(lambda data=data: client.post(pages["mapping"], data))
            assert response.status_code == (302 if may_act else 404 if who == "elsewhere" else 403)
            if may_act:
                assert response["Location"] == pages["status"]
        assert _status_now(record) == status
    assert not Person.objects.filter(full_name="Lê Thị Mai").exists()


def test_commit_refusals_name_their_reason(officer, tree):
    uploaded = _import(officer, tree.ubnd, S.UPLOADED)
    with pytest.raises(ServiceError, match="Chỉ ghi được danh sách đã kiểm tra và không có lỗi"):
        services.roster_commit_queue(acting_user=officer, record=uploaded)
    running = _import(officer, tree.ubnd, S.RUNNING)
    with pytest.raises(ServiceError, match="không sửa hay kiểm tra lại được nữa"):
        services.roster_mapping_set(acting_user=officer, record=running, header_row=0, mapping={})
    assert _status_now(running) == S.RUNNING and _fresh(running).mapping != {}


def test_a_second_commit_of_the_same_upload_is_refused(officer, make_user, tree):
    """Two officers press "Ghi vào hệ thống" on the same page: the conditional UPDATE claims it once;
    the second, whose copy still says CHECKED, is refused and nothing else moves."""
    record = _import(officer, tree.ubnd, S.CHECKED)
    colleague = make_user(Role.OFFICER, tree.ubnd)
    stale = _fresh(record)
    assert services.roster_commit_queue(acting_user=officer, record=_fresh(record)).status == S.QUEUED
    with pytest.raises(ServiceError, match="Chỉ ghi được danh sách đã kiểm tra"):
        services.roster_commit_queue(acting_user=colleague, record=stale)
    assert _status_now(record) == S.QUEUED


def test_a_mapping_saved_while_the_worker_took_the_upload_is_refused(officer, tree):
    """The page read CHECKED; the status is re-read under a row lock before the mapping is stored."""
    record = _import(officer, tree.ubnd, S.CHECKED)
    stale = _fresh(record)
    ROSTER.update(RosterImport.objects.filter(pk=record.pk), "commit")
    with pytest.raises(ServiceError, match="không sửa hay kiểm tra lại được nữa"):
        services.roster_mapping_set(acting_user=officer, record=stale, header_row=0, mapping={})
    rows = roster.read_rows(stale.file.open("rb").read(), stale.original_name)
    stale.status = S.CHECKED
    with pytest.raises(ServiceError, match="không sửa hay kiểm tra lại được nữa"):
        services.roster_check(acting_user=officer, record=stale, rows=rows)
    assert _status_now(record) == S.QUEUED and _fresh(record).mapping != {}


@pytest.mark.parametrize("status", [S.UPLOADED, S.CHECKED, S.RUNNING, S.DONE, S.FAILED])
def test_the_worker_takes_only_a_queued_upload(officer, tree, status):
    record = _import(officer, tree.ubnd, status)
    assert tasks.roster_import_task.call(record.pk) == {"status": status}
    assert _status_now(record) == status and _fresh(record).result == {}
    assert not Person.objects.filter(full_name="Lê Thị Mai").exists()
    assert tasks.roster_import_task.call(10**9) == {"status": "MISSING"}


def test_the_worker_finishes_rejects_or_fails(officer, tree):
    done = _import(officer, tree.ubnd, S.QUEUED)
    outcome = tasks.roster_import_task.call(done.pk)
    assert outcome["status"] == S.DONE and outcome["created"] == 5
    assert _fresh(done).result["created"] == 5 and Person.objects.filter(full_name="Lê Thị Mai").exists()
    assert tasks.roster_import_task.call(done.pk) == {"status": S.DONE}  # a repeated task: left alone

    invalid = _import(officer, tree.ubnd, S.QUEUED, "roster_500_bad.xlsx")
    assert tasks.roster_import_task.call(invalid.pk) == {"status": S.INVALID, "errors": 3}
    assert len(_fresh(invalid).errors) == 3 and "3 lỗi" in _fresh(invalid).message

    broken = _import(officer, tree.ubnd, S.QUEUED)  # its stored rows are gone (the commit never parses)
    broken.rows_file.delete(save=True)
    assert tasks.roster_import_task.call(broken.pk) == {"status": S.FAILED}
    assert "hãy tải tệp lên lại" in _fresh(broken).message


def test_a_preview_with_row_errors_offers_no_commit(officer_client, officer, tree):
    record = _import(officer, tree.ubnd, S.UPLOADED, "roster_500_bad.xlsx")
    html = officer_client.get(reverse("members:roster_preview", args=[record.pk])).content.decode()
    assert _status_now(record) == S.INVALID
    assert allowed_names(_fresh(record), officer) == {"map", "check"}
    assert _transitions_rendered(html, record) == {"map"} and "Ghi vào hệ thống" not in html
    response = officer_client.post(reverse("members:roster_commit", args=[record.pk]), follow=True)
    assert response.redirect_chain[0][0] == reverse("members:roster_preview", args=[record.pk])
    assert "Chỉ ghi được danh sách đã kiểm tra và không có lỗi" in response.content.decode()
    assert _status_now(record) == S.INVALID
