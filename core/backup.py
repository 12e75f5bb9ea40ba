"""Backup and restore of the whole installation: the database and the media files (MEDIA_ROOT).

One archive (``jingpin-backup-<UTC time>.tar.gz``) holds

* ``manifest.json`` — format, created-at, app version and applied migrations, database engine, the row count of
  every table, and the size + sha256 of the database dump and of every media file;
* ``database.dump`` (PostgreSQL, ``pg_dump`` custom format) or ``database.sqlite3`` (embedded mode, a copy made
  with SQLite's online backup API);
* ``media/<path>`` — every file under MEDIA_ROOT (evidence uploads, report archives).

The row counts are those of the dumped data exactly: on PostgreSQL they are counted inside a REPEATABLE READ
transaction whose snapshot ``pg_dump --snapshot`` reuses, on SQLite they are counted in the copy. So a backup taken
while the app is running restores to exactly the counts its manifest names.

``restore`` checks every checksum before it touches anything (a corrupted archive changes nothing), restores the
database (``pg_restore --clean --if-exists --no-owner --single-transaction``, or SQLite's backup API into the
configured file), then the media files, then counts every table and hashes every file again and compares.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import OperationalError, connections

FORMAT = "jingpin-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
PG_DUMP_FILE = "database.dump"
SQLITE_FILE = "database.sqlite3"
MEDIA_DIR = "media"
ARCHIVE_PREFIX = "jingpin-backup-"
ARCHIVE_SUFFIX = ".tar.gz"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A refusal or failure, with a message for the operator (Simplified Chinese)."""


# --- small helpers ----------------------------------------------------------------------------------
def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def human_size(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n} B" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"  # pragma: no cover


def _engine(alias: str = "default") -> str:
    engine = connections[alias].settings_dict["ENGINE"]
    if engine.endswith("postgresql"):
        return "postgresql"
    if engine.endswith("sqlite3"):
        return "sqlite"
    raise BackupError(f"不支持的数据库引擎：{engine}（仅支持 PostgreSQL 与 SQLite）")


def _pg_env(alias: str = "default") -> dict[str, str]:
    """libpq environment for pg_dump/pg_restore from DATABASES (the password never appears on a command line)."""
    db = connections[alias].settings_dict
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    env["PGDATABASE"] = db["NAME"]
    options = db.get("OPTIONS") or {}
    for key, var in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
        ("connect_timeout", "PGCONNECT_TIMEOUT"),
    ):
        if options.get(key):
            env[var] = str(options[key])
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(
            f"未找到 {name}：请安装 PostgreSQL 客户端（Debian：apt-get install postgresql-client），"
            f"其主版本不得低于数据库服务器。"
        )
    return path


def _run_pg_tool(args: list[str], env: dict[str, str], what: str) -> None:
    try:
        proc = subprocess.run(args, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    except OSError as exc:
        raise BackupError(f"{what}无法运行：{exc}")
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout or "").strip()[-2000:]
        raise BackupError(f"{what}失败（退出码 {proc.returncode}）：{detail or '无输出'}")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- table counts -----------------------------------------------------------------------------------
PG_TABLES_SQL = (
    "SELECT schemaname, tablename FROM pg_catalog.pg_tables "
    "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY schemaname, tablename"
)


def _pg_counts(cursor) -> dict[str, int]:
    cursor.execute(PG_TABLES_SQL)
    counts = {}
    for schema, table in cursor.fetchall():
        key = table if schema == "public" else f"{schema}.{table}"
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(schema)}.{_quote(table)}")
        counts[key] = cursor.fetchone()[0]
    return counts


def _sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {table: conn.execute(f"SELECT COUNT(*) FROM {_quote(table)}").fetchone()[0] for table in tables}


def _applied_migrations(cursor_or_conn, tables: dict[str, int]) -> list[str]:
    if "django_migrations" not in tables:
        return []
    rows = cursor_or_conn.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    rows = rows.fetchall() if rows is not None else cursor_or_conn.fetchall()
    return [f"{app}.{name}" for app, name in rows]


def current_counts(alias: str = "default") -> dict[str, int]:
    """Row count of every table in the configured database, on a fresh connection."""
    engine = _engine(alias)
    if engine == "sqlite":
        conn = sqlite3.connect(_sqlite_path(alias))
        try:
            return _sqlite_counts(conn)
        finally:
            conn.close()
    conn = connections.create_connection(alias)
    try:
        with conn.cursor() as cursor:
            return _pg_counts(cursor)
    finally:
        conn.close()


def _sqlite_path(alias: str = "default") -> str:
    name = str(connections[alias].settings_dict["NAME"])
    if name in ("", ":memory:") or name.startswith("file::memory:") or "mode=memory" in name:
        raise BackupError("内存中的 SQLite 数据库无法备份或恢复：请用 DATABASE_URL 指定数据库文件。")
    return name


# --- media ------------------------------------------------------------------------------------------
def media_files(root: Path) -> list[tuple[str, Path]]:
    """Regular files under MEDIA_ROOT as (posix relative path, absolute path), sorted; symlinks are skipped."""
    if not root.is_dir():
        return []
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in filenames:
            path = Path(dirpath) / name
            if path.is_symlink() or not path.is_file():
                continue
            found.append((path.relative_to(root).as_posix(), path))
    return sorted(found)


def media_checksums(root: Path) -> dict[str, dict]:
    return {rel: {"size": path.stat().st_size, "sha256": sha256_file(path)} for rel, path in media_files(root)}


class _HashingReader:
    """Reads exactly ``size`` bytes from a file while hashing them (one pass for the archive and the manifest)."""

    def __init__(self, fh, size: int):
        self.fh, self.left, self.digest = fh, size, hashlib.sha256()

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        data = self.fh.read(n)
        self.left -= len(data)
        self.digest.update(data)
        return data


def _add_file(tar: tarfile.TarFile, path: Path, arcname: str) -> dict:
    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        info = tarfile.TarInfo(arcname)
        info.size, info.mtime, info.mode = size, int(os.path.getmtime(path)), 0o600
        reader = _HashingReader(fh, size)
        tar.addfile(info, reader)
    return {"size": size, "sha256": reader.digest.hexdigest()}


# --- backup -----------------------------------------------------------------------------------------
@dataclass
class BackupResult:
    path: Path
    manifest: dict
    size: int
    seconds: float
    removed: list[Path] = field(default_factory=list)


def app_version() -> dict:
    from config import __version__

    commit = None
    try:
        proc = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=5
        )
        if proc.returncode == 0:
            commit = proc.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    return {"name": "jingpin", "version": __version__, "commit": commit}


def resolve_output(output: str | None, now: dt.datetime) -> Path:
    """``--output``: a directory (existing, or written with a trailing slash) or a file name."""
    name = f"{ARCHIVE_PREFIX}{now:%Y%m%d-%H%M%S}{ARCHIVE_SUFFIX}"
    if not output:
        return Path(settings.BASE_DIR) / "backups" / name
    path = Path(output)
    if path.is_dir() or output.endswith(("/", os.sep)):
        return path / name
    return path


def _dump_postgresql(workdir: Path) -> tuple[Path, dict[str, int], list[str], str]:
    pg_dump = _pg_tool("pg_dump")
    conn = connections.create_connection("default")
    try:
        conn.ensure_connection()
        with conn.cursor() as cursor:
            # One snapshot for the counts and for pg_dump: the manifest describes exactly what was dumped.
            cursor.execute("BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
            counts = _pg_counts(cursor)
            migrations = _applied_migrations(cursor, counts)
            target = workdir / PG_DUMP_FILE
            _run_pg_tool(
                [pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot}", f"--file={target}"],
                _pg_env(),
                "pg_dump 数据库导出",
            )
            cursor.execute("ROLLBACK")
    finally:
        conn.close()
    return target, counts, migrations, server_version


def _readonly_uri(path: Path) -> str:
    return path.resolve().as_uri() + "?mode=ro"


def _dump_sqlite(workdir: Path) -> tuple[Path, dict[str, int], list[str], str]:
    source_path = _sqlite_path()
    if not Path(source_path).exists():
        raise BackupError(f"SQLite 数据库文件不存在：{source_path}")
    target = workdir / SQLITE_FILE
    source = sqlite3.connect(source_path, timeout=30)  # read/write open: read-only fails on a WAL database
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # the online backup API: a consistent copy while the app keeps writing
        counts = _sqlite_counts(copy)
        migrations = _applied_migrations(copy, counts)
    finally:
        copy.close()
        source.close()
    return target, counts, migrations, sqlite3.sqlite_version


def create_backup(output: str | None = None, *, keep: int | None = None) -> BackupResult:
    started = time.monotonic()
    now = dt.datetime.now(dt.UTC)
    engine = _engine()
    if keep is not None and keep < 1:
        raise BackupError("--keep 必须是不小于 1 的整数。")
    if engine == "postgresql":
        _pg_tool("pg_dump")  # refuse before anything is created
    else:
        _sqlite_path()
    path = resolve_output(output, now)
    if not path.name.endswith((".tar.gz", ".tgz")):
        raise BackupError(f"备份文件名须以 .tar.gz 结尾：{path}")
    if path.exists():
        raise BackupError(f"备份文件已存在，不会覆盖：{path}")
    media_root = Path(settings.MEDIA_ROOT)
    if path.resolve().is_relative_to(media_root.resolve()):
        raise BackupError(f"备份文件不能放在媒体目录 {media_root} 之内（否则会把备份自身打包进去）。")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="jingpin-backup-", dir=path.parent) as tmp:
        workdir = Path(tmp)
        try:
            dump, counts, migrations, server_version = (
                _dump_postgresql(workdir) if engine == "postgresql" else _dump_sqlite(workdir)
            )
        except (OperationalError, sqlite3.Error) as exc:
            raise BackupError(f"无法读取数据库：{exc}".strip())
        try:
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # holds password hashes
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
                db_entry = _add_file(tar, dump, dump.name)
                dump.unlink()
                files = {}
                for rel, abs_path in media_files(media_root):
                    try:
                        files[rel] = _add_file(tar, abs_path, f"{MEDIA_DIR}/{rel}")
                    except FileNotFoundError:
                        continue  # removed while the backup ran: it is not in the archive, nor in the manifest
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "created_at": now.isoformat(timespec="seconds"),
                    "app": app_version() | {"migrations": migrations},
                    "database": {
                        "engine": engine,
                        "server_version": server_version,
                        "file": dump.name,
                        **db_entry,
                        "tables": counts,
                        "total_rows": sum(counts.values()),
                    },
                    "media": {
                        "root": str(media_root),
                        "count": len(files),
                        "bytes": sum(f["size"] for f in files.values()),
                        "files": files,
                    },
                }
                data = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(now.timestamp()), 0o600
                tar.addfile(info, _BytesReader(data))
            os.replace(partial, path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    removed = prune(path.parent, keep) if keep else []
    return BackupResult(path, manifest, path.stat().st_size, time.monotonic() - started, removed)


class _BytesReader:
    def __init__(self, data: bytes):
        self.data, self.pos = data, 0

    def read(self, n: int = -1) -> bytes:
        end = len(self.data) if n < 0 else self.pos + n
        chunk, self.pos = self.data[self.pos : end], min(end, len(self.data))
        return chunk


def prune(directory: Path, keep: int) -> list[Path]:
    """Keep the newest ``keep`` archives of this app in ``directory`` (by the time in their name)."""
    archives = sorted(p for p in directory.glob(f"{ARCHIVE_PREFIX}*{ARCHIVE_SUFFIX}") if p.is_file())
    old = archives[:-keep] if len(archives) > keep else []
    for path in old:
        path.unlink()
    return old


# --- restore ----------------------------------------------------------------------------------------
@dataclass
class RestoreResult:
    manifest: dict
    table_mismatches: list[tuple[str, int | None, int | None]]
    media_mismatches: list[tuple[str, str]]
    removed_media: int
    pending_migrations: list[str]
    seconds: float

    @property
    def ok(self) -> bool:
        return not self.table_mismatches and not self.media_mismatches


def _safe_member_path(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"备份文件损坏或不可信：含非法路径 {name!r}，未做任何更改。")
    return path


def _check_gzip_stream(archive: Path) -> None:
    """Read the whole gzip stream once: its CRC and length catch damage that tarfile, stopping at the
    end-of-archive blocks, would not read (or would take for the end of the archive)."""
    with open(archive, "rb") as fh:
        if fh.read(2) != b"\x1f\x8b":
            return
    try:
        with gzip.open(archive, "rb") as fh:
            while fh.read(CHUNK):
                pass
    except (OSError, EOFError, zlib.error) as exc:
        raise BackupError(f"备份文件损坏：压缩数据校验失败（{exc}），未做任何更改。")


def extract_and_verify(archive: Path, workdir: Path) -> dict:
    """Unpack the archive into ``workdir`` and check it against its manifest; raise BackupError otherwise."""
    if not archive.is_file():
        raise BackupError(f"备份文件不存在：{archive}")
    _check_gzip_stream(archive)
    try:
        with tarfile.open(archive, mode="r:*") as tar:
            members = tar.getmembers()
            for member in members:
                _safe_member_path(member.name)
                if not (member.isfile() or member.isdir()):
                    raise BackupError(f"备份文件损坏或不可信：{member.name!r} 不是普通文件，未做任何更改。")
            tar.extractall(workdir, filter="data")
    except (tarfile.TarError, EOFError, OSError, ValueError, zlib.error) as exc:
        raise BackupError(f"备份文件损坏，无法读取（{exc}），未做任何更改。")
    manifest_path = workdir / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError("备份文件损坏：缺少 manifest.json，未做任何更改。")
    except (ValueError, UnicodeDecodeError):
        raise BackupError("备份文件损坏：manifest.json 不是有效的 JSON，未做任何更改。")
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("这不是本系统的备份文件（manifest.json 格式不符），未做任何更改。")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"不支持的备份格式版本：{manifest.get('format_version')}，未做任何更改。")

    problems = []
    db = manifest["database"]
    expected = {db["file"]: db} | {f"{MEDIA_DIR}/{rel}": entry for rel, entry in manifest["media"]["files"].items()}
    for name, entry in expected.items():
        path = workdir / _safe_member_path(name)
        if not path.is_file():
            problems.append(f"缺少文件 {name}")
        elif path.stat().st_size != entry["size"]:
            problems.append(f"{name} 大小不符（清单 {entry['size']}，实际 {path.stat().st_size}）")
        elif sha256_file(path) != entry["sha256"]:
            problems.append(f"{name} 校验和不符")
    present = {p.relative_to(workdir).as_posix() for p in workdir.rglob("*") if p.is_file()} - {MANIFEST}
    problems += [f"清单之外的文件 {name}" for name in sorted(present - set(expected))]
    if problems:
        shown = "；".join(problems[:10]) + (f"；等共 {len(problems)} 处" if len(problems) > 10 else "")
        raise BackupError(f"备份文件校验失败，未做任何更改：{shown}")
    return manifest


def _known_migrations() -> set[str]:
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {f"{app}.{name}" for app, name in loader.disk_migrations}


def _database_is_empty(engine: str) -> tuple[bool, int]:
    if engine == "sqlite":
        path = Path(_sqlite_path())
        if not path.exists() or path.stat().st_size == 0:
            return True, 0
        tables = len(current_counts())
        return tables == 0, tables
    tables = len(current_counts())
    return tables == 0, tables


def restore_backup(archive: str | Path, *, force: bool = False, log=print) -> RestoreResult:
    started = time.monotonic()
    archive = Path(archive)
    engine = _engine()
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="jingpin-restore-") as tmp:
        workdir = Path(tmp)
        manifest = extract_and_verify(archive, workdir)
        db = manifest["database"]
        log(
            f"备份校验通过：{manifest['created_at']} 生成，{db['engine']}，{len(db['tables'])} 张表 "
            f"{db['total_rows']} 行，媒体文件 {manifest['media']['count']} 个。"
        )
        if db["engine"] != engine:
            raise BackupError(
                f"备份来自 {db['engine']} 数据库，当前配置的是 {engine}：请在相同类型的数据库上恢复，未做任何更改。"
            )
        unknown = sorted(set(manifest["app"]["migrations"]) - _known_migrations())
        if unknown:
            raise BackupError(
                "备份来自更新版本的程序（含本程序没有的数据库迁移："
                + "、".join(unknown[:5])
                + "），请用相同或更新版本的程序恢复，未做任何更改。"
            )
        try:
            empty, tables = _database_is_empty(engine)
        except (OperationalError, sqlite3.Error) as exc:
            raise BackupError(f"无法连接目标数据库，未做任何更改：{exc}".strip())
        media_present = media_files(media_root)
        if not force and not empty:
            raise BackupError(f"目标数据库不是空的（已有 {tables} 张表）。确认要覆盖请加 --force，未做任何更改。")
        if not force and media_present:
            raise BackupError(
                f"媒体目录 {media_root} 不是空的（已有 {len(media_present)} 个文件）。"
                "确认要覆盖请加 --force，未做任何更改。"
            )

        connections.close_all()
        if engine == "postgresql":
            _restore_postgresql(workdir / db["file"])
        else:
            _restore_sqlite(workdir / db["file"])
        log("数据库已恢复。")

        files = manifest["media"]["files"]
        removed = 0
        for rel, path in media_present:
            if rel not in files:  # --force: the media folder becomes the backup's, as the database does
                path.unlink()
                removed += 1
        for rel in files:
            source = workdir / MEDIA_DIR / rel
            target = media_root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            temp = target.with_name(f".{target.name}.restoring")
            shutil.copyfile(source, temp)
            os.replace(temp, target)
        log(f"媒体文件已恢复：{len(files)} 个" + (f"，删除备份中没有的旧文件 {removed} 个。" if removed else "。"))

    # Verify what is now in place, independently of what was copied.
    counts = current_counts()
    expected_counts = db["tables"]
    table_mismatches = [
        (table, expected_counts.get(table), counts.get(table))
        for table in sorted(set(expected_counts) | set(counts))
        if expected_counts.get(table) != counts.get(table)
    ]
    actual_media = media_checksums(media_root)
    media_mismatches = []
    for rel, entry in sorted(files.items()):
        got = actual_media.get(rel)
        if got is None:
            media_mismatches.append((rel, "缺失"))
        elif got != entry:
            media_mismatches.append((rel, "校验和不符"))
    media_mismatches += [(rel, "备份中没有") for rel in sorted(set(actual_media) - set(files))]
    applied = set(manifest["app"]["migrations"])
    pending = sorted(_known_migrations() - applied)
    return RestoreResult(manifest, table_mismatches, media_mismatches, removed, pending, time.monotonic() - started)


def _restore_postgresql(dump: Path) -> None:
    pg_restore = _pg_tool("pg_restore")
    env = _pg_env()
    _run_pg_tool(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",  # all or nothing: a failed restore leaves the database as it was
            "--exit-on-error",
            "--no-password",
            f"--dbname={env['PGDATABASE']}",
            str(dump),
        ],
        env,
        "pg_restore 数据库恢复",
    )


def _restore_sqlite(copy: Path) -> None:
    target = Path(_sqlite_path())
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(_readonly_uri(copy), uri=True)
    dest = sqlite3.connect(target, timeout=30)
    try:
        # The backup API replaces the target's content in one transaction, also under running connections.
        source.backup(dest)
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite 数据库恢复失败：{exc}")
    finally:
        dest.close()
        source.close()
