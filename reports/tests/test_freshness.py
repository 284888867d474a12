"""Issue 13, "figures always current": every write that changes a figure refreshes its unit's counters in
the background right after the commit (one task per transaction), the dashboards and the news draft of the
unit and of every ancestor then equal a full rebuild, and a dashboard says how fresh its figures are
(or that they are being updated) — without the "Tổng hợp lại" button."""

import datetime as dt
import re
import time
from types import SimpleNamespace

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks.signals import task_enqueued

from commendations.models import AwardRecord, AwardType
from commendations.reference import ensure_catalogue
from commendations.services import award_record_enter
from conftest import add_person, add_unit
from core import metrics
from movements.models import Evaluation
from movements.services import evaluation_save_grid
from nominations.services import award_revoke
from organizations.models import OrgUnit
from reports import dashboard as dash
from reports.models import CounterState, CounterYear, UnitCounter
from reports.selectors import rollup
from reports.services import counters_rebuild, counters_refresh
from reports.summary import news_draft

YEAR = 2024
# real commits: each service's transaction commits and the ImmediateBackend runs the queued task on commit
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def enqueued():
    """The counter tasks queued while the test runs (the ImmediateBackend runs each at once)."""
    seen = []

    def receiver(sender, task_result, **kwargs):
        if task_result.task.name == "counters_refresh_task":
            seen.append(task_result)

    task_enqueued.connect(receiver)
    yield seen
    task_enqueued.disconnect(receiver)


@pytest.fixture
def world(tree, make_user):
    ensure_catalogue()
    t = tree
    t.admin = make_user(is_superuser=True, is_staff=True)
    gk = AwardType.objects.get(code="GK")
    t.old_award = AwardRecord.objects.create(
        person=t.hoa,
        scope_unit=t.t2,
        award_type=gk,
        year=YEAR,
        decision_number="3/QĐ-LĐLĐ",
        decision_date=dt.date(YEAR + 1, 1, 10),
        issuing_unit=t.md,
    )
    AwardRecord.objects.create(
        unit=t.ubnd,
        scope_unit=t.ubnd,
        award_type=gk,
        year=YEAR,
        decision_number="3/QĐ-LĐLĐ",
        decision_date=dt.date(YEAR + 1, 1, 10),
        issuing_unit=t.md,
    )
    Evaluation.objects.create(person=t.an, year=YEAR, unit=t.t1, rating="HT", months_worked=12)
    for year in (YEAR - 1, YEAR):
        counters_rebuild(year=year)
    return t


def _figures(unit: OrgUnit) -> tuple[dict, str]:
    unit = OrgUnit.objects.get(pk=unit.pk)
    return dict(dash.build(unit=unit, year=YEAR)["now"]), news_draft(unit=unit, year=YEAR)


def _chain(t) -> list[OrgUnit]:
    return [t.t1, t.t2, t.ubnd, t.md, t.hn, t.vn]


def test_rating_award_and_revocation_refresh_the_unit_and_its_ancestors_like_a_full_rebuild(
    world, enqueued, client
):
    t = world
    before = {u.pk: _figures(u) for u in _chain(t)}
    assert before[t.md.pk][0]["eval_HT"] == 1 and before[t.md.pk][0]["aw_cn"] == 1

    # each service commits; its one task runs right after
    evaluation_save_grid(
        acting_user=t.admin,
        unit=t.ubnd,
        year=YEAR,
        rows=[
            {"person_id": t.an.pk, "rating": "HTXS", "months_worked": 12},  # HT → HTXS (bulk_update)
            {"person_id": t.hoa.pk, "rating": "HTT", "months_worked": 12},  # new (bulk_create)
        ],
    )
    award_record_enter(
        acting_user=t.admin,
        award_type=AwardType.objects.get(code="GK"),
        year=YEAR,
        decision_number="9/QĐ-LĐLĐ",
        decision_date=dt.date(YEAR + 1, 1, 15),
        issuing_unit=t.md,
        unit=t.t1,
    )
    award_record_enter(
        acting_user=t.admin,
        award_type=AwardType.objects.get(code="GK"),
        year=YEAR,
        decision_number="9/QĐ-LĐLĐ",
        decision_date=dt.date(YEAR + 1, 1, 15),
        issuing_unit=t.md,
        person=t.an,
    )
    award_revoke(acting_user=t.admin, record=t.old_award, reason="Hồ sơ không đúng", decision_ref="5/QĐ-LĐLĐ")
    assert len(enqueued) == 4  # one background task per transaction (4 services, 4 commits)
    assert not CounterState.objects.filter(dirty_since__isnull=False).exists()

    after = {u.pk: _figures(u) for u in _chain(t)}
    md_now, md_news = after[t.md.pk]
    assert md_now["eval_HTXS"] == 1 and md_now["eval_HTT"] == 1 and md_now["eval_HT"] == 0
    # 2 collectives (ubnd, t1), 1 individual (an); Hoa's award is revoked and leaves the news
    assert md_now["aw_tt"] == 2 and md_now["aw_cn"] == 1
    assert "trao thưởng cho 2 tập thể và 1 cá nhân" in md_news
    assert "trao thưởng cho 1 tập thể và 1 cá nhân" in before[t.md.pk][1]
    for unit in _chain(t):
        assert after[unit.pk] != before[unit.pk] or unit in (t.t2,), unit.code

    client.force_login(t.admin)  # the dashboard and the news read through the screens
    html = client.get(f"/bao-cao/don-vi/{t.md.pk}/?nam={YEAR}").content.decode()
    assert "Số liệu cập nhật lúc" in html and "Đang cập nhật số liệu" not in html
    assert re.search(r'data-testid="stat-awards-collective">2<', html)
    news_html = client.get(f"/bao-cao/don-vi/{t.hn.pk}/tin-bai/?nam={YEAR}").content.decode()
    assert "trao thưởng cho 2 tập thể và 1 cá nhân" in news_html

    # exactly what a full rebuild gives, for the unit and every ancestor, dashboard and news alike
    counters_rebuild(year=YEAR)
    counters_rebuild(year=YEAR - 1)
    for unit in _chain(t):
        assert _figures(unit) == after[unit.pk], unit.code


def test_a_transaction_queues_one_task_whatever_the_rows_written(world, enqueued):
    t = world
    started = time.monotonic()
    with transaction.atomic():
        for i in range(100_000):  # a roster import of 100,000 rows marks its units row by row
            metrics.mark_changed([t.t1.pk, t.t2.pk, t.ubnd.pk][i % 3])
        for person in (t.an, t.hoa):  # and signals of ordinary saves join the same batch
            Evaluation.objects.update_or_create(
                person=person, year=YEAR, defaults={"unit": t.t2, "rating": "HTT", "months_worked": 12}
            )
    assert time.monotonic() - started < 10
    assert len(enqueued) == 1
    pairs = {year: set(ids) for year, ids in enqueued[0].args[0]}
    assert pairs[YEAR] >= {t.t1.pk, t.t2.pk, t.ubnd.pk}
    assert rollup(unit=OrgUnit.objects.get(pk=t.md.pk), year=YEAR)["eval_HTT"] == 2


def test_a_rolled_back_transaction_queues_nothing(world, enqueued):
    t = world
    try:
        with transaction.atomic():
            Evaluation.objects.filter(person=t.an).delete()
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    with transaction.atomic():  # a later transaction starts a new batch, not the dropped one
        Evaluation.objects.create(person=t.hoa, year=YEAR, unit=t.t2, rating="KHT", months_worked=12)
    assert len(enqueued) == 1
    assert [sorted(ids) for _, ids in enqueued[0].args[0]] == [[t.t2.pk]]


def test_the_dashboard_says_when_figures_are_being_updated(world, client, monkeypatch):
    from reports import tasks

    t = world
    queued = []
    real = tasks.counters_refresh_task
    monkeypatch.setattr(
        tasks, "counters_refresh_task", SimpleNamespace(enqueue=lambda *args: queued.append(args))
    )
    Evaluation.objects.create(person=t.hoa, year=YEAR, unit=t.t2, rating="HTXS", months_worked=12)
    assert queued  # the task is waiting (no worker has run it yet)
    client.force_login(t.admin)
    html = client.get(f"/bao-cao/don-vi/{t.hn.pk}/?nam={YEAR}").content.decode()
    assert "Đang cập nhật số liệu…" in html and "Số liệu cập nhật lúc" not in html
    assert (
        "Đang cập nhật số liệu…"
        in client.get(f"/bao-cao/don-vi/{t.md.pk}/tin-bai/?nam={YEAR}").content.decode()
    )
    # a sibling branch is not affected
    assert "Đang cập nhật" not in client.get(f"/bao-cao/don-vi/{t.nb.pk}/?nam={YEAR}").content.decode()
    real.call(*queued[0])  # the worker runs it
    html = client.get(f"/bao-cao/don-vi/{t.hn.pk}/?nam={YEAR}").content.decode()
    assert "Số liệu cập nhật lúc" in html and "Đang cập nhật" not in html


def test_the_rebuild_button_is_for_administrators_only(world, client, make_user):
    from accounts.roles import Role

    officer = make_user(Role.OFFICER, world.md)
    client.force_login(officer)
    assert "Tổng hợp lại" not in client.get(f"/bao-cao/don-vi/{world.md.pk}/?nam={YEAR}").content.decode()


def test_a_year_never_built_is_built_whole_never_one_subtree(world):
    t = world
    year = YEAR + 1
    assert not CounterYear.objects.filter(year=year).exists()
    counters_rebuild(year=year, root=OrgUnit.objects.get(pk=t.ubnd.pk))  # someone rebuilt one CĐCS
    hn = OrgUnit.objects.get(pk=t.hn.pk)
    before = rollup(unit=hn, year=year)
    counters_rebuild(year=year)
    assert rollup(unit=hn, year=year) == before and before["members"] == 4  # not the CĐCS's 3 alone
    # the first write of a year never built builds it whole too (no partial tree under a fresh stamp)
    year = YEAR + 2
    counters_refresh(year=year, unit_ids=[t.t1.pk])
    assert UnitCounter.objects.filter(year=year, unit=t.mk).exists()


def test_refresh_of_one_unit_year_costs_the_same_queries_whatever_the_tree(world):
    t = world

    def measure() -> tuple[int, float]:
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            counters_refresh(year=YEAR, unit_ids=[t.t1.pk])
            seconds = time.perf_counter() - started
        return len(ctx.captured_queries), seconds

    measure()  # the unit's freshness row exists from now on
    small, _ = measure()
    ubnd = OrgUnit.objects.get(pk=t.ubnd.pk)
    for i in range(15):
        unit = add_unit(ubnd, f"FR{i}", f"Tổ công đoàn {i}", "TO_CD")
        person = add_person(unit, f"Vũ Thị Mới{i}")
        Evaluation.objects.create(person=person, year=YEAR, unit=unit, rating="HTT", months_worked=12)
    counters_rebuild(year=YEAR)
    large, seconds = measure()
    print(f"counters_refresh of one unit-year: {large} queries, {seconds * 1000:.1f} ms")
    # ~14 provider queries + lock, delete, insert, freshness marks; + the pre-rolled totals: the old own
    # rows, the year's tree, the ancestors' ids, their totals, the update
    assert large == small <= 29
    own = dict(UnitCounter.objects.filter(year=YEAR, unit=t.t1).values_list("metric", "value"))
    counters_rebuild(year=YEAR)
    assert own == dict(UnitCounter.objects.filter(year=YEAR, unit=t.t1).values_list("metric", "value"))


def test_a_failing_refresh_never_fails_the_committed_write(world, monkeypatch):
    from reports import tasks

    def broken(*args):
        raise RuntimeError("hàng đợi không chạy")

    monkeypatch.setattr(tasks, "counters_refresh_task", SimpleNamespace(enqueue=broken))
    Evaluation.objects.create(person=world.hoa, year=YEAR, unit=world.t2, rating="HTT", months_worked=12)
    assert Evaluation.objects.filter(person=world.hoa, year=YEAR).exists()
    # the units stay marked pending, so no dashboard shows their old figures as final
    assert CounterState.objects.filter(unit=world.t2, year=YEAR, dirty_since__isnull=False).exists()
