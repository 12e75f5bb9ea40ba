"""The benchmark database (``jp_bench`` by default): create, rebuild, and the marker of the loaded data set.

Only a database whose name starts with ``jp_bench`` is ever created or dropped here.
"""

from __future__ import annotations

import json
from urllib.parse import urlparse

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/jp_bench"
MARKER_TABLE = "bench_dataset"


def database_name(url: str) -> str:
    return urlparse(url).path.lstrip("/")


def _check_name(name: str) -> None:
    if not name.startswith("jp_bench"):
        raise SystemExit(f"拒绝操作数据库 {name!r}：压测只使用名称以 jp_bench 开头的数据库。")


def _maintenance(url: str):
    import psycopg2

    parsed = urlparse(url)
    conn = psycopg2.connect(
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password or None,
        dbname="postgres",
    )
    conn.autocommit = True
    return conn


def ensure_database(url: str, *, drop: bool = False, log=print) -> bool:
    """Create the database if missing (drop it first when ``drop``). True when it was (re)created."""
    name = database_name(url)
    _check_name(name)
    conn = _maintenance(url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            exists = cur.fetchone() is not None
            if exists and drop:
                log(f"删除压测数据库 {name} …")
                cur.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
                exists = False
            if not exists:
                log(f"创建压测数据库 {name} …")
                cur.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
                return True
    finally:
        conn.close()
    return False


def read_marker(connection) -> dict | None:
    with connection.cursor() as cur:
        cur.execute("SELECT to_regclass(%s)", [MARKER_TABLE])
        if cur.fetchone()[0] is None:
            return None
        cur.execute(f"SELECT plan, counts, loads, loaded_at FROM {MARKER_TABLE} ORDER BY id DESC LIMIT 1")
        row = cur.fetchone()
    if row is None:
        return None
    plan, counts, loads, loaded_at = (json.loads(v) if isinstance(v, str) else v for v in row)
    return {"plan": plan, "counts": counts, "loads": loads, "loaded_at": str(loaded_at)}


def write_marker(connection, plan: dict, counts: dict, loads: list[dict]) -> None:
    with connection.cursor() as cur:
        cur.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (id serial PRIMARY KEY, plan jsonb NOT NULL, "
            "counts jsonb NOT NULL, loads jsonb NOT NULL, loaded_at timestamptz NOT NULL DEFAULT now())"
        )
        cur.execute(
            f"INSERT INTO {MARKER_TABLE} (plan, counts, loads) VALUES (%s, %s, %s)",
            [json.dumps(plan), json.dumps(counts), json.dumps(loads)],
        )
