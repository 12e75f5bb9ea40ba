"""A throwaway PostgreSQL primary and its streaming replica, for the bench and the replica test.

Never the machine's server: both clusters live in their own temporary data directories, on their own ports on
127.0.0.1, and run as an unprivileged user (``nobody`` when started by root: PostgreSQL refuses to run as
root). The replica is made with ``pg_basebackup -R`` (streaming replication, ``standby.signal``) and is read-only.

    with StreamingPair() as pair:
        pair.primary_url("jp_bench_replica")   # postgres://…:<port>/…
        pair.replica_url("jp_bench_replica")
        pair.wait_for_replay()                  # the replica has applied everything the primary wrote
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

BIN_CANDIDATES = ("/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin")


def pg_bin(name: str) -> str | None:
    for folder in BIN_CANDIDATES:
        path = Path(folder) / name
        if path.exists():
            return str(path)
    return shutil.which(name)


def available() -> bool:
    return all(pg_bin(n) for n in ("initdb", "pg_ctl", "pg_basebackup"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StreamingPair:
    def __init__(self, *, user: str | None = None, log=lambda *a: None):
        self.user = user or ("nobody" if os.geteuid() == 0 else None)
        self.log = log
        self.root = Path(tempfile.mkdtemp(prefix="jp-replica-"))
        self.primary_dir = self.root / "primary"
        self.replica_dir = self.root / "replica"
        self.primary_port = free_port()
        self.replica_port = free_port()
        self.started: list[Path] = []

    # --- running commands as the unprivileged user ----------------------------------------------------
    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = list(args)
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        return subprocess.run(cmd, check=check, capture_output=True, text=True, cwd=self.root, timeout=120)

    def __enter__(self) -> StreamingPair:
        if self.user:
            entry = pwd.getpwnam(self.user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        os.chmod(self.root, 0o700)
        started = time.perf_counter()
        self._run(
            pg_bin("initdb"),
            "-D",
            str(self.primary_dir),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-instructions",
            "--locale=C.UTF-8",
        )
        with open(self.primary_dir / "postgresql.conf", "a") as conf:
            conf.write(
                "listen_addresses = '127.0.0.1'\nunix_socket_directories = ''\nwal_level = replica\n"
                "max_wal_senders = 4\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                "shared_buffers = 64MB\n"
            )
        with open(self.primary_dir / "pg_hba.conf", "a") as hba:
            hba.write("host replication postgres 127.0.0.1/32 trust\n")
        self._start(self.primary_dir, self.primary_port)
        self._run(
            pg_bin("pg_basebackup"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.primary_port),
            "-U",
            "postgres",
            "-D",
            str(self.replica_dir),
            "-R",
            "-X",
            "stream",
            "-c",
            "fast",
        )
        self._start(self.replica_dir, self.replica_port)
        self.log(f"primary :{self.primary_port}, replica :{self.replica_port} ({time.perf_counter() - started:.1f} s)")
        return self

    def _start(self, datadir: Path, port: int) -> None:
        self._run(
            pg_bin("pg_ctl"),
            "-D",
            str(datadir),
            "-o",
            f"-p {port}",
            "-l",
            str(datadir / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        )
        self.started.append(datadir)

    def __exit__(self, *exc) -> None:
        for datadir in reversed(self.started):
            self._run(pg_bin("pg_ctl"), "-D", str(datadir), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    # --- use -------------------------------------------------------------------------------------------
    def primary_url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.primary_port}/{database}"

    def replica_url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.replica_port}/{database}"

    def connect(self, *, replica: bool = False, database: str = "postgres"):
        import psycopg2

        port = self.replica_port if replica else self.primary_port
        conn = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname=database)
        conn.autocommit = True
        return conn

    def wait_for_replay(self, timeout: float = 60) -> float:
        """Seconds until the replica has replayed everything the primary has written so far."""
        started = time.perf_counter()
        primary = self.connect()
        with primary.cursor() as cur:
            cur.execute("SELECT pg_current_wal_lsn()")
            target = cur.fetchone()[0]
        primary.close()
        conn = self.connect(replica=True)
        try:
            with conn.cursor() as cur:
                while True:
                    cur.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
                    if cur.fetchone()[0]:
                        return time.perf_counter() - started
                    if time.perf_counter() - started > timeout:
                        raise TimeoutError("副本未在限定时间内追上主库")
                    time.sleep(0.1)
        finally:
            conn.close()
