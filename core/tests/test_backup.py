"""Issue 12, finding 12 (acceptance 5): `manage.py backup` → a fresh migrated database → `manage.py restore`
gives the same rows in every table and the same media files; a corrupt or mismatched archive is refused
with a Vietnamese message and nothing is written. Runs on the suite's database (SQLite, or PostgreSQL
with DATABASE_URL): the restore target is a new SQLite file, or a new PostgreSQL database created and
dropped here; `migrate` and `restore` run in a subprocess with DATABASE_URL pointing at it."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.db.utils import load_backend

from accounts.roles import Role
from core import search
from core.audit import audit_record
from core.models import AuditEvent
from imports.models import ImportBatch
from members.models import Person
from members.services import person_update

pytestmark = pytest.mark.django_db

RESTORE_SETTINGS = """
import os
from config.settings.test import *  # noqa
MEDIA_ROOT = os.environ["THIDUA_RESTORE_MEDIA_ROOT"]
"""


# ------------------------------------------------------------------------------------- the target database


class Target:
    """A fresh database of the suite's vendor, migrated by a subprocess, read here through an extra
    connection alias."""

    alias = "restored"

    def __init__(self, tmp_path: Path):
        self.tmp = tmp_path
        self.media = tmp_path / "media-restored"
        self.media.mkdir()
        (tmp_path / "restore_settings.py").write_text(RESTORE_SETTINGS)
        source = connection.settings_dict
        self.vendor = connection.vendor
        if self.vendor == "sqlite":
            self.name = str(tmp_path / "restored.sqlite3")
            self.url = f"sqlite:///{self.name}"
        elif self.vendor == "postgresql":
            self.name = f"{source['NAME']}_restore"[:63]
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}"', f'CREATE DATABASE "{self.name}"')
            auth = source["USER"] + (f":{source['PASSWORD']}" if source.get("PASSWORD") else "")
            self.url = (
                f"postgres://{auth}@{source['HOST'] or '127.0.0.1'}:{source['PORT'] or 5432}/{self.name}"
            )
        else:  # pragma: no cover
            pytest.skip(f"no restore target for {self.vendor}")
        migrated = self.run("migrate", "--noinput", "-v0")
        assert migrated.returncode == 0, migrated.stderr
        # a connection made here, not registered in `connections` (the test case allows such ones)
        backend = load_backend(source["ENGINE"])
        self.db = backend.DatabaseWrapper({**source, "NAME": self.name}, alias=self.alias)

    def _admin(self, *statements):
        import psycopg

        source = connection.settings_dict
        with psycopg.connect(
            host=source["HOST"] or "127.0.0.1",
            port=source["PORT"] or 5432,
            user=source["USER"],
            password=source.get("PASSWORD") or None,
            dbname="postgres",
            autocommit=True,
        ) as admin:
            for sql in statements:
                admin.execute(sql)

    def run(self, *args) -> subprocess.CompletedProcess:
        env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "DJANGO_SETTINGS_MODULE": "restore_settings",
            "PYTHONPATH": os.pathsep.join([str(self.tmp), str(settings.BASE_DIR)]),
            "THIDUA_VAR_DIR": str(self.tmp / "var"),
            "THIDUA_RESTORE_MEDIA_ROOT": str(self.media),
        }
        return subprocess.run(
            [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *args],
            env=env,
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=600,
        )

    def close(self):
        self.db.close()
        if self.vendor == "postgresql":
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def target(tmp_path):
    target = Target(tmp_path)
    yield target
    target.close()


@pytest.fixture
def source_media(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media-source")
    Path(settings.MEDIA_ROOT).mkdir()
    return Path(settings.MEDIA_ROOT)


# ---------------------------------------------------------------------------------------------- helpers


def table_counts(conn) -> dict[str, int]:
    """Rows of every table but the SQLite FTS5 search indexes (derived: see test_search_indexes_…)."""
    counts = {}
    with conn.cursor() as cursor:
        for table in set(conn.introspection.table_names()) - search.index_tables():
            cursor.execute(f"SELECT COUNT(*) FROM {conn.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def table_rows(conn, table: str) -> list[tuple]:
    with conn.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {conn.ops.quote_name(table)}")
        return sorted(cursor.fetchall(), key=repr)


def media_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def rewrite_archive(source: Path, dest: Path, change) -> None:
    """Copy the archive, letting `change(name, data, manifest)` return new bytes for a member."""
    with tarfile.open(source, "r:gz") as archive:
        members = {m.name: archive.extractfile(m).read() for m in archive if m.isfile()}
    manifest = json.loads(members["manifest.json"])
    for name in list(members):
        if name != "manifest.json":
            members[name] = change(name, members[name], manifest)
    members["manifest.json"] = change("manifest.json", json.dumps(manifest).encode(), manifest)
    with tarfile.open(dest, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


def demo_like_data(tree, make_user):
    """A few units, people and memberships (the tree), history rows, audit events, a dossier with its
    documents, a roster upload and a nested media file with arbitrary bytes."""
    from nominations import services as nominations

    officer = make_user(Role.OFFICER, tree.ubnd)
    person_update(
        acting_user=officer,
        person=tree.an,
        person_data={
            "family_name": "Nguyễn",
            "middle_name": "Văn",
            "given_name": "An",
            "gender": "M",
            "birth_date": dt.date(1985, 5, 17),
            "citizen_id": tree.an.citizen_id,
            "phone": "0912345678",
            "email": "an@example.vn",
            "union_joined_on": dt.date(2010, 3, 26),
        },
    )
    audit_record(
        actor=officer, action="test.backup", obj=tree.ubnd, unit=tree.ubnd, summary="Kiểm tra sao lưu"
    )
    dossier = nominations.dossier_create(
        acting_user=officer, proposing_unit=tree.ubnd, kind="YEARLY", year=2025, title="Khen thưởng năm 2025"
    )
    nominations.document_add(
        acting_user=officer,
        dossier=dossier,
        kind="TO_TRINH",
        file=SimpleUploadedFile("to-trinh.pdf", b"%PDF-1.4 x"),
    )
    upload = ImportBatch(kind="doan-vien", unit=tree.ubnd, created_by=officer, original_name="danh-sach.xlsx")
    upload.file.save("danh-sach.xlsx", ContentFile(bytes(range(256)) * 40), save=True)
    nested = Path(settings.MEDIA_ROOT) / "khac" / "thư mục" / "tệp.bin"
    nested.parent.mkdir(parents=True)
    nested.write_bytes(os.urandom(5000))
    return officer


# ------------------------------------------------------------------------------------------------ tests


def test_backup_restore_round_trip_every_table_and_media(tree, make_user, source_media, target, tmp_path):
    demo_like_data(tree, make_user)
    archive = tmp_path / "sao-luu.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    assert archive.stat().st_mode & 0o077 == 0  # readable by its owner only: it holds citizen IDs

    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        names = set(tar.getnames())
    assert manifest["format"] == "thidua-backup/1" and manifest["database"] == connection.vendor
    assert manifest["tables"][Person._meta.db_table]["rows"] == Person.objects.count()
    assert manifest["tables"][AuditEvent._meta.db_table]["rows"] == AuditEvent.objects.count() >= 3
    assert ["contenttypes", "0001_initial"] in manifest["migrations"]
    assert manifest["app_version"] and manifest["created_at"]
    source_files = media_files(source_media)
    assert len(source_files) == 3
    for rel, data in source_files.items():
        assert manifest["media"][rel]["sha256"] == hashlib.sha256(data).hexdigest()
        assert f"media/{rel}" in names

    fresh = table_counts(target.db)
    done = target.run("restore", str(archive))
    assert done.returncode == 0, done.stderr
    assert "Đã khôi phục" in done.stdout

    source_counts, restored_counts = table_counts(connection), table_counts(target.db)
    assert set(restored_counts) == set(source_counts)
    assert restored_counts == source_counts  # every table, django_migrations included
    assert any(fresh[t] != source_counts[t] for t in source_counts)  # the restore did write
    for table in source_counts:
        if table == "django_migrations":  # applied times differ: the target ran its own migrate
            continue
        assert table_rows(target.db, table) == table_rows(connection, table), table
    assert media_files(target.media) == source_files
    if connection.vendor == "sqlite":  # the search indexes were refilled by their triggers, row by row
        named = set(Person.objects.filter(search_text__contains="nguyen van").values_list("pk", flat=True))
        with target.db.cursor() as cursor:
            for fts in ("members_person_fts", "organizations_orgunit_fts"):
                cursor.execute(f"INSERT INTO {fts} ({fts}, rank) VALUES ('integrity-check', 1)")
            cursor.execute(
                "SELECT rowid FROM members_person_fts WHERE members_person_fts MATCH '\"nguyen van\"'"
            )
            assert {row[0] for row in cursor.fetchall()} == named != set()

    # a second restore into the now non-empty database is refused without --force, then done with it
    again = target.run("restore", str(archive))
    assert again.returncode != 0
    assert "Cơ sở dữ liệu đích đã có dữ liệu" in again.stderr and "--force" in again.stderr
    forced = target.run("restore", "--force", str(archive))
    assert forced.returncode == 0, forced.stderr
    assert table_counts(target.db) == source_counts
    # sequences follow the restored ids (PostgreSQL): a new row gets a fresh id
    with target.db.cursor() as cursor:
        table = connection.ops.quote_name(AuditEvent._meta.db_table)
        cursor.execute(
            f"INSERT INTO {table} (occurred_at, actor_name, action, object_type, object_id, object_repr, summary, "
            "changes) VALUES (%s, '', 'x', 'x', '1', 'x', 'x', '{}')",
            [dt.datetime(2026, 1, 1, tzinfo=dt.UTC)],
        )


def test_corrupt_or_mismatched_archive_is_refused_and_nothing_written(
    tree, make_user, source_media, target, tmp_path
):
    demo_like_data(tree, make_user)
    archive = tmp_path / "sao-luu.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    fresh = table_counts(target.db)

    garbage = tmp_path / "hong.tar.gz"
    garbage.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])

    media_tampered = tmp_path / "media-sai.tar.gz"
    rewrite_archive(
        archive,
        media_tampered,
        lambda name, data, m: data + b"!" if name.startswith("media/imports") else data,
    )

    def other_migrations(name, data, manifest):
        if name == "manifest.json":
            manifest["migrations"].append(["members", "9999_tuong_lai"])
            return json.dumps(manifest).encode()
        return data

    migrations_mismatch = tmp_path / "migration-sai.tar.gz"
    rewrite_archive(archive, migrations_mismatch, other_migrations)

    membership_table = "members_membership"

    def dangling_foreign_key(name, data, manifest):
        """A membership pointing at a person that is not in the archive, with consistent hashes: the
        load itself fails inside the transaction."""
        if name == f"db/{membership_table}.jsonl":
            rows = [json.loads(line) for line in data.decode().splitlines()]
            rows[0]["fields"]["person"] = 987654321
            data = ("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n").encode()
            manifest["tables"][membership_table]["sha256"] = hashlib.sha256(data).hexdigest()
            return data
        if name == "manifest.json":
            return json.dumps(manifest).encode()
        return data

    broken_rows = tmp_path / "lien-ket-sai.tar.gz"
    rewrite_archive(archive, broken_rows, dangling_foreign_key)

    cases = [
        (garbage, "Không đọc được tệp sao lưu"),
        (media_tampered, "bị hỏng (mã băm sha256 không khớp)"),
        (migrations_mismatch, "Phiên bản cấu trúc dữ liệu không khớp"),
        (broken_rows, "Không khôi phục được"),
        (tmp_path / "khong-co.tar.gz", "Không tìm thấy tệp sao lưu"),
    ]
    for path, message in cases:
        done = target.run("restore", str(path))
        assert done.returncode != 0, path.name
        assert message in done.stderr, (path.name, done.stderr)
        assert "Traceback" not in done.stderr
        assert table_counts(target.db) == fresh, path.name  # nothing written
        assert media_files(target.media) == {}, path.name
    # the intact archive still restores
    assert target.run("restore", str(archive)).returncode == 0


def test_backup_and_restore_refuse_when_the_files_are_not_on_disk(db, tmp_path, settings):
    """Issue 16, scale-out: with the files in a shared bucket (THIDUA_S3_*) the archive cannot hold them;
    the command says so instead of writing an archive silently without them."""
    from core.backup import BackupError, create_backup, restore_backup

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    destination = tmp_path / "sao-luu.tar.gz"
    with pytest.raises(BackupError, match="không nằm trên đĩa của máy chủ"):
        create_backup(destination)
    assert not destination.exists()
    with pytest.raises(BackupError, match="sao lưu kho bằng công cụ của kho"):
        restore_backup(destination)
