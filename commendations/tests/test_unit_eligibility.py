"""The unit eligibility page is bounded (issue 16): it pages the unit's people and judges only the people
shown; the whole unit is the background job "Đánh giá toàn đơn vị" (`commendations.builders`), an .xlsx."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from accounts.models import User
from accounts.roles import Role
from commendations import builders
from commendations.engine import evaluate
from commendations.selectors import assess_collectives, default_received_on, ruleset_for
from conftest import add_person
from jobs.models import BuildJob
from jobs.services import job_start

pytestmark = pytest.mark.django_db

PAGE = 10


@pytest.fixture
def paged(settings):
    settings.THIDUA_PAGE_SIZE = PAGE
    settings.THIDUA_ELIGIBILITY_FULL_MAX = 5
    return settings


def _varied(history, people):
    """Histories of several kinds, so that the verdicts differ from one person to the next."""
    for i, p in enumerate(people):
        if i % 3 != 2:
            history.ldtt_year(p, 2024, "HTXS" if i % 2 else "HTT")
        if i % 4 == 0:
            history.initiative(p, dt.date(2024, 5, 5))
        if i % 5 == 0:
            for year in (2022, 2023):
                history.ldtt_year(p, year, "HTXS")
                history.award(p, "CSTDCS", year)


def _root(client):
    client.force_login(User.objects.create_superuser("root", password="pw"))


def test_a_large_unit_is_paged_with_the_same_queries_whatever_its_size(client, tree, history, paged):
    _varied(history, history.members(tree.mk, 11))
    _varied(history, history.members(tree.yk_ubnd, 45))
    _root(client)

    def count(unit, rows=PAGE, **query):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("commendations:unit", args=[unit.pk]), {"nam": 2024, **query})
        assert response.status_code == 200
        report = response.context["report"]
        assert not report.full and report.history is None and report.rows == []
        assert len(report.members) == rows
        return len(ctx.captured_queries), response

    n_small, small = count(tree.mk)
    n_large, large = count(tree.yk_ubnd)
    n_last, last = count(tree.yk_ubnd, rows=6, trang=5)  # rows 41–46
    assert small.context["page"].paginator.count == 12 and large.context["page"].paginator.count == 46
    assert n_small == n_large == n_last <= 17, (n_small, n_large, n_last)
    html = large.content.decode()
    assert 'data-testid="collective-in-job"' in html and 'data-testid="pager"' in html
    assert "Hiển thị 1–10 trên 46" in html
    assert [m.person.pk for m in last.context["report"].members] == [
        p.pk for p in last.context["page"].object_list
    ]
    _n, beyond = count(tree.yk_ubnd, rows=6, trang=99)  # past the end: the last page
    assert beyond.context["page"].number == 5


def test_page_verdicts_equal_those_of_the_full_computation(client, tree, history, paged):
    people = history.members(tree.yk_ubnd, 25)
    _varied(history, people)
    _root(client)
    response = client.get(reverse("commendations:unit", args=[tree.yk_ubnd.pk]), {"nam": 2024, "trang": 2})
    report = response.context["report"]
    spec = ruleset_for(received_on=default_received_on(2024)).to_spec()
    full = assess_collectives(units=[tree.yk_ubnd], year=2024, rule_set=spec)[tree.yk_ubnd.pk]
    # the second page is members 11–20 of the whole unit, in name order, each at the same seat
    assert [(m.person.pk, m.seat.pk) for m in report.members] == [
        (m.person.pk, m.seat.pk) for m in full.members[PAGE : 2 * PAGE]
    ]
    for row in report.members:
        expected = [
            evaluate(award=a.code, year=2024, subject=full.histories[row.person.pk], rule_set=spec)
            for a in report.columns
        ]
        assert row.verdicts == expected
    assert full.ldtt[report.members[0].person.pk] == report.members[0].verdicts[0]
    mixed = {tuple(v.eligible for v in m.verdicts) for m in report.members}
    assert len(mixed) > 1  # the page does not compare verdicts that are all alike


def _sheets(content: bytes) -> tuple[list[list], list[list]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    assert book.sheet_names == ["Đoàn viên", "Tập thể"]
    return book.get_sheet_by_index(0).to_python(), book.get_sheet_by_index(1).to_python()


def test_whole_unit_job_through_the_service_judges_everyone_in_chunks(tree, history, officer, monkeypatch):
    people = history.members(tree.ubnd, 7)
    twin = add_person(tree.t1, "Nguyễn Văn An")  # the same name (and sort key) as An, across a chunk edge
    _varied(history, [tree.an, tree.hoa, twin, *people])
    monkeypatch.setattr(builders, "CHUNK", 2)
    job = job_start(acting_user=officer, kind="eligibility_xlsx", unit=tree.ubnd, params={"year": "2024"})
    assert job.status == "DONE", job.error
    assert job.title == "Đánh giá toàn đơn vị năm 2024 (.xlsx) — Công đoàn Ủy ban nhân dân huyện Mỹ Đức"
    people_rows, collective_rows = _sheets(job.file.read())
    header = people_rows[3]
    assert header[:3] == ["STT", "Họ và tên", "Nơi sinh hoạt"]
    assert "Lao động tiên tiến" in header and "Chiến sĩ thi đua cơ sở" in header
    rows = people_rows[4:]
    spec = ruleset_for(received_on=default_received_on(2024)).to_spec()
    full = assess_collectives(units=[tree.ubnd], year=2024, rule_set=spec)[tree.ubnd.pk]
    assert len(full.members) == 11  # An, Hoa, the chairman, the twin and 7
    assert [r[1] for r in rows] == [m.person.full_name for m in full.members]
    assert [r[0] for r in rows] == list(range(1, 12))
    ldtt = header.index("Lao động tiên tiến")
    assert [r[ldtt] == "Đủ điều kiện" for r in rows] == [
        full.ldtt[m.person.pk].eligible for m in full.members
    ]
    cstdcs = header.index("Chiến sĩ thi đua cơ sở")
    assert [r[cstdcs] == "Đủ điều kiện" for r in rows] == [
        full.cstdcs[m.person.pk].eligible for m in full.members
    ]
    texts = [c for row in collective_rows for c in row if isinstance(c, str)]
    figures = {row[0]: row[1] for row in collective_rows if len(row) > 1 and isinstance(row[1], float)}
    assert figures["Đoàn viên trong năm"] == 11
    assert figures["Đạt Lao động tiên tiến"] == full.history.ldtt_count
    assert figures["Chiến sĩ thi đua cơ sở (trong hạn mức)"] == full.history.cstdcs_count
    assert any(t.startswith("Hạn mức") for t in texts)
    assert "Tập thể lao động xuất sắc" in texts or "Tập thể Lao động xuất sắc" in texts


def test_whole_unit_job_rights(tree, make_user):
    with pytest.raises(PermissionDenied):
        job_start(
            acting_user=make_user(Role.OFFICER, tree.nb),
            kind="eligibility_xlsx",
            unit=tree.ubnd,
            params={"year": "2024"},
        )
    with pytest.raises(PermissionDenied):
        job_start(
            acting_user=make_user(Role.MEMBER, tree.ubnd),
            kind="eligibility_xlsx",
            unit=tree.ubnd,
            params={"year": "2024"},
        )
    assert not BuildJob.objects.exists()


def test_button_starts_the_job_and_the_jobs_page_shows_it(officer_client, tree, history, client, make_user):
    history.ldtt_year(tree.an, 2024)
    page = officer_client.get(reverse("commendations:unit", args=[tree.ubnd.pk]), {"nam": 2024})
    assert "Đánh giá toàn đơn vị" in page.content.decode()
    started = officer_client.post(
        reverse("jobs:create"),
        {"kind": "eligibility_xlsx", "unit": tree.ubnd.pk, "year": 2024, "received_on": "2025-01-15"},
    )
    job = BuildJob.objects.get(kind="eligibility_xlsx")
    assert started.status_code == 302 and started.url == reverse("jobs:detail", args=[job.pk])
    assert job.status == "DONE", job.error
    assert job.params == {"year": 2024, "received_on": "2025-01-15"}
    listing = officer_client.get(reverse("jobs:list")).content.decode()
    assert job.title in listing
    response = officer_client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(
        'danh_gia_khen_thuong_cong_doan_uy_ban_nhan_dan_huyen_my_duc_2024.xlsx"'
    )
    rows, _ = _sheets(b"".join(response.streaming_content))
    an = next(r for r in rows if r[1] == "Nguyễn Văn An")
    assert an[rows[3].index("Lao động tiên tiến")] == "Đủ điều kiện"
    # a bad year is refused with a Vietnamese message, and someone outside the unit gets a 404
    officer_client.post(
        reverse("jobs:create"), {"kind": "eligibility_xlsx", "unit": tree.ubnd.pk, "year": "x"}
    )
    assert BuildJob.objects.count() == 1
    client.force_login(make_user(Role.OFFICER, tree.nb))
    outside = client.post(
        reverse("jobs:create"), {"kind": "eligibility_xlsx", "unit": tree.ubnd.pk, "year": 2024}
    )
    assert outside.status_code == 404
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_whole_unit_job_without_a_rule_set_fails_with_its_message(tree, officer):
    job = job_start(acting_user=officer, kind="eligibility_xlsx", unit=tree.ubnd, params={"year": "2022"})
    assert job.status == "FAILED"
    assert job.error.startswith(
        "Không tạo được tệp: Không có bộ quy tắc nào có hiệu lực vào ngày nhận hồ sơ 15/01/2023"
    )
