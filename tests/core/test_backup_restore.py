"""`manage.py backup` / `manage.py restore`: round trips into fresh databases, refusals, corrupted archives.

The restored side is always checked with this file's own counting and hashing, not with the code under test:
every table's row count of the source equals the restored database's, and every media file's sha256 is the same.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
ON_POSTGRES = connection.vendor == "postgresql"
postgres_only = pytest.mark.skipif(not ON_POSTGRES, reason="runs when DATABASE_URL is a PostgreSQL database (CI)")


# --- the test's own oracle: counts and checksums ------------------------------------------------------
def sqlite_counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables if t != "sqlite_sequence"}
    finally:
        conn.close()


def pg_connect(dbname: str):
    db = connection.settings_dict
    conn = psycopg2.connect(
        dbname=dbname,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        host=db["HOST"] or None,
        port=db["PORT"] or None,
    )
    conn.autocommit = True
    return conn


def pg_counts(dbname: str) -> dict[str, int]:
    conn = pg_connect(dbname)
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema='public' AND table_type='BASE TABLE'"
            )
            tables = [r[0] for r in cur.fetchall()]
            counts = {}
            for table in tables:
                cur.execute(f'SELECT COUNT(*) FROM "{table}"')
                counts[table] = cur.fetchone()[0]
            return counts
    finally:
        conn.close()


def tree_checksums(root: Path) -> dict[str, str]:
    if not root.exists():
        return {}
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


def file_sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manage(*args: str, database_url: str, media_root: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND")}
    env.update(DATABASE_URL=database_url, MEDIA_ROOT=str(media_root), DJANGO_ENV="development", DEBUG="1")
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )


def ok(proc: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert proc.returncode == 0, (
        f"exit {proc.returncode}\nstdout:\n{proc.stdout[-3000:]}\nstderr:\n{proc.stderr[-3000:]}"
    )
    return proc


def read_manifest(archive: Path) -> dict:
    with tarfile.open(archive) as tar:
        return json.load(tar.extractfile("manifest.json"))


BUILD_REPORT = """
from accounts.models import User
from reports import services
archive, _ = services.request_report("monthly_bulletin", {"year": 2023, "month": 6}, user=User.objects.get(username="admin"))
archive.refresh_from_db()
assert archive.status == "done", (archive.status, archive.error)
"""


# --- embedded mode (SQLite): always runs, in subprocesses with their own database files -------------------
@pytest.fixture(scope="module")
def sqlite_backup(tmp_path_factory):
    """The demo data plus a generated monthly bulletin in a SQLite file, and its backup archive."""
    base = tmp_path_factory.mktemp("sqlite-backup")
    source, media = base / "source.sqlite3", base / "media"
    url = f"sqlite:///{source}"
    ok(manage("migrate", "--noinput", "-v", "0", database_url=url, media_root=media))
    ok(manage("seed_demo", database_url=url, media_root=media))
    ok(manage("shell", "-c", BUILD_REPORT, database_url=url, media_root=media))
    out = ok(manage("backup", "--output", f"{base / 'backups'}/", database_url=url, media_root=media))
    (archive,) = (base / "backups").glob("jingpin-backup-*.tar.gz")
    assert str(archive) in out.stdout
    return {"base": base, "source": source, "media": media, "archive": archive}


def test_sqlite_backup_restores_into_a_fresh_database_with_identical_counts_and_media(sqlite_backup, tmp_path):
    src = sqlite_backup
    target, media = tmp_path / "restored.sqlite3", tmp_path / "media"
    proc = ok(manage("restore", str(src["archive"]), database_url=f"sqlite:///{target}", media_root=media))
    assert "恢复完成，数据与备份清单一致" in proc.stdout

    source_counts = sqlite_counts(src["source"])
    assert sqlite_counts(target) == source_counts
    assert source_counts["projects_project"] == 60 and source_counts["assessment_evidence"] > 0
    source_files = tree_checksums(src["media"])
    assert tree_checksums(media) == source_files
    assert any(p.startswith("assessment/evidence/") for p in source_files)
    assert any(p.startswith("reports/monthly_bulletin/") and p.endswith(".pdf") for p in source_files)

    manifest = read_manifest(src["archive"])
    assert manifest["database"]["engine"] == "sqlite"
    assert manifest["database"]["tables"] == source_counts
    assert {p: f["sha256"] for p, f in manifest["media"]["files"].items()} == source_files
    assert "assessment.0001_initial" in manifest["app"]["migrations"] and manifest["created_at"]
    # The restored installation is complete: no migration is missing and new rows get fresh ids.
    url = f"sqlite:///{target}"
    ok(manage("migrate", "--check", database_url=url, media_root=media))
    ok(
        manage(
            "shell",
            "-c",
            "from django.contrib.contenttypes.models import ContentType as C; C.objects.create(app_label='x', model='y')",
            database_url=url,
            media_root=media,
        )
    )


def test_restore_refuses_a_non_empty_database_without_force(sqlite_backup, tmp_path):
    target, media = tmp_path / "busy.sqlite3", tmp_path / "media"
    target.write_bytes(sqlite_backup["source"].read_bytes())
    before = file_sha(target)
    proc = manage("restore", str(sqlite_backup["archive"]), database_url=f"sqlite:///{target}", media_root=media)
    assert proc.returncode != 0
    assert "目标数据库不是空的" in proc.stderr and "--force" in proc.stderr
    assert file_sha(target) == before and not media.exists()

    ok(
        manage(
            "restore", "--force", str(sqlite_backup["archive"]), database_url=f"sqlite:///{target}", media_root=media
        )
    )
    assert sqlite_counts(target) == sqlite_counts(sqlite_backup["source"])


def _repack(archive: Path, dest: Path, change) -> Path:
    """Copy the archive member by member, letting ``change(name, data)`` alter a member's bytes."""
    with tarfile.open(archive) as src, tarfile.open(dest, "w:gz") as out:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            data = change(member.name, data)
            if data is None:
                continue
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    return dest


def _flip_first(prefix):
    done = []

    def change(name, data):
        if name.startswith(prefix) and not done:
            done.append(name)
            return bytes([data[0] ^ 0xFF]) + data[1:]
        return data

    return change


def _flip_byte(archive: Path, dest: Path, offset: int) -> Path:
    data = bytearray(archive.read_bytes())
    data[offset] ^= 0x55
    dest.write_bytes(bytes(data))
    return dest


CORRUPTIONS = {
    "a media file changed": lambda a, d: _repack(a, d, _flip_first("media/reports/")),
    "the database dump changed": lambda a, d: _repack(a, d, _flip_first("database.")),
    "a media file missing": lambda a, d: _repack(a, d, lambda n, b: None if n.startswith("media/assessment/") else b),
    "the manifest missing": lambda a, d: _repack(a, d, lambda n, b: None if n == "manifest.json" else b),
    "the archive truncated": lambda a, d: d.write_bytes(a.read_bytes()[: a.stat().st_size // 2]) and d,
    "a byte of the compressed stream flipped": lambda a, d: _flip_byte(a, d, a.stat().st_size // 2),
    "a byte near the end flipped": lambda a, d: _flip_byte(a, d, a.stat().st_size - 600),
}


@pytest.mark.parametrize("corruption", list(CORRUPTIONS))
def test_a_corrupted_archive_is_refused_and_changes_nothing(sqlite_backup, tmp_path, corruption):
    # A live installation with other data than the backup: it must stay exactly as it is.
    target, media = tmp_path / "live.sqlite3", tmp_path / "media"
    conn = sqlite3.connect(target)
    conn.execute("CREATE TABLE live_data (id INTEGER PRIMARY KEY, text TEXT)")
    conn.execute("INSERT INTO live_data (text) VALUES ('今天的数据')")
    conn.commit()
    conn.close()
    (media / "assessment").mkdir(parents=True)
    (media / "assessment" / "today.pdf").write_bytes(b"%PDF-1.4 today")
    db_before, media_before = file_sha(target), tree_checksums(media)

    bad = CORRUPTIONS[corruption](sqlite_backup["archive"], tmp_path / "bad.tar.gz")
    proc = manage("restore", "--force", str(bad), database_url=f"sqlite:///{target}", media_root=media)
    assert proc.returncode != 0, proc.stdout
    assert "未做任何更改" in proc.stderr, proc.stderr
    assert "损坏" in proc.stderr or "校验失败" in proc.stderr
    assert file_sha(target) == db_before and tree_checksums(media) == media_before


def test_keep_prunes_older_archives_of_the_directory(sqlite_backup, tmp_path):
    folder = tmp_path / "nightly"
    folder.mkdir()
    old = [folder / f"jingpin-backup-2026010{i}-030000.tar.gz" for i in range(1, 5)]
    for path in old:
        path.write_bytes(b"old")
    (folder / "notes.txt").write_text("kept")
    url = f"sqlite:///{sqlite_backup['source']}"
    ok(manage("backup", "--output", str(folder), "--keep", "3", database_url=url, media_root=sqlite_backup["media"]))
    names = sorted(p.name for p in folder.iterdir())
    assert len([n for n in names if n.startswith("jingpin-backup-")]) == 3
    assert "notes.txt" in names and old[0].name not in names and old[1].name not in names
    assert old[2].name in names and old[3].name in names


def test_an_in_memory_sqlite_database_is_refused_with_a_chinese_message(tmp_path):
    proc = manage("backup", "--output", f"{tmp_path}/", database_url="sqlite://:memory:", media_root=tmp_path / "m")
    assert proc.returncode != 0 and "内存中的 SQLite 数据库无法备份" in proc.stderr
    assert list(tmp_path.glob("*.tar.gz*")) == []


def test_an_archive_inside_the_media_folder_is_refused(sqlite_backup):
    url = f"sqlite:///{sqlite_backup['source']}"
    media = sqlite_backup["media"]
    proc = manage("backup", "--output", f"{media / 'backups'}/", database_url=url, media_root=media)
    assert proc.returncode != 0 and "备份文件不能放在媒体目录" in proc.stderr
    assert not (media / "backups").exists()


# --- PostgreSQL (CI): a real pg_dump/pg_restore round trip into a throwaway database ---------------------
@pytest.fixture
def fresh_pg_database():
    """Create an empty database next to the test database; dropped afterwards. Yields (name, DATABASE_URL)."""
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    admin = pg_connect(connection.settings_dict["NAME"])
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    try:
        yield name, url
    finally:
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_postgres_backup_restores_into_a_fresh_database_with_identical_counts_and_media(tmp_path, fresh_pg_database):
    from accounts.models import User
    from reports import services

    call_command("seed_demo", stdout=io.StringIO())
    archive_row, _ = services.request_report(
        "monthly_bulletin", {"year": 2023, "month": 6}, user=User.objects.get(username="admin")
    )
    archive_row.refresh_from_db()
    assert archive_row.status == "done", archive_row.error

    out = io.StringIO()
    call_command("backup", "--output", f"{tmp_path / 'backups'}/", stdout=out)
    (archive,) = (tmp_path / "backups").glob("jingpin-backup-*.tar.gz")
    assert (archive.stat().st_mode & 0o777) == 0o600  # it holds password hashes

    source_counts = pg_counts(connection.settings_dict["NAME"])
    source_files = tree_checksums(Path(settings.MEDIA_ROOT))
    assert source_counts["projects_project"] == 60 and source_counts["reports_reportarchive"] == 1
    assert any(p.endswith(".pdf") and p.startswith("reports/") for p in source_files)
    assert any(p.startswith("assessment/evidence/") for p in source_files)
    manifest = read_manifest(archive)
    assert manifest["database"]["engine"] == "postgresql" and manifest["database"]["tables"] == source_counts

    name, url = fresh_pg_database
    media = tmp_path / "restored-media"
    proc = ok(manage("restore", str(archive), database_url=url, media_root=media))
    assert "恢复完成，数据与备份清单一致" in proc.stdout
    assert pg_counts(name) == source_counts
    assert tree_checksums(media) == source_files
    ok(manage("migrate", "--check", database_url=url, media_root=media))
    ok(
        manage(
            "shell",
            "-c",
            "from django.contrib.contenttypes.models import ContentType as C; C.objects.create(app_label='x', model='y')",
            database_url=url,
            media_root=media,
        )
    )

    # Now the database is not empty: refused without --force, replaced with it (the extra row goes again).
    refused = manage("restore", str(archive), database_url=url, media_root=media)
    assert refused.returncode != 0 and "目标数据库不是空的" in refused.stderr
    ok(manage("restore", "--force", str(archive), database_url=url, media_root=media))
    assert pg_counts(name) == source_counts

    # A table the backup does not have survives pg_restore --clean: reported, and the exit status says so.
    conn = pg_connect(name)
    with conn.cursor() as cur:
        cur.execute("CREATE TABLE newer_feature (id int)")
    conn.close()
    mismatch = manage("restore", "--force", str(archive), database_url=url, media_root=media)
    assert mismatch.returncode != 0
    assert "newer_feature：备份中无此表，恢复后 0 行" in mismatch.stdout
    assert "恢复后的数据与备份清单不一致" in mismatch.stderr


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_postgres_counts_come_from_the_snapshot_that_pg_dump_dumps(tmp_path, fresh_pg_database, monkeypatch):
    """Rows committed while pg_dump runs are neither dumped nor counted: the manifest matches the archive."""
    from core import backup
    from notifications.models import Notification
    from tests.factories import UserFactory

    user = UserFactory()
    Notification.objects.create(recipient=user, event_key="before", title="备份前")
    real_run = backup._run_pg_tool

    def run_while_the_app_writes(args, env, what):
        for i in range(5):  # committed on the test's own connection, after the snapshot was taken
            Notification.objects.create(recipient=user, event_key=f"during-{i}", title="备份中")
        real_run(args, env, what)

    monkeypatch.setattr(backup, "_run_pg_tool", run_while_the_app_writes)
    call_command("backup", "--output", str(tmp_path / "b.tar.gz"), stdout=io.StringIO())
    assert Notification.objects.count() == 6
    assert read_manifest(tmp_path / "b.tar.gz")["database"]["tables"]["reports_notification"] == 1

    name, url = fresh_pg_database
    ok(manage("restore", str(tmp_path / "b.tar.gz"), database_url=url, media_root=tmp_path / "m"))
    assert pg_counts(name)["reports_notification"] == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_backup_refuses_when_pg_dump_is_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    with pytest.raises(CommandError, match="未找到 pg_dump：请安装 PostgreSQL 客户端"):
        call_command("backup", "--output", f"{tmp_path / 'out'}/", stdout=io.StringIO())
    assert not (tmp_path / "out").exists()


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_backup_refuses_when_pg_dump_fails_and_leaves_no_archive(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "pg_dump"  # a pg_dump that fails the way a real one does on a version mismatch
    fake.write_text("#!/bin/sh\necho 'pg_dump: error: aborting because of server version mismatch' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    with pytest.raises(CommandError, match=r"pg_dump 数据库导出失败（退出码 1）：.*server version mismatch"):
        call_command("backup", "--output", f"{tmp_path / 'out'}/", stdout=io.StringIO())
    assert list((tmp_path / "out").iterdir()) == []
