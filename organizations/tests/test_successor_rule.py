"""Issue 15, acceptance 2 (the successor helper's tests, beside `test_consolidation_history.py`): LĐLĐ tỉnh
Ninh Bình, Hà Nam and Nam Định consolidated into a new LĐLĐ tỉnh Ninh Bình from 01/07/2025 — the collective
titles under the successor rule (R-ORG-01, `organizations.selectors.title_predecessors`: a merger carries
them, a consolidation only when the rule set says so, a dissolution or split never, transitively), the
members, the clusters and movements that go on at the new unit (the merge handlers of `clusters` and
`movements`), and the decisions of a closed unit (R-ORG-02: valid up to its last day, refused after)."""

import datetime as dt

import pytest

from accounts.roles import Role
from clusters.models import Cluster, ClusterMember
from clusters.restructuring import carry_clusters, preview_clusters
from commendations.engine.criteria import check_issuer_validity
from commendations.engine.rulesets import apply_override
from commendations.engine.types import Issuer
from commendations.models import AwardRecord, AwardType, RuleSet
from commendations.selectors import person_histories, unit_histories
from commendations.services import award_record_enter
from conftest import add_person, add_unit
from core.exceptions import ServiceError
from core.models import AuditEvent
from members.models import Membership
from movements.models import Movement, Registration
from movements.restructuring import preview_movements
from organizations import hooks
from organizations.models import OrgUnit, OrgUnitType, Succession
from organizations.selectors import title_predecessors
from organizations.services import orgunit_consolidate, orgunit_merge

pytestmark = pytest.mark.django_db

JULY_1 = dt.date(2025, 7, 1)
JUNE_30 = dt.date(2025, 6, 30)
DOC = {"document_number": "88/QĐ-TLĐ", "document_date": dt.date(2025, 6, 25)}


def fresh(unit):
    return OrgUnit.objects.get(pk=unit.pk)


@pytest.fixture
def provinces(tree):
    vn = fresh(tree.vn)
    ha_nam = add_unit(vn, "HNA", "Liên đoàn Lao động tỉnh Hà Nam", "LDLD_TINH")
    nam_dinh = add_unit(fresh(vn), "ND", "Liên đoàn Lao động tỉnh Nam Định", "LDLD_TINH")
    bv = add_unit(ha_nam, "HNA-BV", "Công đoàn Bệnh viện tỉnh Hà Nam", "CDCS")
    dm = add_unit(fresh(ha_nam), "HNA-DM", "Công đoàn Công ty Dệt may Hà Nam", "CDCS")
    add_person(bv, "Vũ Thị Lan", card="3500000001")
    return {
        "vn": fresh(vn),
        "nb": fresh(tree.nb),
        "hna": fresh(ha_nam),
        "nd": fresh(nam_dinh),
        "bv": fresh(bv),
        "dm": fresh(dm),
    }


@pytest.fixture
def central(make_user, tree):
    return make_user(Role.OFFICER, tree.vn)


def consolidate(provinces, user, on=JULY_1, sources=("nb", "hna", "nd"), code="NB-2025"):
    return orgunit_consolidate(
        acting_user=user,
        sources=[fresh(provinces[k]) for k in sources],
        parent=fresh(provinces["vn"]),
        name="Liên đoàn Lao động tỉnh Ninh Bình",
        code=code,
        unit_type=OrgUnitType.objects.get(code="LDLD_TINH"),
        on=on,
        reason="Hợp nhất tỉnh theo Nghị quyết 202/2025/QH15",
        **DOC,
    )


def title(unit, code, year, issuer, *, number=None):
    return AwardRecord.objects.create(
        unit=unit,
        scope_unit=unit,
        award_type=AwardType.objects.get(code=code),
        year=year,
        decision_number=number or f"{year % 100}/QĐ-TLĐ",
        decision_date=dt.date(year, 12, 20),
        issuing_unit=issuer,
    )


def spec(**overrides):
    base = RuleSet.objects.get(code="TLD-2025-ND152").to_spec()
    return apply_override(spec=base, overrides=overrides)


def held(history) -> set[tuple[str, int]]:
    return {(a.code, a.year) for a in history.awards}


# --- R-ORG-01: the successor rule ----------------------------------------------------------------------


def test_title_predecessors_follow_the_kind_of_each_succession(tree):
    vn = fresh(tree.vn)
    a, b, c, d, e, f = (add_unit(fresh(vn), f"U{i}", f"Công đoàn đơn vị {i}", "CDCS") for i in range(6))

    def succession(pred, succ, kind, day=JULY_1):
        Succession.objects.create(predecessor=pred, successor=succ, kind=kind, on=day)

    succession(a, b, Succession.Kind.MERGE)  # b carries on a
    succession(b, c, Succession.Kind.CONSOLIDATE)  # c newly formed from b (and d)
    succession(d, c, Succession.Kind.CONSOLIDATE)
    succession(e, c, Succession.Kind.DISSOLVE)  # never passes titles
    succession(f, c, Succession.Kind.SPLIT, dt.date(2026, 1, 1))  # never passes titles
    succession(c, a, Succession.Kind.MERGE, dt.date(2026, 3, 1))  # a cycle is walked once

    end_2025 = dt.date(2025, 12, 31)
    fresh_start = title_predecessors([a, b, c, d], inherit_on_consolidation=False, as_of=end_2025)
    assert fresh_start == {a.pk: [], b.pk: [a.pk], c.pk: [], d.pk: []}
    inherited = title_predecessors([b.pk, c.pk], inherit_on_consolidation=True, as_of=end_2025)
    assert inherited[b.pk] == [a.pk]
    assert inherited[c.pk] == [b.pk, d.pk, a.pk]  # transitively, nearest first; not e (dissolved)
    assert title_predecessors([b], inherit_on_consolidation=False, as_of=JUNE_30) == {b.pk: []}  # not yet
    cycle = title_predecessors([a], inherit_on_consolidation=True)
    assert sorted(cycle[a.pk]) == sorted([c.pk, b.pk, d.pk])


def test_consolidated_unit_starts_fresh_unless_the_rule_set_inherits(tree, provinces, central):
    vn = provinces["vn"]
    title(provinces["hna"], "TTLDXS", 2023, vn)
    title(provinces["hna"], "TTLDXS", 2024, vn)
    title(provinces["nb"], "CO_TD_TLD", 2024, vn)
    new = consolidate(provinces, central)

    assert set(AwardRecord.objects.values_list("unit__code", flat=True)) == {"HNA", "NB"}
    assert unit_histories(units=[new], year=2025, rule_set=spec())[new.pk].awards == ()
    assert unit_histories(units=[new], year=2025)[new.pk].awards == ()  # the rule set of the year
    inherited = unit_histories(units=[new], year=2025, rule_set=spec(inherit_on_consolidation=True))[new.pk]
    assert held(inherited) == {("TTLDXS", 2023), ("TTLDXS", 2024), ("CO_TD_TLD", 2024)}
    old = unit_histories(units=[fresh(provinces["hna"])], year=2024, rule_set=spec())
    assert held(old[provinces["hna"].pk]) == {("TTLDXS", 2023), ("TTLDXS", 2024)}


def test_a_merger_carries_the_absorbed_units_titles_then_a_consolidation_by_policy(tree, provinces, central):
    vn = provinces["vn"]
    title(provinces["hna"], "TTLDXS", 2024, vn)
    title(provinces["nb"], "TTLDXS", 2023, vn)
    orgunit_merge(acting_user=central, sources=[provinces["hna"]], target=provinces["nb"], merged_on=JULY_1)
    nb = fresh(provinces["nb"])
    assert held(unit_histories(units=[nb], year=2025, rule_set=spec())[nb.pk]) == {
        ("TTLDXS", 2023),
        ("TTLDXS", 2024),
    }
    # the year before the merger is judged on Ninh Bình's own titles
    assert held(unit_histories(units=[nb], year=2024, rule_set=spec())[nb.pk]) == {("TTLDXS", 2023)}
    new = consolidate(provinces, central, on=dt.date(2026, 1, 1), sources=("nb", "nd"), code="NB-2026")
    assert unit_histories(units=[new], year=2026, rule_set=spec())[new.pk].awards == ()
    inherited = unit_histories(units=[new], year=2026, rule_set=spec(inherit_on_consolidation=True))[new.pk]
    assert held(inherited) == {("TTLDXS", 2023), ("TTLDXS", 2024)}


def test_individuals_keep_their_own_history(tree, provinces, central):
    lan = Membership.objects.get(person__full_name="Vũ Thị Lan").person
    AwardRecord.objects.create(
        person=lan,
        scope_unit=provinces["bv"],
        award_type=AwardType.objects.get(code="LDTT"),
        year=2024,
        decision_number="5/QĐ-CĐCS",
        decision_date=dt.date(2024, 12, 20),
        issuing_unit=provinces["bv"],
    )
    consolidate(provinces, central)
    assert held(person_histories(persons=[lan], year=2025)[lan.pk]) == {("LDTT", 2024)}


# --- acceptance 2: members, clusters, movements, decisions -----------------------------------------------


@pytest.fixture
def emulation(provinces):
    """The provincial federations' khối of the Tổng LĐ for 2025 (Ninh Bình leads, Nam Định deputy), Hà Nam's
    own cụm of 2025 and of 2024 (ranked: a finished year), and Hà Nam's movements."""
    p = provinces
    khoi = Cluster.objects.create(organiser=p["vn"], year=2025, name="Khối các tỉnh đồng bằng", kind="KHOI")
    for unit, role in ((p["nb"], "LEADER"), (p["hna"], "MEMBER"), (p["nd"], "DEPUTY")):
        ClusterMember.objects.create(cluster=khoi, unit=unit, organiser=p["vn"], year=2025, role=role)
    cum = Cluster.objects.create(organiser=p["hna"], year=2025, name="Cụm thi đua số 1")
    cum_2024 = Cluster.objects.create(organiser=p["hna"], year=2024, name="Cụm thi đua số 1")
    for cluster in (cum, cum_2024):
        for rank, (unit, role) in enumerate(((p["bv"], "LEADER"), (p["dm"], "MEMBER")), start=1):
            ClusterMember.objects.create(
                cluster=cluster,
                unit=unit,
                organiser=p["hna"],
                year=cluster.year,
                role=role,
                rank=rank if cluster.year == 2024 else None,
            )

    def movement(name, *, year=2025, status="LAUNCHED", end=dt.date(2025, 12, 31)):
        return Movement.objects.create(
            organiser=p["hna"],
            name=name,
            kind="YEARLY",
            year=year,
            start_date=dt.date(year, 1, 1),
            end_date=end,
            status=status,
        )

    running = movement("Phong trào thi đua lao động giỏi năm 2025")
    ended = movement("Đợt thi đua cao điểm quý I năm 2025", end=dt.date(2025, 3, 31))
    closed = movement("Phong trào thi đua năm 2024", year=2024, status="CLOSED", end=dt.date(2024, 12, 31))
    registration = Registration.objects.create(movement=running, unit=p["bv"], titles=["TTLDTT"])
    return {
        "khoi": khoi,
        "cum": cum,
        "cum_2024": cum_2024,
        "running": running,
        "ended": ended,
        "closed": closed,
        "registration": registration,
    }


def test_acceptance_consolidation_carries_members_clusters_and_movements(tree, provinces, emulation, central):
    p, e = provinces, emulation
    direct = add_person(p["nd"], "Trần Văn Nam", gender="M", card="3600000001")
    new = consolidate(provinces, central)

    assert Membership.objects.get(person__full_name="Vũ Thị Lan", ended_on__isnull=True).unit == p["bv"]
    assert OrgUnit.objects.get_parent(fresh(p["bv"])) == new
    assert Membership.objects.get(person=direct, ended_on__isnull=True).unit == new
    assert Membership.objects.get(person=direct, ended_on=JUNE_30).unit == p["nd"]
    # the khối of the Tổng LĐ: the new unit takes Ninh Bình's seat as leader, the others' seats end
    assert {m.unit_id: m.role for m in ClusterMember.objects.filter(cluster=e["khoi"])} == {new.pk: "LEADER"}
    cum = Cluster.objects.get(pk=e["cum"].pk)
    assert cum.organiser == new and cum.name == "Cụm thi đua số 1"
    members = ClusterMember.objects.filter(cluster=cum)
    assert set(members.values_list("organiser_id", flat=True)) == {new.pk}
    assert set(members.values_list("unit_id", flat=True)) == {p["bv"].pk, p["dm"].pk}
    assert Cluster.objects.get(pk=e["cum_2024"].pk).organiser == p["hna"]  # a finished year
    # movements: the running one goes on at the new unit with its registrations; the others stay
    assert Movement.objects.get(pk=e["running"].pk).organiser == new
    assert Registration.objects.get(pk=e["registration"].pk).movement_id == e["running"].pk
    assert Movement.objects.get(pk=e["ended"].pk).organiser == p["hna"]
    assert Movement.objects.get(pk=e["closed"].pk).organiser == p["hna"]
    summary = AuditEvent.objects.get(action="orgunit.consolidate", unit=p["hna"]).summary
    assert "1 cụm, khối thi đua tổ chức, bỏ 1 chỗ của đơn vị cũ trong cụm, khối thi đua" in summary
    assert "1 phong trào thi đua đang diễn ra" in summary
    assert (
        "1 chỗ trong cụm, khối thi đua"
        in AuditEvent.objects.get(action="orgunit.consolidate", unit=p["nb"]).summary
    )


def test_decisions_of_a_closed_federation_are_valid_up_to_its_last_day(tree, provinces, central):
    consolidate(provinces, central)
    hna = fresh(provinces["hna"])
    bk = AwardType.objects.get(code="BK_LDLD")

    def enter(day, number):
        return award_record_enter(
            acting_user=central,
            award_type=bk,
            year=2024,
            decision_number=number,
            decision_date=day,
            issuing_unit=hna,
            unit=fresh(provinces["bv"]),
        )

    assert enter(dt.date(2025, 6, 20), "30/QĐ-LĐLĐ").issuing_unit == hna
    assert enter(JUNE_30, "31/QĐ-LĐLĐ").decision_date == JUNE_30
    for day in (JULY_1, dt.date(2025, 8, 1)):
        with pytest.raises(ServiceError) as refused:
            enter(day, f"{day.day}{day.month}/QĐ-LĐLĐ")
        assert f"không tồn tại vào ngày quyết định {day:%d/%m/%Y}" in refused.value.message
        assert "hiệu lực không rõ–30/06/2025" in refused.value.message
    assert AwardRecord.objects.filter(issuing_unit=hna).count() == 2
    # the engine's own check (R-ORG-02) reads the same dates
    issuer = Issuer(name=hna.name, valid_from=hna.valid_from, valid_to=hna.valid_to)
    assert check_issuer_validity(issuer=issuer, decision_date=JUNE_30, award="BK_LDLD").passed
    late = check_issuer_validity(issuer=issuer, decision_date=JULY_1, award="BK_LDLD")
    assert not late.passed and "đã chấm dứt hiệu lực ngày 30/06/2025" in late.explanation


# --- the handlers on their own ---------------------------------------------------------------------------


def test_handlers_are_registered_in_order():
    keys = [hook.key for hook in hooks._sorted_hooks()]
    assert (
        keys.index("members.memberships")
        < keys.index("clusters.clusters")
        < keys.index("movements.movements")
    )


def test_previews_list_what_the_handlers_would_do(tree, provinces, emulation):
    p = provinces
    nb, hna, nd = (p[k].name for k in ("nb", "hna", "nd"))
    assert preview_clusters(source=p["hna"], target=p["nb"], on=JULY_1) == [
        f"Chuyển Cụm thi đua số 1 năm 2025 sang đơn vị tổ chức “{nb}”",
        f"Bỏ chỗ của “{hna}” trong Khối các tỉnh đồng bằng năm 2025 (“{nb}” không thể thay)",
    ]
    # a unit not created yet (the preview of a consolidation) takes the seat
    new = OrgUnit(name="Liên đoàn Lao động tỉnh Ninh Bình (mới)")
    assert preview_clusters(source=p["nd"], target=new, on=JULY_1) == [
        f"“{new.name}” thay “{nd}” trong Khối các tỉnh đồng bằng năm 2025 (khối phó)"
    ]
    assert preview_clusters(source=p["hna"], target=new, on=JULY_1)[0] == (
        f"Chuyển Cụm thi đua số 1 năm 2025 sang đơn vị tổ chức “{new.name}”"
    )
    assert preview_movements(source=p["hna"], target=new, on=JULY_1) == [
        "Chuyển phong trào “Phong trào thi đua lao động giỏi năm 2025” (01/01/2025–31/12/2025) sang đơn vị "
        f"phát động “{new.name}”"
    ]
    # from 2026 on, nothing of 2025 is carried
    assert preview_clusters(source=p["hna"], target=p["nb"], on=dt.date(2026, 1, 1)) == []
    assert preview_movements(source=p["hna"], target=p["nb"], on=dt.date(2026, 1, 1)) == []


def test_a_deputy_successor_of_the_leader_leads(tree, provinces, emulation, central):
    p, e = provinces, emulation
    # Ninh Bình (leader) goes into Nam Định (deputy): Nam Định leads the khối from now on
    assert preview_clusters(source=p["nb"], target=p["nd"], on=JULY_1)[0] == (
        f"“{p['nd'].name}” nhận vai trò khối trưởng của Khối các tỉnh đồng bằng năm 2025"
    )
    result = carry_clusters(acting_user=central, source=p["nb"], target=p["nd"], on=JULY_1, reason="")
    assert result == "bỏ 1 chỗ của đơn vị cũ trong cụm, khối thi đua"
    seats = {m.unit_id: m.role for m in ClusterMember.objects.filter(cluster=e["khoi"])}
    assert seats == {p["hna"].pk: "MEMBER", p["nd"].pk: "LEADER"}


def test_a_seat_the_successor_cannot_take_ends_unless_it_has_results(tree, provinces, emulation, central):
    p, e = provinces, emulation
    bv, hna = p["bv"].name, p["hna"].name
    # Hà Nam's hospital union dissolved into Hà Nam itself, the organiser of its cụm
    assert preview_clusters(source=p["bv"], target=p["hna"], on=JULY_1) == [
        f"Bỏ chỗ của “{bv}” trong Cụm thi đua số 1 năm 2025 (“{hna}” không thể thay)"
    ]
    # … into a union outside Hà Nam (not under the organiser): the seat ends
    carry_clusters(acting_user=central, source=p["bv"], target=p["nb"], on=JULY_1, reason="")
    assert set(ClusterMember.objects.filter(cluster=e["cum"]).values_list("unit_id", flat=True)) == {
        p["dm"].pk
    }
    assert ClusterMember.objects.filter(cluster=e["cum_2024"], unit=p["bv"], rank=1).exists()


def test_a_cluster_that_would_clash_at_the_successor_stays(tree, provinces, emulation, central):
    p, e = provinces, emulation
    own = Cluster.objects.create(organiser=p["nd"], year=2025, name="Cụm thi đua số 1")
    ClusterMember.objects.create(cluster=own, unit=p["dm"], organiser=p["nd"], year=2025, role="LEADER")
    assert preview_clusters(source=p["hna"], target=p["nd"], on=JULY_1)[0] == (
        f"Giữ Cụm thi đua số 1 năm 2025 ở “{p['hna'].name}”: “{p['dm'].name}” đã là thành viên "
        f"“Cụm thi đua số 1” năm 2025 của “{p['nd'].name}”"
    )
    orgunit_merge(acting_user=central, sources=[p["hna"]], target=p["nd"], merged_on=JULY_1)
    assert fresh(p["hna"]).valid_to == JUNE_30
    assert Cluster.objects.get(pk=e["cum"].pk).organiser == p["hna"]
