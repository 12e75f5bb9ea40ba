"""``python -m bench.soak`` (``make soak``) — N clients for M minutes against the production stack.

The stack is started as docker-compose starts it (``scripts/serve-production``: migrate, collectstatic, gunicorn,
worker, beat; production settings; its own PostgreSQL database ``jp_soak`` and Redis database 13, as cache and
broker) on the demo data. Each client signs in on the web form (city, county or unit staff in turn) or takes an API
token and loops without pause over the pages and lists of its role; every county client also files a project
through the API every tenth request and one city client requests a monthly bulletin every 30 s (the worker builds
it). Reported: requests, errors (5xx or no answer; goal 0), p50/p99 latency, writes answered 201 and found in the
database afterwards, and the RSS of the web and worker process trees at the start (after a minute of warm-up)
and at the end (goal: growth ≤ 10 %). Results: bench/results/soak.json and soak.md.

    python -m bench.soak --minutes 10 --clients 20
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVE = ROOT / "scripts" / "serve-production"
RESULTS = ROOT / "bench" / "results"
PASSWORD = "Jingpin@2026"
PAGES = {
    "city": ["/", "/projects/list/", "/assessment/ranking/", "/reports/", "/complaints/", "/inspections/"],
    "gaoping": ["/", "/projects/list/", "/assessment/", "/complaints/", "/inspections/notices/"],
    "unit_taihang": ["/", "/projects/reports/", "/inspections/notices/", "/projects/mine/"],
}
API_PAGES = {
    "city": ["/api/v1/projects/", "/api/v1/points-ledger/", "/api/v1/assessment/submissions/"],
    "gaoping": ["/api/v1/projects/", "/api/v1/points-ledger/", "/api/v1/assessment/submissions/"],
    "unit_taihang": ["/api/v1/projects/", "/api/v1/rectification-notices/"],
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Client:
    """Cookies by hand: the production session cookie is Secure, which urllib's cookie jar keeps from plain http."""

    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}
        self.token: str | None = None

    def request(self, method: str, path: str, data: dict | None = None, json_body=None) -> tuple[int, str]:
        headers = {}
        body = None
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.base
        if json_body is not None:
            body = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        request = urllib.request.Request(self.base + path, data=body, headers=headers, method=method)
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=60) as response:
                self._keep(response.headers)
                return response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as exc:
            self._keep(exc.headers)
            return exc.code, exc.read().decode(errors="replace")

    def _keep(self, headers) -> None:
        for cookie in headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]

    def sign_in(self, username: str) -> None:
        _, html = self.request("GET", "/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        status, _ = self.request(
            "POST", "/login/", {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}
        )
        if status != 302:
            raise RuntimeError(f"sign-in of {username}: {status}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def rss_of_tree(pid: int, parts: list | None = None) -> int:
    """Resident memory (bytes) of a process and all its descendants (each one appended to ``parts``)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
                    if parts is not None:
                        parts.append(round(int(line.split()[1]) / 1024, 1))
        except OSError:
            pass
    return total


class Stack:
    def __init__(self, args, work: Path):
        self.args = args
        self.work = work
        self.port = free_port()
        self.procs: dict[str, subprocess.Popen] = {}
        self.env = dict(os.environ)
        self.env.update(
            DJANGO_ENV="production",
            DEBUG="0",
            SECRET_KEY="soak-" + secrets.token_urlsafe(48),
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SECURE_SSL_REDIRECT="0",
            SECURE_HSTS_SECONDS="0",
            DATABASE_URL=args.database_url,
            CELERY_BROKER_URL=args.redis_url,
            CACHE_URL=args.redis_url,
            MEDIA_ROOT=str(work / "media"),
            STATIC_ROOT=str(work / "static"),
            BEAT_SCHEDULE_FILE=str(work / "celerybeat-schedule"),
            GUNICORN_WORKERS=str(args.web_workers),
            WORKER_CONCURRENCY="2",
            BIND=f"127.0.0.1:{self.port}",
            PYTHON=sys.executable,
            LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
        )
        self.env.pop("CELERY_RESULT_BACKEND", None)

    def run(self, *command: str) -> None:
        subprocess.run(command, cwd=ROOT, env=self.env, check=True, stdout=subprocess.DEVNULL)

    def prepare(self) -> None:
        import psycopg2
        import redis

        server, _, name = self.args.database_url.rpartition("/")
        conn = psycopg2.connect(f"{server}/postgres")
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
        conn.close()
        redis.Redis.from_url(self.args.redis_url).flushdb()
        self.run(str(SERVE), "migrate")
        self.run(sys.executable, "manage.py", "seed_demo")
        self.run(str(SERVE), "collectstatic")

    def start(self) -> None:
        for name in ("web", "worker", "beat"):
            log = open(self.work / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
            self.procs[name] = subprocess.Popen(
                [str(SERVE), name], cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=5).read()
                return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError("the web server did not answer /healthz within 120 s")

    def rss(self) -> dict[str, int]:
        self.parts = {name: [] for name in ("web", "worker")}
        return {name: rss_of_tree(self.procs[name].pid, self.parts[name]) for name in ("web", "worker")}

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


class Load:
    def __init__(self, base: str, clients: int):
        self.base = base
        self.clients = clients
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.statuses: dict[int, int] = {}
        self.created: list[int] = []
        self.reports = 0
        self.refused: dict[str, int] = {}  # 4xx by request (a page the role may not open is a client's mistake)
        self.stop_at = 0.0
        self.measuring = False

    def record(self, what: str, status: int | None, seconds: float) -> None:
        with self.lock:
            if not self.measuring:
                return
            self.latencies.append(seconds)
            self.statuses[status or 0] = self.statuses.get(status or 0, 0) + 1
            if status is None or status >= 500:
                self.errors.append(f"{what}: {status}")

    def timed(self, what: str, call, *args, **kwargs):
        started = time.monotonic()
        try:
            status, body = call(*args, **kwargs)
        except OSError as exc:
            self.record(what, None, time.monotonic() - started)
            return None, str(exc)
        self.record(what, status, time.monotonic() - started)
        if 400 <= status < 500 and self.measuring:
            with self.lock:
                self.refused[what] = self.refused.get(what, 0) + 1
        return status, body

    def client(self, index: int) -> None:
        role = ["city", "gaoping", "unit_taihang", "gaoping"][index % 4]
        web = Client(self.base)
        web.sign_in(role)
        api = Client(self.base)
        status, body = api.request("POST", "/api/v1/auth/token/", json_body={"username": role, "password": PASSWORD})
        api.token = json.loads(body)["token"] if status == 200 else None
        rng = random.Random(index)
        count = 0
        last_report = 0.0
        while time.monotonic() < self.stop_at:
            count += 1
            if role == "gaoping" and api.token and count % 10 == 0:
                code = f"SOAK-{index}-{count}-{secrets.token_hex(3)}"
                status, body = self.timed(
                    "POST project",
                    api.request,
                    "POST",
                    "/api/v1/projects/",
                    json_body={"code": code, "name": f"压测项目{code}", "year": 2026, "category": "building"},
                )
                if status == 201 and self.measuring:
                    with self.lock:
                        self.created.append(json.loads(body)["id"])
                elif status is not None and status != 201 and status < 500:
                    self.errors.append(f"POST project: {status} {body[:200]}")
            elif role == "city" and index == 0 and time.monotonic() - last_report > 30:
                last_report = time.monotonic()
                month = rng.randint(1, 12)
                self.timed(
                    "POST report",
                    api.request,
                    "POST",
                    "/api/v1/reports/",
                    json_body={"report_type": "monthly_bulletin", "year": 2024, "month": month},
                )
                self.reports += 1
            elif api.token and count % 3 == 0:
                path = rng.choice(API_PAGES[role])
                self.timed(f"GET {path}", api.request, "GET", path)
            else:
                path = rng.choice(PAGES[role])
                self.timed(f"GET {path}", web.request, "GET", path)

    def run(self, seconds: float, warmup: float, stack: Stack) -> dict:
        self.stop_at = time.monotonic() + warmup + seconds
        threads = [threading.Thread(target=self.client, args=(i,), daemon=True) for i in range(self.clients)]
        for thread in threads:
            thread.start()
        time.sleep(warmup)
        rss_start = stack.rss()
        parts_start = stack.parts
        with self.lock:
            self.measuring = True
        started = time.monotonic()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        rss_end = stack.rss()
        return {
            "seconds": round(elapsed, 1),
            "rss_start": rss_start,
            "rss_end": rss_end,
            "processes_mb": {"start": parts_start, "end": stack.parts},
        }


def quantile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1] if len(values) > 1 else values[0]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=60, help="seconds of load before the measurement starts")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/jp_soak")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--skip-prepare", action="store_true", help="reuse jp_soak as the last run left it")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="jp-soak-") as tmp:
        stack = Stack(args, Path(tmp))
        print("soak: preparing jp_soak (migrate, seed_demo, collectstatic) …", flush=True)
        if not args.skip_prepare:
            stack.prepare()
        else:
            stack.run(str(SERVE), "collectstatic")
        stack.start()
        try:
            load = Load(f"http://127.0.0.1:{stack.port}", args.clients)
            print(f"soak: {args.clients} clients, {args.warmup:.0f} s warm-up + {args.minutes} min …", flush=True)
            timing = load.run(args.minutes * 60, args.warmup, stack)
            os.environ["DATABASE_URL"] = args.database_url
            kept = _count_projects(args.database_url, load.created)
        finally:
            stack.stop()
    growth = {
        name: round(100 * (timing["rss_end"][name] - timing["rss_start"][name]) / max(1, timing["rss_start"][name]), 1)
        for name in ("web", "worker")
    }
    result = {
        "clients": args.clients,
        "minutes": args.minutes,
        "web_workers": args.web_workers,
        "requests": len(load.latencies),
        "errors": len(load.errors),
        "error_samples": load.errors[:20],
        "statuses": {str(k): v for k, v in sorted(load.statuses.items())},
        "refused": load.refused,
        "p50_ms": round(1000 * quantile(load.latencies, 0.5), 1),
        "p99_ms": round(1000 * quantile(load.latencies, 0.99), 1),
        "writes_created": len(load.created),
        "writes_in_database": kept,
        "report_requests": load.reports,
        "rss_start_mb": {k: round(v / 2**20, 1) for k, v in timing["rss_start"].items()},
        "rss_end_mb": {k: round(v / 2**20, 1) for k, v in timing["rss_end"].items()},
        "rss_growth_percent": growth,
        "rss_per_process_mb": timing["processes_mb"],
        "measured_seconds": timing["seconds"],
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "soak.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    (args.out / "soak.md").write_text(_markdown(result))
    print(_markdown(result))
    ok = result["errors"] == 0 and kept == len(load.created) and all(g <= 10 for g in growth.values())
    return 0 if ok else 1


def _count_projects(database_url: str, ids: list[int]) -> int:
    import psycopg2

    if not ids:
        return 0
    conn = psycopg2.connect(database_url)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM projects_project WHERE id = ANY(%s)", (ids,))
            return cursor.fetchone()[0]
    finally:
        conn.close()


def _markdown(r: dict) -> str:
    return (
        f"# Soak: {r['clients']} clients × {r['minutes']} min on the production stack ({r['web_workers']} gunicorn workers)\n\n"
        "| measure | value | goal |\n|---|---|---|\n"
        f"| requests | {r['requests']} | |\n"
        f"| errors (5xx or no answer) | {r['errors']} | 0 |\n"
        f"| statuses | {', '.join(f'{k}: {v}' for k, v in r['statuses'].items())} | |\n"
        f"| p50 / p99 | {r['p50_ms']} ms / {r['p99_ms']} ms | |\n"
        f"| projects filed (201) / in the database | {r['writes_created']} / {r['writes_in_database']} | equal |\n"
        f"| bulletins requested | {r['report_requests']} | |\n"
        f"| web RSS start → end | {r['rss_start_mb']['web']} → {r['rss_end_mb']['web']} MB ({r['rss_growth_percent']['web']:+} %) | ≤ +10 % |\n"
        f"| worker RSS start → end | {r['rss_start_mb']['worker']} → {r['rss_end_mb']['worker']} MB ({r['rss_growth_percent']['worker']:+} %) | ≤ +10 % |\n"
    )


if __name__ == "__main__":
    sys.exit(main())
