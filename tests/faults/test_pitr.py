"""Point-in-time recovery (issue 27): "a disk lost at 17:00 on the 20th loses the whole deadline day" with a
nightly dump only. scripts/pitr-drill archives WAL continuously (docker-compose.yml's archive_command) on a
throwaway PostgreSQL, takes a base backup, writes twice around a target moment, loses the data directory and
restores with scripts/pitr-restore to the target: the first write is there, the second is not."""

from __future__ import annotations

import glob
import os
import subprocess

import pytest

from tests.conftest import ROOT


def test_a_restore_to_a_moment_between_two_writes_finds_the_first_and_not_the_second():
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb") and not os.environ.get("PGBIN"):
        if os.environ.get("CI"):
            pytest.fail("CI must have the PostgreSQL server binaries for the PITR drill")
        pytest.skip("no PostgreSQL server binaries on this machine")
    result = subprocess.run(
        [str(ROOT / "scripts" / "pitr-drill")], capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "rows: 第一次写入：20日16:58报送\n" in result.stdout
    assert "第二次写入" not in result.stdout


def test_docker_compose_archives_wal_with_the_drills_command():
    import re

    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    db = compose["services"]["db"]
    settings = dict(arg.split("=", 1) for arg in db["command"][1:] if arg != "-c")
    assert settings["wal_level"] == "replica" and settings["archive_mode"] == "on"
    assert settings["archive_command"] == "test ! -f /wal-archive/%f && cp %p /wal-archive/%f"
    assert "walarchive:/wal-archive" in db["volumes"] and "walarchive" in compose["volumes"]
    drill = (ROOT / "scripts" / "pitr-drill").read_text()
    drill_command = re.search(r"archive_command = '(.+)'", drill).group(1).replace("$root/archive", "/wal-archive")
    assert drill_command == settings["archive_command"]
    backup = compose["services"]["walbackup"]
    assert (
        backup["command"] == ["/jingpin-scripts/pg-basebackup-loop"] and "walarchive:/wal-archive" in backup["volumes"]
    )
