"""Backup and restore of the whole installation: every table of every installed app and the media files,
in ONE .tar.gz archive (`manage.py backup`, `manage.py restore`).

The kernel imports no app: the tables come from the app registry (`django.apps.apps`), rows are written
with Django's "jsonl" serializer (one line per row, primary keys kept, foreign keys as ids) and read back
with its deserializer. The archive holds:

  manifest.json      format, application version, time, database vendor, the applied migrations,
                     for every table its model, row count, file and sha256, for every media file its
                     size and sha256
  db/<table>.jsonl   the rows of one table, in primary-key order
  media/<path>       the files under MEDIA_ROOT (uploads, generated documents)

Restore checks everything before it writes anything: the archive's members, the manifest, the sha256 and
row count of every table file and every media file, that the target database has exactly the migrations
of the manifest, and that it is empty (no user, no audit event) unless `force`. It then empties every
table (content types and permissions too, so their ids are the archive's) and loads all rows in ONE
transaction with bulk inserts (no model `save()`: the append-only AuditEvent is loaded as it was, no
signal fires, no history row is added), checks the foreign keys and the row counts inside it, resets the
PostgreSQL sequences and commits; the media files are written last and their hashes checked again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "thidua-backup/1"
MANIFEST = "manifest.json"
BATCH = 1000
CHUNK = 1 << 20


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder cuts datetimes and times to milliseconds; a backup keeps every microsecond."""

    def default(self, o):
        if isinstance(o, dt.datetime):
            value = o.isoformat()
            return value[:-6] + "Z" if value.endswith("+00:00") else value
        if isinstance(o, dt.time):
            return o.isoformat()
        return super().default(o)


class BackupError(Exception):
    """A problem the operator must read (Vietnamese); nothing was written when restore raises it."""


NOT_ON_DISK = (
    "Tệp đính kèm không nằm trên đĩa của máy chủ (MEDIA_ROOT) mà trong kho lưu trữ dùng chung (S3): lệnh này "
    "không sao lưu hay khôi phục được chúng. Hãy sao lưu kho bằng công cụ của kho (bật phiên bản, nhân bản "
    "sang kho khác) và cơ sở dữ liệu bằng pg_dump."
)


def _media_on_disk() -> None:
    """The archive's files are those under MEDIA_ROOT: refuse when the files live elsewhere (THIDUA_S3_*),
    rather than write an archive silently without them."""
    from django.core.files.storage import FileSystemStorage, storages

    if not isinstance(storages["default"], FileSystemStorage):
        raise BackupError(NOT_ON_DISK)


@dataclass
class RestoreResult:
    tables: int = 0
    rows: int = 0
    media_files: int = 0
    notes: list[str] = field(default_factory=list)


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def app_version() -> str:
    try:
        from importlib.metadata import version

        return version("thidua")
    except Exception:  # noqa: BLE001 — not installed as a distribution: the version is unknown
        return "không rõ"


def dumped_models(using: str = DEFAULT_DB_ALIAS) -> list[type[models.Model]]:
    """Every concrete, managed model of every installed app whose table exists, in the serializer's
    dependency order, the auto-created many-to-many tables after their models; one model per table."""
    existing = set(connections[using].introspection.table_names())
    app_list = [(config, None) for config in apps.get_app_configs()]
    ordered = serializers.sort_dependencies(app_list, allow_cycles=True)
    extra = [m for m in apps.get_models(include_auto_created=True) if m._meta.auto_created]
    result, seen = [], set()
    for model in [*ordered, *extra]:
        meta = model._meta
        if meta.proxy or not meta.managed or meta.swapped or meta.db_table not in existing:
            continue
        if meta.db_table in seen:
            continue
        seen.add(meta.db_table)
        result.append(model)
    return result


def applied_migrations(using: str = DEFAULT_DB_ALIAS) -> list[list[str]]:
    recorder = MigrationRecorder(connections[using])
    return sorted([app, name] for app, name in recorder.applied_migrations())


def _local_field_names(model) -> list[str]:
    return [f.name for f in model._meta.local_fields if f.serialize]


def create_backup(
    destination: Path, *, using: str = DEFAULT_DB_ALIAS, progress: Callable[[str], None] | None = None
) -> dict:
    """Write the archive to `destination` (through a temporary file, renamed at the end, mode 0600) and
    return its manifest."""
    _media_on_disk()
    connection = connections[using]
    media_root = Path(settings.MEDIA_ROOT)
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="thidua-backup-") as tmp:
        tmpdir = Path(tmp)
        (tmpdir / "db").mkdir()
        tables: dict[str, dict] = {}
        serializer_class = serializers.get_serializer("jsonl")
        with transaction.atomic(using=using):
            if (
                connection.vendor == "postgresql"
                and connection.in_atomic_block
                and not connection.savepoint_ids
            ):
                # one snapshot for every table (the first statement of the transaction)
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            migrations = applied_migrations(using)
            for model in dumped_models(using):
                table = model._meta.db_table
                name = f"db/{table}.jsonl"
                path = tmpdir / name
                rows = 0
                with open(path, "w", encoding="utf-8") as handle:
                    queryset = model._base_manager.using(using).order_by("pk")
                    serializer = serializer_class()
                    counter = _Counter(queryset.iterator(chunk_size=2000))
                    serializer.serialize(
                        counter, stream=handle, fields=_local_field_names(model), cls=ExactJSONEncoder
                    )
                    rows = counter.count
                tables[table] = {
                    "model": model._meta.label,
                    "rows": rows,
                    "file": name,
                    "sha256": _sha256_file(path),
                }
                if progress:
                    progress(f"{table}: {rows} dòng")
        media: dict[str, dict] = {}
        if media_root.is_dir():
            for root, dirs, files in os.walk(media_root):
                dirs.sort()
                for filename in sorted(files):
                    full = Path(root) / filename
                    if full.is_symlink() or not full.is_file():
                        continue
                    rel = full.relative_to(media_root).as_posix()
                    media[rel] = {"size": full.stat().st_size, "sha256": _sha256_file(full)}
        manifest = {
            "format": FORMAT,
            "app_version": app_version(),
            "created_at": timezone.now().isoformat(),
            "database": connection.vendor,
            "migrations": migrations,
            "tables": tables,
            "media": media,
        }
        partial = destination.with_name(destination.name + ".part")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
            archive.addfile(info, io.BytesIO(data))
            for entry in tables.values():
                archive.add(tmpdir / entry["file"], arcname=entry["file"], recursive=False)
            for rel in media:
                archive.add(media_root / rel, arcname=f"media/{rel}", recursive=False)
        os.replace(partial, destination)
    return manifest


class _Counter:
    """Counts the objects the serializer takes from an iterator."""

    def __init__(self, iterator):
        self.iterator = iterator
        self.count = 0

    def __iter__(self):
        for obj in self.iterator:
            self.count += 1
            yield obj


# ---------------------------------------------------------------------------------------------- restore


def _safe_member_name(name: str) -> str | None:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        return None
    if name != MANIFEST and path.parts[0] not in ("db", "media"):
        return None
    return path.as_posix()


def _extract(archive_path: Path, into: Path) -> None:
    """Extract the archive's regular files (names checked: no absolute path, no "..", no link)."""
    try:
        with tarfile.open(archive_path, mode="r:gz") as archive:
            for member in archive:
                name = _safe_member_name(member.name)
                if member.isdir():
                    continue
                if name is None or not member.isfile():
                    raise BackupError(f"Tệp sao lưu có mục không hợp lệ: “{member.name}”.")
                target = into / name
                target.parent.mkdir(parents=True, exist_ok=True)
                source = archive.extractfile(member)
                with open(target, "wb") as handle:
                    shutil.copyfileobj(source, handle, CHUNK)
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
        raise BackupError(
            f"Không đọc được tệp sao lưu “{archive_path.name}”: tệp bị hỏng hoặc không phải tệp .tar.gz ({exc})."
        ) from exc


def _read_manifest(staging: Path) -> dict:
    path = staging / MANIFEST
    if not path.is_file():
        raise BackupError("Tệp sao lưu thiếu tệp mô tả manifest.json — không phải bản sao lưu của hệ thống.")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError("Tệp manifest.json trong bản sao lưu bị hỏng (không đọc được JSON).") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(
            f"Bản sao lưu có định dạng “{manifest.get('format') if isinstance(manifest, dict) else '?'}”, "
            f"hệ thống chỉ khôi phục định dạng “{FORMAT}”."
        )
    for key in ("migrations", "tables", "media"):
        if key not in manifest:
            raise BackupError(f"Tệp manifest.json thiếu mục “{key}”.")
    return manifest


def _check_files(staging: Path, manifest: dict) -> None:
    for table, entry in manifest["tables"].items():
        path = staging / entry["file"]
        if not path.is_file():
            raise BackupError(f"Bản sao lưu thiếu dữ liệu của bảng “{table}” ({entry['file']}).")
        if _sha256_file(path) != entry["sha256"]:
            raise BackupError(
                f"Dữ liệu của bảng “{table}” trong bản sao lưu bị hỏng (mã băm sha256 không khớp)."
            )
        with open(path, "rb") as handle:
            lines = sum(1 for line in handle if line.strip())
        if lines != entry["rows"]:
            raise BackupError(
                f"Bảng “{table}”: bản sao lưu có {lines} dòng, manifest ghi {entry['rows']} dòng."
            )
    for rel, entry in manifest["media"].items():
        path = staging / "media" / rel
        if _safe_member_name(f"media/{rel}") is None or not path.is_file():
            raise BackupError(f"Bản sao lưu thiếu tệp đính kèm “{rel}”.")
        if path.stat().st_size != entry["size"] or _sha256_file(path) != entry["sha256"]:
            raise BackupError(f"Tệp đính kèm “{rel}” trong bản sao lưu bị hỏng (mã băm sha256 không khớp).")


def _check_migrations(manifest: dict, using: str) -> None:
    archived = {tuple(item) for item in manifest["migrations"]}
    target = {tuple(item) for item in applied_migrations(using)}
    if not target:
        raise BackupError(
            "Cơ sở dữ liệu đích chưa được tạo bảng. Chạy “python manage.py migrate” trước rồi khôi phục lại."
        )
    missing, extra = sorted(archived - target), sorted(target - archived)
    if missing or extra:
        parts = []
        if missing:
            names = ", ".join(f"{a}.{n}" for a, n in missing[:10])
            parts.append(
                f"cơ sở dữ liệu đích chưa áp dụng {len(missing)} migration của bản sao lưu ({names})"
            )
        if extra:
            names = ", ".join(f"{a}.{n}" for a, n in extra[:10])
            parts.append(f"cơ sở dữ liệu đích có {len(extra)} migration mà bản sao lưu không có ({names})")
        raise BackupError(
            "Phiên bản cấu trúc dữ liệu không khớp: "
            + "; ".join(parts)
            + ". Hãy khôi phục vào một cơ sở dữ liệu đã migrate bằng đúng phiên bản phần mềm đã tạo bản sao lưu "
            f"({manifest.get('app_version', 'không rõ')})."
        )


def _content_counts(using: str) -> dict[str, int]:
    """Rows that only use creates (a freshly migrated database has none): users and audit events."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    audit_model = apps.get_model("core", "AuditEvent")
    return {
        "người dùng": user_model._base_manager.using(using).count(),
        "sự kiện nhật ký": audit_model._base_manager.using(using).count(),
    }


def restore_backup(
    archive_path: Path,
    *,
    using: str = DEFAULT_DB_ALIAS,
    force: bool = False,
    media_root: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> RestoreResult:
    if media_root is None:
        _media_on_disk()
    archive_path = Path(archive_path)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    connection = connections[using]
    if not archive_path.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu “{archive_path}”.")
    result = RestoreResult()
    with tempfile.TemporaryDirectory(prefix="thidua-restore-") as tmp:
        staging = Path(tmp)
        _extract(archive_path, staging)
        manifest = _read_manifest(staging)
        _check_files(staging, manifest)
        _check_migrations(manifest, using)
        models_by_table = {m._meta.db_table: m for m in dumped_models(using)}
        unknown = sorted(set(manifest["tables"]) - set(models_by_table))
        if unknown:
            raise BackupError(f"Bản sao lưu có bảng mà hệ thống không có: {', '.join(unknown[:10])}.")
        counts = _content_counts(using)
        if any(counts.values()) and not force:
            found = ", ".join(f"{n} {label}" for label, n in counts.items() if n)
            raise BackupError(
                f"Cơ sở dữ liệu đích đã có dữ liệu ({found}). Khôi phục sẽ xóa toàn bộ dữ liệu hiện có: "
                "chạy lại với --force nếu chắc chắn."
            )
        if manifest.get("database") and manifest["database"] != connection.vendor:
            result.notes.append(
                f"Bản sao lưu tạo từ {manifest['database']}, khôi phục vào {connection.vendor}."
            )
        tables = list(models_by_table)
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                for sql in connection.ops.sql_flush(no_style(), tables, allow_cascade=False):
                    cursor.execute(sql)
            for table, model in models_by_table.items():
                entry = manifest["tables"].get(table)
                if entry is None:
                    continue  # a table the archive does not have stays empty
                loaded = _load_table(staging / entry["file"], model, using)
                result.rows += loaded
                result.tables += 1
                if progress:
                    progress(f"{table}: {loaded} dòng")
            try:
                connection.check_constraints(table_names=tables)
            except Exception as exc:  # noqa: BLE001 — IntegrityError with a backend-specific text
                raise BackupError(f"Dữ liệu sao lưu có liên kết không hợp lệ: {exc}") from exc
            for table, model in models_by_table.items():
                expected = manifest["tables"].get(table, {}).get("rows", 0)
                actual = model._base_manager.using(using).count()
                if actual != expected:
                    raise BackupError(
                        f"Bảng “{table}” sau khi khôi phục có {actual} dòng, bản sao lưu có {expected} dòng."
                    )
            sequence_sql = connection.ops.sequence_reset_sql(no_style(), list(models_by_table.values()))
            if sequence_sql:
                with connection.cursor() as cursor:
                    for sql in sequence_sql:
                        cursor.execute(sql)
        # the database is committed: now the files (each written next to its place, then renamed)
        for rel, entry in manifest["media"].items():
            source = staging / "media" / rel
            target = media_root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".restore-part")
            shutil.copyfile(source, partial)
            os.replace(partial, target)
            if _sha256_file(target) != entry["sha256"]:
                raise BackupError(
                    f"Tệp đính kèm “{rel}” ghi ra không khớp mã băm: kiểm tra ổ đĩa {media_root}."
                )
            result.media_files += 1
    return result


def _insert(model, objs: list[models.Model], using: str) -> None:
    """A raw INSERT of the objects as they are (auto_now dates and every other value kept: no pre_save,
    no save(), no signal), in batches the backend accepts."""
    if not objs:
        return
    fields = model._meta.local_concrete_fields
    connection = connections[using]
    size = max(1, connection.ops.bulk_batch_size(fields, objs) or len(objs))
    for start in range(0, len(objs), size):
        model._base_manager._insert(objs[start : start + size], fields=fields, using=using, raw=True)


def _load_table(path: Path, model, using: str) -> int:
    """Insert the rows of one table file in batches."""
    concrete_parents = bool(model._meta.parents)
    batch: list[models.Model] = []
    count = 0
    with open(path, encoding="utf-8") as handle:
        try:
            for item in serializers.deserialize("jsonl", handle, using=using, ignorenonexistent=False):
                obj = item.object
                if type(obj) is not model:
                    raise BackupError(f"Tệp {path.name} có dòng của bảng khác ({obj._meta.db_table}).")
                count += 1
                if concrete_parents:  # multi-table inheritance: one row of this table, parents have theirs
                    models.Model.save_base(obj, using=using, raw=True, force_insert=True)
                    continue
                batch.append(obj)
                if len(batch) >= BATCH:
                    _insert(model, batch, using)
                    batch = []
        except DeserializationError as exc:
            raise BackupError(f"Không đọc được dữ liệu của bảng “{model._meta.db_table}”: {exc}") from exc
    _insert(model, batch, using)
    return count


def default_backup_path() -> Path:
    base = Path(getattr(settings, "VAR_DIR", Path(settings.BASE_DIR) / "var"))
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return base / "backups" / f"thidua-{stamp}.tar.gz"
