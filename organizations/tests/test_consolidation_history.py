"""Issue 15, acceptance 2: LĐLĐ tỉnh Ninh Bình, Hà Nam and Nam Định consolidated into a new LĐLĐ tỉnh Ninh
Bình from 01/07/2025 — what the new unit inherits: the collectives' titles by R-ORG-01 (merger carries them,
consolidation only when the rule set says so), the members, the clusters and movements still open, and
the closed units' standing as issuers of decisions (R-ORG-02)."""

import datetime as dt
from dataclasses import replace

import pytest

from accounts.roles import Role
from clusters.models import Cluster, ClusterMember
from clusters.restructuring import carry_clusters, preview_clusters
from commendations.models import AwardRecord, AwardType, RuleSet
from commendations.selectors import assess_collectives
from commendations.services import award_record_enter
from conftest import add_person, add_unit
from core.exceptions import ServiceError
from core.models import AuditEvent
from members.models import Membership
from movements.models import Movement, Registration
from movements.restructuring import carry_movements, preview_movements
from organizations.models import OrgUnit, OrgUnitType, Succession
from organizations.selectors import title_predecessors
from organizations.services import orgunit_consolidate, orgunit_merge

pytestmark = pytest.mark.django_db

JULY_1 = dt.date(2025, 7, 1)
JUNE_30 = dt.date(2025, 6, 30)


def fresh(unit):
    return OrgUnit.objects.get(pk=unit.pk)


@pytest.fixture
def provinces(tree):
    vn = fresh(tree.vn)
    ha_nam = add_unit(vn, "HNA", "Liên đoàn Lao động tỉnh Hà Nam", "LDLD_TINH")
    nam_dinh = add_unit(fresh(vn), "ND", "Liên đoàn Lao động tỉnh Nam Định", "LDLD_TINH")
    add_unit(ha_nam, "HNA-BV", "Công đoàn Bệnh viện tỉnh Hà Nam", "CDCS")
    add_person(fresh(nam_dinh), "Vũ Thị Lan", card="3500000001")  # a member held directly by the province
    return {"nb": fresh(tree.nb), "hna": fresh(ha_nam), "nd": fresh(nam_dinh)}


@pytest.fixture
def central(make_user, tree):
    return make_user(Role.OFFICER, tree.vn)


def consolidate(tree, provinces, user):
    return orgunit_consolidate(
        acting_user=user,
        sources=[provinces["nb"], provinces["hna"], provinces["nd"]],
        parent=fresh(tree.vn),
        name="Liên đoàn Lao động tỉnh Ninh Bình",
        code="NB-2025",
        unit_type=OrgUnitType.objects.get(code="LDLD_TINH"),
        on=JULY_1,
        document_number="88/QĐ-TLĐ",
        document_date=dt.date(2025, 6, 25),
    )


def title(unit, year, code="TTLDXS", issuer=None):
    return AwardRecord.objects.create(
        unit=unit,
        scope_unit=unit,
        award_type=AwardType.objects.get(code=code),
        year=year,
        decision_number=f"{year % 100}/QĐ-TLĐ",
        decision_date=dt.date(year + 1, 1, 20),
        issuing_unit=issuer or unit,
    )


def rule_set(*, inherit: bool):
    spec = RuleSet.objects.get(code="TLD-2025-ND152").to_spec()
    return replace(spec, params={**spec.params, "inherit_on_consolidation": inherit})


def history_awards(unit, *, inherit: bool, year=2025):
    history = assess_collectives(units=[unit], year=year, rule_set=rule_set(inherit=inherit))[unit.pk].history
    return sorted((a.code, a.year) for a in history.awards)


# --- acceptance 2 ---------------------------------------------------------------------------------------


def test_three_provinces_consolidated_the_new_unit_inherits_what_goes_on(tree, provinces, central):
    nb, hna, nd = provinces["nb"], provinces["hna"], provinces["nd"]
    awards = [title(nb, 2023), title(nb, 2024), title(hna, 2024, code="TTLDTT")]
    # clusters: the block of provinces the central level organises (2024 closed, 2025 open), and the
    # clusters each province organises for its districts (the same name in two provinces)
    block_2024 = Cluster.objects.create(organiser=tree.vn, year=2024, name="Khối các LĐLĐ tỉnh", kind="KHOI")
    block = Cluster.objects.create(organiser=tree.vn, year=2025, name="Khối các LĐLĐ tỉnh", kind="KHOI")
    ClusterMember.objects.create(
        cluster=block_2024, unit=nb, organiser=tree.vn, year=2024, role="LEADER", rank=1
    )
    for unit, role in ((nb, "MEMBER"), (hna, "LEADER"), (nd, "DEPUTY")):
        ClusterMember.objects.create(cluster=block, unit=unit, organiser=tree.vn, year=2025, role=role)
    nb_cluster = Cluster.objects.create(organiser=nb, year=2025, name="Cụm thi đua số 1")
    ClusterMember.objects.create(cluster=nb_cluster, unit=tree.yk, organiser=nb, year=2025, role="LEADER")
    hna_bv = OrgUnit.objects.get(code="HNA-BV")
    hna_cluster = Cluster.objects.create(organiser=hna, year=2025, name="Cụm thi đua số 1")
    ClusterMember.objects.create(cluster=hna_cluster, unit=hna_bv, organiser=hna, year=2025)
    nb_2024 = Cluster.objects.create(organiser=nb, year=2024, name="Cụm thi đua số 1")
    ClusterMember.objects.create(cluster=nb_2024, unit=tree.yk, organiser=nb, year=2024, rank=1)
    running = Movement.objects.create(
        organiser=nb,
        name="Thi đua lao động giỏi năm 2025",
        kind="YEARLY",
        year=2025,
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2025, 12, 31),
        status="LAUNCHED",
    )
    registration = Registration.objects.create(movement=running, unit=tree.yk, titles=["TTLDXS"])
    finished = Movement.objects.create(
        organiser=nb,
        name="Thi đua 100 ngày",
        kind="PEAK",
        year=2025,
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2025, 4, 10),
        status="CLOSED",
    )

    new = consolidate(tree, provinces, central)

    # awards stay on the units that earned them
    assert {a.pk: a.unit_id for a in AwardRecord.objects.all()} == {a.pk: a.unit_id for a in awards}
    # R-ORG-01: by default the new collective starts fresh; with the rule set's option it carries them on
    assert history_awards(new, inherit=False) == []
    assert history_awards(new, inherit=True) == [("TTLDTT", 2024), ("TTLDXS", 2023), ("TTLDXS", 2024)]
    # the old units keep their own history
    assert history_awards(fresh(nb), inherit=False) == [("TTLDXS", 2023), ("TTLDXS", 2024)]
    # members: the one held directly by Nam Định now belongs to the new unit, the past kept
    lan = Membership.objects.filter(person__full_name="Vũ Thị Lan").order_by("started_on", "pk")
    assert [(m.unit_id, m.ended_on) for m in lan] == [(nd.pk, JUNE_30), (new.pk, None)]
    # clusters of 2025 go on at the new unit, 2024 keeps the old ones
    seats = {m.unit_id: m.role for m in ClusterMember.objects.filter(cluster=block)}
    assert seats == {new.pk: "LEADER"}  # Ninh Bình's seat passed, Hà Nam's role too, the others removed
    assert ClusterMember.objects.get(cluster=block_2024).unit == nb
    nb_cluster.refresh_from_db()
    hna_cluster.refresh_from_db()
    assert (nb_cluster.organiser, nb_cluster.name) == (new, "Cụm thi đua số 1")
    assert (hna_cluster.organiser, hna_cluster.name) == (
        new,
        "Cụm thi đua số 1 (Liên đoàn Lao động tỉnh Hà Nam)",
    )
    assert set(
        ClusterMember.objects.filter(cluster__in=[nb_cluster, hna_cluster]).values_list(
            "organiser", flat=True
        )
    ) == {new.pk}
    nb_2024.refresh_from_db()
    assert nb_2024.organiser == nb and ClusterMember.objects.get(cluster=nb_2024).organiser == nb
    # movements: the running one is organised by the new unit with its registrations, the closed one stays
    running.refresh_from_db()
    finished.refresh_from_db()
    assert running.organiser == new and finished.organiser == nb
    registration.refresh_from_db()
    assert registration.movement == running and registration.unit == tree.yk
    assert AuditEvent.objects.filter(action="movement.successor", unit=new).count() == 1
    assert AuditEvent.objects.filter(action="cluster.restructure").count() >= 4
    summary = AuditEvent.objects.get(action="orgunit.consolidate", unit=nb).summary
    assert "1 cụm, khối thi đua tổ chức" in summary and "1 phong trào thi đua đang diễn ra" in summary


def test_a_closed_unit_issues_decisions_dated_before_its_end_only(tree, provinces, central):
    consolidate(tree, provinces, central)
    old_nb = fresh(provinces["nb"])
    assert old_nb.valid_to == JUNE_30
    values = {
        "acting_user": central,
        "award_type": AwardType.objects.get(code="BK_LDLD"),
        "year": 2024,
        "issuing_unit": old_nb,
        "person": tree.yen_khanh,
    }
    record = award_record_enter(decision_number="15/QĐ-LĐLĐ", decision_date=JUNE_30, **values)
    assert record.issuing_unit == old_nb
    with pytest.raises(ServiceError) as refused:
        award_record_enter(decision_number="16/QĐ-LĐLĐ", decision_date=JULY_1, **values)
    assert "không tồn tại vào ngày quyết định 01/07/2025" in refused.value.message
    assert refused.value.field == "issuing_unit"


# --- R-ORG-01: the selector -------------------------------------------------------------------------------


def test_merger_carries_titles_transitively_dissolution_does_not(tree, provinces, central):
    nb, hna, nd = provinces["nb"], provinces["hna"], provinces["nd"]
    title(hna, 2023)
    title(nd, 2024)
    orgunit_merge(acting_user=central, sources=[hna], target=nd, merged_on=dt.date(2024, 3, 1))
    orgunit_merge(acting_user=central, sources=[fresh(nd)], target=fresh(nb), merged_on=JULY_1)
    # Hà Nam → Nam Định → Ninh Bình: both count for Ninh Bình, the nearest first
    assert title_predecessors([nb], inherit_on_consolidation=False) == {nb.pk: [nd.pk, hna.pk]}
    assert history_awards(fresh(nb), inherit=False) == [("TTLDXS", 2023), ("TTLDXS", 2024)]
    # a merger effective after the year assessed does not count for it
    assert title_predecessors([nb], inherit_on_consolidation=False, as_of=dt.date(2024, 12, 31)) == {
        nb.pk: []
    }
    # dissolution and split never pass titles
    Succession.objects.create(predecessor=tree.md, successor=tree.hn, kind="giai_the", on=JULY_1)
    Succession.objects.create(predecessor=tree.hbt, successor=tree.hn, kind="chia_tach", on=JULY_1)
    assert title_predecessors([tree.hn], inherit_on_consolidation=True) == {tree.hn.pk: []}


# --- the handlers -----------------------------------------------------------------------------------------


def test_nothing_to_carry(tree, central):
    assert preview_clusters(source=tree.md, target=tree.hbt, on=JULY_1) == []
    assert carry_clusters(acting_user=central, source=tree.md, target=tree.hbt, on=JULY_1, reason="") is None
    assert preview_movements(source=tree.md, target=tree.hbt, on=JULY_1) == []
    assert carry_movements(acting_user=central, source=tree.md, target=tree.hbt, on=JULY_1, reason="") is None


def test_cluster_preview_lines_say_what_happens(tree):
    md, hbt = tree.md, tree.hbt
    own = Cluster.objects.create(organiser=md, year=2025, name="Cụm thi đua số 1")
    ClusterMember.objects.create(cluster=own, unit=tree.ubnd, organiser=md, year=2025)
    Cluster.objects.create(organiser=hbt, year=2025, name="Cụm thi đua số 1")
    Cluster.objects.create(organiser=md, year=2024, name="Cụm thi đua cũ")  # a closed year: not listed
    districts = Cluster.objects.create(organiser=tree.hn, year=2025, name="Cụm các quận, huyện")
    ClusterMember.objects.create(cluster=districts, unit=md, organiser=tree.hn, year=2025, role="LEADER")
    ClusterMember.objects.create(cluster=districts, unit=hbt, organiser=tree.hn, year=2025)
    ranked = Cluster.objects.create(organiser=tree.vn, year=2025, name="Khối huyện")
    ClusterMember.objects.create(cluster=ranked, unit=md, organiser=tree.vn, year=2025, score=95)
    ClusterMember.objects.create(cluster=ranked, unit=hbt, organiser=tree.vn, year=2025)
    lines = preview_clusters(source=md, target=hbt, on=JULY_1)
    assert lines == [
        "Chuyển Cụm thi đua số 1 năm 2025 sang đơn vị tổ chức “Liên đoàn Lao động quận Hai Bà Trưng”, "
        "đổi tên thành “Cụm thi đua số 1 (LĐLĐ huyện Mỹ Đức)”",
        "“Liên đoàn Lao động quận Hai Bà Trưng” nhận vai trò cụm trưởng của Cụm các quận, huyện năm 2025",
        "Bỏ chỗ của “Liên đoàn Lao động huyện Mỹ Đức” trong Cụm các quận, huyện năm 2025 "
        "(“Liên đoàn Lao động quận Hai Bà Trưng” không thể thay)",
        "Giữ chỗ của “Liên đoàn Lao động huyện Mỹ Đức” trong Khối huyện năm 2025: "
        "đã có kết quả chấm điểm, xếp hạng của năm",
    ]
    assert ClusterMember.objects.filter(unit=md).count() == 2  # the preview changed nothing
