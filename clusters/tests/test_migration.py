"""The clusters moved out of `organizations` with a state-only migration: a database migrated before the
move, with clusters in it, keeps its rows, tables and constraints, and `clusters.models` reads them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from clusters.models import Cluster, ClusterMember, Covenant

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("organizations", "0003_cluster_clustermember_covenant_and_more"), ("clusters", None)]
TABLES = {
    "organizations_cluster",
    "organizations_clustermember",
    "organizations_covenant",
    "organizations_covenant_signatories",
}


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_the_models_keep_the_tables_of_the_organizations_app():
    assert {
        Cluster._meta.db_table,
        ClusterMember._meta.db_table,
        Covenant._meta.db_table,
        Covenant.signatories.through._meta.db_table,
    } == TABLES
    assert Cluster._meta.app_label == "clusters"


def test_clusters_created_before_the_move_are_read_through_the_clusters_app_after_it():
    try:
        old = _migrate(BEFORE)
        assert not old.is_installed("clusters")
        OrgUnitType = old.get_model("organizations", "OrgUnitType")
        OrgUnit = old.get_model("organizations", "OrgUnit")
        OldCluster = old.get_model("organizations", "Cluster")
        OldMember = old.get_model("organizations", "ClusterMember")
        OldCovenant = old.get_model("organizations", "Covenant")
        kind, _ = OrgUnitType.objects.get_or_create(code="TEST_MIGRATION", defaults={"name": "Loại thử"})
        organiser = OrgUnit.objects.create(
            path="Z000", depth=1, numchild=2, name="LĐLĐ huyện Thử", code="T-MIG", unit_type=kind
        )
        a = OrgUnit.objects.create(path="Z0000001", depth=2, name="CĐCS A", code="T-MIG-A", unit_type=kind)
        b = OrgUnit.objects.create(path="Z0000002", depth=2, name="CĐCS B", code="T-MIG-B", unit_type=kind)
        old_cluster = OldCluster.objects.create(
            organiser=organiser, year=2025, name="Cụm thi đua số 1", kind="KHOI"
        )
        OldMember.objects.create(
            cluster=old_cluster, unit=a, organiser=organiser, year=2025, role="LEADER", rank=1
        )
        OldMember.objects.create(
            cluster=old_cluster, unit=b, organiser=organiser, year=2025, role="DEPUTY", rank=2
        )
        old_covenant = OldCovenant.objects.create(
            cluster=old_cluster, content="Giao ước thi đua năm 2025", signed_on=dt.date(2025, 3, 1)
        )
        old_covenant.signatories.set([a, b])
    finally:
        _migrate(_latest())

    cluster = Cluster.objects.select_related("organiser", "covenant").get(pk=old_cluster.pk)
    assert (cluster.name, cluster.year, cluster.is_block, cluster.organiser.code) == (
        "Cụm thi đua số 1",
        2025,
        True,
        "T-MIG",
    )
    members = {m.unit.code: (m.role_label, m.rank) for m in cluster.members.select_related("unit", "cluster")}
    assert members == {"T-MIG-A": ("Khối trưởng", 1), "T-MIG-B": ("Khối phó", 2)}
    assert cluster.covenant.content == "Giao ước thi đua năm 2025"
    assert sorted(cluster.covenant.signatories.values_list("code", flat=True)) == ["T-MIG-A", "T-MIG-B"]
    assert list(cluster.organiser.organised_clusters.all()) == [cluster]

    # the database constraints of the cluster tables are the ones created before the move, still enforced
    constraints = connection.introspection.get_constraints(connection.cursor(), "organizations_clustermember")
    assert {"clustermember_one_leader", "clustermember_one_cluster_per_year"} <= set(constraints)
    with pytest.raises(IntegrityError), transaction.atomic():
        ClusterMember.objects.filter(cluster=cluster, role="DEPUTY").update(role="LEADER")


def test_the_move_leaves_the_database_schema_alone():
    """The two migrations of the move, applied to a database migrated before it, run no SQL at all."""
    try:
        _migrate(BEFORE)
        executor = MigrationExecutor(connection)
        # the move's two migrations (later migrations of other apps that depend on them are re-applied too)
        plan = [
            (m, back)
            for m, back in executor.migration_plan(_latest())
            if m.app_label in ("organizations", "clusters")
        ]
        moved = [(m.app_label, m.name) for m, _ in plan]
        assert moved[:2] == [("organizations", "0004_move_clusters_out"), ("clusters", "0001_initial")]
        # what follows the move in these two apps (names in NFC, unit types' end dates, …) is not part of it:
        # only the move's own two migrations are checked for SQL below
        plan = plan[:2]
        assert not any(backwards for _, backwards in plan)
        statements = executor.loader.collect_sql(plan)
    finally:
        _migrate(_latest())
    assert [s for s in statements if not s.startswith("--")] == []  # only the operations' comments
    assert set(connection.introspection.table_names()) >= TABLES
