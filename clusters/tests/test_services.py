"""Clusters (cụm, khối thi đua), covenants and year-end ranking: services and selectors."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from accounts.roles import Role
from clusters import selectors
from clusters import services as svc
from clusters.choices import ClusterKind, ClusterRole
from clusters.models import Cluster, ClusterMember, Covenant
from conftest import add_unit
from core.exceptions import ServiceError
from core.models import AuditEvent
from organizations.models import OrgUnit

L, D, M = ClusterRole.LEADER, ClusterRole.DEPUTY, ClusterRole.MEMBER


@pytest.fixture
def md_units(tree):
    """Mỹ Đức's grassroots unions (Vietnamese name order: ttyt, thpt, ubnd, an_phu, huong_son)."""
    md = tree.md
    units = {
        "ubnd": tree.ubnd,
        "ttyt": add_unit(md, "HN-MD-TTYT", "Công đoàn Trung tâm Y tế huyện Mỹ Đức", "CDCS"),
        "thpt": add_unit(md, "HN-MD-THPTA", "Công đoàn Trường THPT Mỹ Đức A", "CDCS"),
        "an_phu": add_unit(md, "HN-MD-XAP", "Công đoàn xã An Phú", "CDCS"),
        "huong_son": add_unit(md, "HN-MD-XHS", "Công đoàn xã Hương Sơn", "CDCS"),
    }
    tree.md = OrgUnit.objects.get(pk=md.pk)
    return units


def make_cluster(user, organiser, members, *, name="Cụm thi đua số 1", year=2024, kind=ClusterKind.CUM):
    return svc.cluster_create(
        acting_user=user, organiser=organiser, year=year, name=name, kind=kind, members=members
    )


@pytest.mark.django_db
class TestClusterCreateAndMembers:
    def test_create_with_members_and_audit(self, officer, tree, md_units):
        u = md_units
        cluster = make_cluster(officer, tree.md, [(u["ubnd"], L), (u["ttyt"], D), (u["thpt"], M)])
        roles = {m.unit.code: m.role for m in cluster.members.select_related("unit")}
        assert roles == {"HN-MD-UBND": L, "HN-MD-TTYT": D, "HN-MD-THPTA": M}
        assert set(ClusterMember.objects.values_list("organiser_id", "year").distinct()) == {
            (tree.md.pk, 2024)
        }
        events = AuditEvent.objects.filter(object_type="clusters.cluster", object_id=str(cluster.pk))
        assert set(events.values_list("action", flat=True)) == {"cluster.create", "cluster.members"}
        members_event = events.get(action="cluster.members")
        assert (
            members_event.unit_id == tree.md.pk and "Cụm trưởng: “Công đoàn Ủy ban" in members_event.summary
        )
        assert members_event.changes["Công đoàn Trung tâm Y tế huyện Mỹ Đức"] == [None, D]

    def test_duplicate_name_same_year_refused_other_year_allowed(self, officer, tree, md_units):
        make_cluster(officer, tree.md, [(md_units["ubnd"], L)])
        with pytest.raises(ServiceError, match="Năm 2024 đã có “Cụm thi đua số 1”"):
            make_cluster(officer, tree.md, [(md_units["ttyt"], L)])
        make_cluster(officer, tree.md, [(md_units["ubnd"], L)], year=2023)

    def test_blank_name_and_bad_year(self, officer, tree):
        with pytest.raises(ServiceError, match="không được để trống"):
            make_cluster(officer, tree.md, None, name="  ")
        with pytest.raises(ServiceError, match="Năm 1990 không hợp lệ"):
            make_cluster(officer, tree.md, None, year=1990)

    @pytest.mark.parametrize(
        ("roles", "message"),
        [
            ((M, M), "Chọn một đơn vị làm Cụm trưởng."),
            ((L, L), "Chỉ được chọn một Cụm trưởng \\(đang chọn “Công đoàn Ủy ban nhân dân huyện Mỹ Đức”, "),
            ((L, D, D), "Chỉ được chọn một Cụm phó \\(đang chọn “Công đoàn Trung tâm Y tế"),
        ],
    )
    def test_leader_and_deputy_rules(self, officer, tree, md_units, roles, message):
        units = [md_units["ubnd"], md_units["ttyt"], md_units["thpt"]]
        with pytest.raises(ServiceError, match=message):
            make_cluster(officer, tree.md, list(zip(units, roles, strict=False)))
        assert not ClusterMember.objects.exists()
        assert not Cluster.objects.exists()  # one transaction: the cluster is not left behind

    def test_block_wording(self, officer, tree, md_units):
        with pytest.raises(ServiceError, match="Chọn một đơn vị làm Khối trưởng."):
            make_cluster(
                officer, tree.md, [(md_units["ubnd"], M)], kind=ClusterKind.KHOI, name="Khối giáo dục"
            )

    def test_empty_and_duplicate_member_lists(self, officer, tree, md_units):
        cluster = make_cluster(officer, tree.md, None)
        with pytest.raises(ServiceError, match="ít nhất một đơn vị"):
            svc.cluster_set_members(acting_user=officer, cluster=cluster, members=[])
        with pytest.raises(ServiceError, match="Đơn vị “Công đoàn xã An Phú” được chọn hai lần."):
            svc.cluster_set_members(
                acting_user=officer,
                cluster=cluster,
                members=[(md_units["an_phu"], L), (md_units["an_phu"], M)],
            )

    def test_unit_outside_subtree_organiser_itself_and_inactive(self, officer, tree, md_units):
        cluster = make_cluster(officer, tree.md, None)
        with pytest.raises(ServiceError, match="“Công đoàn phường Minh Khai” không trực thuộc “Liên đoàn"):
            svc.cluster_set_members(acting_user=officer, cluster=cluster, members=[(tree.mk, L)])
        with pytest.raises(ServiceError, match="là đơn vị tổ chức"):
            svc.cluster_set_members(acting_user=officer, cluster=cluster, members=[(tree.md, L)])
        closed = md_units["huong_son"]
        closed.valid_to = dt.date(2023, 6, 30)
        closed.save()
        with pytest.raises(ServiceError, match="“Công đoàn xã Hương Sơn” không còn hoạt động trong năm 2024"):
            svc.cluster_set_members(acting_user=officer, cluster=cluster, members=[(closed, L)])

    def test_one_cluster_per_unit_per_organiser_and_year(self, officer, tree, md_units):
        u = md_units
        make_cluster(officer, tree.md, [(u["ubnd"], L), (u["ttyt"], M)])
        second = make_cluster(officer, tree.md, [(u["thpt"], L)], name="Cụm thi đua số 2")
        with pytest.raises(
            ServiceError,
            match="Đơn vị “Công đoàn Trung tâm Y tế huyện Mỹ Đức” đã thuộc “Cụm thi đua số 1” năm 2024",
        ):
            svc.cluster_set_members(
                acting_user=officer, cluster=second, members=[(u["thpt"], L), (u["ttyt"], M)]
            )
        # another year is free
        make_cluster(officer, tree.md, [(u["ttyt"], L)], year=2023)
        # the database refuses it too
        with pytest.raises(IntegrityError), transaction.atomic():
            ClusterMember.objects.create(cluster=second, unit=u["ttyt"], organiser=tree.md, year=2024)

    def test_swapping_leader_and_deputy_keeps_rank(self, officer, tree, md_units):
        u = md_units
        cluster = make_cluster(officer, tree.md, [(u["ubnd"], L), (u["ttyt"], D), (u["thpt"], M)])
        ClusterMember.objects.filter(unit=u["thpt"]).update(rank=3)
        svc.cluster_set_members(
            acting_user=officer, cluster=cluster, members=[(u["ubnd"], D), (u["ttyt"], L), (u["thpt"], M)]
        )
        roles = dict(cluster.members.values_list("unit__code", "role"))
        assert roles == {"HN-MD-UBND": D, "HN-MD-TTYT": L, "HN-MD-THPTA": M}
        assert ClusterMember.objects.get(unit=u["thpt"]).rank == 3
        svc.cluster_set_members(acting_user=officer, cluster=cluster, members=[(u["ttyt"], L)])
        assert list(cluster.members.values_list("unit__code", flat=True)) == ["HN-MD-TTYT"]

    def test_permission_outside_scope(self, make_user, tree, md_units, officer):
        other = make_user(Role.OFFICER, tree.hbt)
        with pytest.raises(PermissionDenied):
            make_cluster(other, tree.md, [(md_units["ubnd"], L)])
        council = make_user(Role.COUNCIL, tree.hn)
        with pytest.raises(PermissionDenied):
            make_cluster(council, tree.md, [(md_units["ubnd"], L)])
        cluster = make_cluster(officer, tree.md, [(md_units["ubnd"], L)])
        with pytest.raises(PermissionDenied):
            svc.cluster_set_members(acting_user=other, cluster=cluster, members=[(md_units["ttyt"], L)])
        with pytest.raises(PermissionDenied):
            svc.cluster_update(acting_user=other, cluster=cluster, name="X", kind=ClusterKind.CUM)

    def test_update(self, officer, tree, md_units):
        cluster = make_cluster(officer, tree.md, [(md_units["ubnd"], L)])
        svc.cluster_update(
            acting_user=officer, cluster=cluster, name="Khối giáo dục", kind=ClusterKind.KHOI, flag_quota=2
        )
        cluster.refresh_from_db()
        assert (cluster.name, cluster.kind, cluster.flag_quota) == ("Khối giáo dục", "KHOI", 2)
        event = AuditEvent.objects.get(action="cluster.update")
        assert event.changes["name"] == ["Cụm thi đua số 1", "Khối giáo dục"]
        assert cluster.members.get().role_label == "Khối trưởng"


@pytest.mark.django_db
class TestRotation:
    def test_copy_rotates_leader_in_name_order(self, officer, tree, md_units):
        u = md_units  # name order: ttyt, thpt, ubnd, an_phu, huong_son
        make_cluster(officer, tree.md, [(u["thpt"], L), (u["ubnd"], D), (u["an_phu"], M), (u["ttyt"], M)])
        make_cluster(officer, tree.md, [(u["huong_son"], L)], name="Cụm thi đua số 2")
        created = svc.cluster_copy_from_previous_year(acting_user=officer, organiser=tree.md, year=2025)
        assert [c.name for c in created] == ["Cụm thi đua số 1", "Cụm thi đua số 2"]
        first = Cluster.objects.get(year=2025, name="Cụm thi đua số 1")
        roles = dict(first.members.values_list("unit__code", "role"))
        assert roles == {"HN-MD-UBND": L, "HN-MD-THPTA": D, "HN-MD-XAP": M, "HN-MD-TTYT": M}
        # a cluster of one unit keeps it as leader, with no deputy
        second = Cluster.objects.get(year=2025, name="Cụm thi đua số 2")
        assert dict(second.members.values_list("unit__code", "role")) == {"HN-MD-XHS": L}
        events = AuditEvent.objects.filter(action="cluster.copy")
        assert events.count() == 2
        first_event = events.order_by("pk").first()
        assert "luân phiên Cụm trưởng: “Công đoàn Ủy ban nhân dân huyện Mỹ Đức”" in first_event.summary

    def test_rotation_wraps_round_and_skips_units_gone(self, officer, tree, md_units):
        u = md_units
        make_cluster(officer, tree.md, [(u["huong_son"], L), (u["ttyt"], M), (u["thpt"], D)])
        OrgUnit.objects.filter(pk=u["ttyt"].pk).update(valid_to=dt.date(2024, 12, 31))
        svc.cluster_copy_from_previous_year(acting_user=officer, organiser=tree.md, year=2025)
        roles = dict(Cluster.objects.get(year=2025).members.values_list("unit__code", "role"))
        # after Hương Sơn comes TTYT (wrapping round), which has closed: THPT leads
        assert roles == {"HN-MD-THPTA": L, "HN-MD-XHS": D}

    def test_copy_skips_existing_names_and_placed_units(self, officer, tree, md_units):
        u = md_units
        make_cluster(officer, tree.md, [(u["ubnd"], L), (u["ttyt"], M)])
        make_cluster(officer, tree.md, [(u["ttyt"], L)], name="Cụm mới", year=2025)
        svc.cluster_copy_from_previous_year(acting_user=officer, organiser=tree.md, year=2025)
        copied = Cluster.objects.get(year=2025, name="Cụm thi đua số 1")
        assert dict(copied.members.values_list("unit__code", "role")) == {"HN-MD-UBND": L}
        with pytest.raises(ServiceError, match="Không có cụm, khối nào để sao chép"):
            svc.cluster_copy_from_previous_year(acting_user=officer, organiser=tree.md, year=2025)

    def test_copy_needs_permission(self, make_user, tree, md_units, officer):
        make_cluster(officer, tree.md, [(md_units["ubnd"], L)])
        with pytest.raises(PermissionDenied):
            svc.cluster_copy_from_previous_year(
                acting_user=make_user(Role.OFFICER, tree.hbt), organiser=tree.md, year=2025
            )


@pytest.mark.django_db
class TestCovenant:
    def test_record_with_document_and_update(self, officer, tree, md_units):
        u = md_units
        cluster = make_cluster(officer, tree.md, [(u["ubnd"], L), (u["ttyt"], D), (u["thpt"], M)])
        pdf = SimpleUploadedFile("giao-uoc.pdf", b"%PDF-1.4 test", content_type="application/pdf")
        covenant = svc.covenant_record(
            acting_user=officer,
            cluster=cluster,
            content="Thi đua Lao động giỏi, Lao động sáng tạo",
            signed_on=dt.date(2024, 2, 20),
            place="Hội trường UBND huyện Mỹ Đức",
            signatories=[u["ubnd"], u["ttyt"]],
            document=pdf,
        )
        assert covenant.document.name.startswith("covenants/") and covenant.document.name.endswith(".pdf")
        assert set(covenant.signatories.values_list("code", flat=True)) == {"HN-MD-UBND", "HN-MD-TTYT"}
        assert covenant.created_by == officer
        event = AuditEvent.objects.get(action="covenant.record")
        assert "ký ngày 20/02/2024 (2 đơn vị ký)" in event.summary and event.unit_id == tree.md.pk
        svc.covenant_record(
            acting_user=officer,
            cluster=cluster,
            content="Thi đua Lao động giỏi, Lao động sáng tạo",
            signed_on=dt.date(2024, 2, 21),
            signatories=[u["ubnd"], u["ttyt"], u["thpt"]],
        )
        covenant.refresh_from_db()
        assert Covenant.objects.count() == 1 and covenant.signatories.count() == 3
        assert covenant.document.name.endswith(".pdf")  # kept when no new file
        last = AuditEvent.objects.filter(action="covenant.record").order_by("-pk").first()
        assert last.changes["signed_on"] == ["2024-02-20", "2024-02-21"]
        assert "signatories" in last.changes

    def test_signatories_must_be_members(self, officer, tree, md_units):
        u = md_units
        cluster = make_cluster(officer, tree.md, [(u["ubnd"], L)])
        with pytest.raises(
            ServiceError, match="“Công đoàn xã An Phú” không phải thành viên “Cụm thi đua số 1”"
        ):
            svc.covenant_record(
                acting_user=officer,
                cluster=cluster,
                content="Nội dung",
                signed_on=dt.date(2024, 2, 20),
                signatories=[u["ubnd"], u["an_phu"]],
            )
        assert not Covenant.objects.exists()

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"content": " "}, "Nội dung giao ước không được để trống"),
            ({"signed_on": dt.date(2021, 1, 5)}, "không thuộc năm thi đua 2024"),
            ({"signatories": []}, "Chọn các đơn vị đã ký"),
            (
                {"document": SimpleUploadedFile("virus.exe", b"MZ")},
                "phải là tệp PDF, Word",
            ),
        ],
    )
    def test_validation(self, officer, tree, md_units, kwargs, message):
        cluster = make_cluster(officer, tree.md, [(md_units["ubnd"], L)])
        args = {
            "content": "Nội dung",
            "signed_on": dt.date(2024, 2, 20),
            "signatories": [md_units["ubnd"]],
            **kwargs,
        }
        with pytest.raises(ServiceError, match=message):
            svc.covenant_record(acting_user=officer, cluster=cluster, **args)

    def test_permission(self, officer, make_user, tree, md_units):
        cluster = make_cluster(officer, tree.md, [(md_units["ubnd"], L)])
        with pytest.raises(PermissionDenied):
            svc.covenant_record(
                acting_user=make_user(Role.LEADER, tree.md),
                cluster=cluster,
                content="Nội dung",
                signed_on=dt.date(2024, 2, 20),
                signatories=[md_units["ubnd"]],
            )


@pytest.mark.django_db
class TestRanking:
    @pytest.fixture
    def cluster(self, officer, tree, md_units):
        u = md_units
        return make_cluster(officer, tree.md, [(u["ubnd"], L), (u["ttyt"], D), (u["thpt"], M)])

    def rank(self, officer, cluster, md_units, ranks, *, proposed=(), reason="", scores=None):
        scores = scores or {}
        ranking = [(md_units[k], r, scores.get(k)) for k, r in ranks.items()]
        return svc.cluster_rank(
            acting_user=officer,
            cluster=cluster,
            ranking=ranking,
            proposed=[md_units[k] for k in proposed],
            override_reason=reason,
        )

    def test_rank_and_propose_leader(self, officer, cluster, md_units):
        scores = {"ubnd": Decimal("95.5"), "ttyt": Decimal("92"), "thpt": Decimal("88")}
        self.rank(
            officer, cluster, md_units, {"ubnd": 1, "ttyt": 2, "thpt": 3}, proposed=["ubnd"], scores=scores
        )
        rows = list(selectors.cluster_ranking(cluster=cluster))
        assert [(m.unit.code, m.rank, m.score, m.proposed_for_flag) for m in rows] == [
            ("HN-MD-UBND", 1, Decimal("95.50"), True),
            ("HN-MD-TTYT", 2, Decimal("92.00"), False),
            ("HN-MD-THPTA", 3, Decimal("88.00"), False),
        ]
        event = AuditEvent.objects.get(action="cluster.rank")
        assert "đề nghị tặng Cờ thi đua: “Công đoàn Ủy ban nhân dân huyện Mỹ Đức”" in event.summary
        # re-ranking in another order never meets the unique rank constraint
        self.rank(officer, cluster, md_units, {"ubnd": 3, "ttyt": 1, "thpt": 2}, proposed=["ttyt"])
        assert dict(cluster.members.values_list("unit__code", "rank")) == {
            "HN-MD-UBND": 3,
            "HN-MD-TTYT": 1,
            "HN-MD-THPTA": 2,
        }

    @pytest.mark.parametrize(
        ("ranks", "message"),
        [
            ({"ubnd": 1, "ttyt": 1, "thpt": 2}, "cùng xếp hạng 1"),
            ({"ubnd": 1, "ttyt": 2}, "Chưa xếp hạng đơn vị “Công đoàn Trường THPT Mỹ Đức A”"),
            (
                {"ubnd": 1, "ttyt": 2, "thpt": 4},
                "Thứ hạng của “Công đoàn Trường THPT Mỹ Đức A” phải từ 1 đến 3",
            ),
            ({"ubnd": 1, "ttyt": 2, "thpt": 3, "an_phu": 4}, "“Công đoàn xã An Phú” không phải thành viên"),
        ],
    )
    def test_rank_rules(self, officer, cluster, md_units, ranks, message):
        with pytest.raises(ServiceError, match=message):
            self.rank(officer, cluster, md_units, ranks)
        assert not cluster.members.filter(rank__isnull=False).exists()

    def test_scores_must_agree_with_ranks(self, officer, cluster, md_units):
        scores = {"ubnd": Decimal("90"), "ttyt": Decimal("93")}
        with pytest.raises(ServiceError, match="Thứ hạng không khớp với điểm: “Công đoàn Ủy ban"):
            self.rank(officer, cluster, md_units, {"ubnd": 1, "ttyt": 2, "thpt": 3}, scores=scores)

    def test_proposal_must_rank_first_unless_reason(self, officer, cluster, md_units):
        ranks = {"ubnd": 1, "ttyt": 2, "thpt": 3}
        with pytest.raises(ServiceError, match="phải là đơn vị dẫn đầu .*“Công đoàn Trung tâm Y tế"):
            self.rank(officer, cluster, md_units, ranks, proposed=["ttyt"])
        self.rank(
            officer, cluster, md_units, ranks, proposed=["ttyt"], reason="Đơn vị hạng 1 đã nhận Cờ năm trước"
        )
        assert cluster.members.get(proposed_for_flag=True).unit.code == "HN-MD-TTYT"
        event = AuditEvent.objects.get(action="cluster.rank")
        assert "lý do: Đơn vị hạng 1 đã nhận Cờ năm trước" in event.summary
        assert event.changes["override_reason"] == [None, "Đơn vị hạng 1 đã nhận Cờ năm trước"]

    def test_at_most_flag_quota_proposals(self, officer, cluster, md_units):
        ranks = {"ubnd": 1, "ttyt": 2, "thpt": 3}
        with pytest.raises(ServiceError, match="chỉ được đề nghị tặng Cờ thi đua cho 1 đơn vị dẫn đầu"):
            self.rank(officer, cluster, md_units, ranks, proposed=["ubnd", "ttyt"])
        svc.cluster_update(
            acting_user=officer, cluster=cluster, name=cluster.name, kind=cluster.kind, flag_quota=2
        )
        self.rank(officer, cluster, md_units, ranks, proposed=["ubnd", "ttyt"])  # the two leading units
        assert cluster.members.filter(proposed_for_flag=True).count() == 2

    def test_permission(self, make_user, tree, cluster, md_units):
        with pytest.raises(PermissionDenied):
            self.rank(make_user(Role.OFFICER, tree.hbt), cluster, md_units, {"ubnd": 1, "ttyt": 2, "thpt": 3})


@pytest.mark.django_db
class TestSelectors:
    def test_visibility_organiser_and_member_units(self, officer, make_user, tree, md_units):
        u = md_units
        cluster = make_cluster(officer, tree.md, [(u["ubnd"], L), (u["ttyt"], M)])
        # the grassroots union of a member sees its cluster; a sibling district does not
        ubnd_member = make_user(Role.MEMBER, tree.ubnd, include_subtree=False)
        assert list(selectors.cluster_visible(user=ubnd_member)) == [cluster]
        assert not selectors.cluster_visible(user=ubnd_member, action="movement.manage").exists()
        assert not selectors.cluster_visible(user=make_user(Role.OFFICER, tree.hbt)).exists()
        thpt_member = make_user(Role.MEMBER, u["thpt"], include_subtree=False)
        assert not selectors.cluster_visible(user=thpt_member).exists()
        assert list(selectors.cluster_visible(user=make_user(Role.COUNCIL, tree.hn))) == [cluster]

    def test_clusters_of_unit_and_unassigned(self, officer, tree, md_units):
        u = md_units
        cluster = make_cluster(officer, tree.md, [(u["ubnd"], L), (u["ttyt"], D)])
        mine = selectors.clusters_of_unit(user=officer, unit=u["ttyt"])
        assert mine == [cluster]
        assert mine[0].leader.unit == u["ubnd"] and mine[0].deputy.unit == u["ttyt"]
        assert mine[0].member_count == 2 and mine[0].signed is None
        free = selectors.units_without_cluster(organiser=tree.md, year=2024)
        # tổ công đoàn inside the CĐCS are not candidates
        assert [x.code for x in free] == ["HN-MD-THPTA", "HN-MD-XAP", "HN-MD-XHS"]
        assert [x.code for x in selectors.units_without_cluster(organiser=tree.md, year=2025)][:2] == [
            "HN-MD-TTYT",
            "HN-MD-THPTA",
        ]
