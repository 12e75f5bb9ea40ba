"""Throughput: gunicorn with 2 and 4 sync workers on 127.0.0.1 and a bounded, time-boxed load generator.

The load generator is plain Python (processes × threads, one request at a time per thread, a new connection per
request as gunicorn's sync workers close them); each target runs for ``seconds`` after a short warm-up and its
requests/s are reported as a ratio of the minimal endpoint's (``GET /api/v1/regions/<id>/``) in the same server
configuration. On this 2-core machine the client competes with gunicorn for the cores: the ratios are the numbers
to compare, the absolute requests/s are a floor.
"""

from __future__ import annotations

import http.client
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.conf import settings

from bench.replica import free_port

ROOT = Path(__file__).resolve().parent.parent


def _hammer(port: int, path: str, cookie: str, seconds: float, threads: int, queue) -> None:
    """One client process: ``threads`` threads loop on GET ``path`` until the deadline."""
    deadline = time.perf_counter() + seconds
    counts = {"ok": 0, "error": 0, "latency": 0.0}
    lock = threading.Lock()

    def loop():
        ok = err = 0
        spent = 0.0
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", path, headers={"Cookie": cookie, "Accept": "application/json"})
                response = conn.getresponse()
                response.read()
                conn.close()
                if response.status == 200:
                    ok += 1
                else:
                    err += 1
            except OSError:
                err += 1
            spent += time.perf_counter() - started
        with lock:
            counts["ok"] += ok
            counts["error"] += err
            counts["latency"] += spent

    workers = [threading.Thread(target=loop) for _ in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    queue.put(counts)


def load(port: int, path: str, cookie: str, *, seconds: float, processes: int = 2, threads: int = 4) -> dict:
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_hammer, args=(port, path, cookie, seconds, threads, queue)) for _ in range(processes)]
    started = time.perf_counter()
    for p in procs:
        p.start()
    results = [queue.get(timeout=seconds + 120) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    elapsed = time.perf_counter() - started
    ok = sum(r["ok"] for r in results)
    errors = sum(r["error"] for r in results)
    latency = sum(r["latency"] for r in results)
    return {
        "requests": ok,
        "errors": errors,
        "seconds": round(elapsed, 2),
        "rps": round(ok / elapsed, 1) if elapsed else 0.0,
        "mean_latency_ms": round(latency * 1000 / max(ok + errors, 1), 1),
    }


class Gunicorn:
    def __init__(self, database_url: str, workers: int):
        self.port = free_port()
        self.workers = workers
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_ENV": "production",
            "DEBUG": "false",
            "SECRET_KEY": settings.SECRET_KEY,  # the bench's own: its session cookie must verify
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "LOG_LEVEL": "WARNING",
            "DB_CONN_MAX_AGE": "60",
        }
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(self.workers), "--timeout", "120", "--log-level", "warning"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
        )  # fmt: skip
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/healthz")
                conn.getresponse().read()
                conn.close()
                return self
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError("gunicorn 未能启动：" + self.proc.stderr.read().decode()[-800:]) from None
                time.sleep(0.3)
        raise RuntimeError("gunicorn 启动超时")

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def session_cookie(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def measure(database_url: str, user, targets: list[tuple[str, str]], *, worker_counts=(2, 4), seconds=5.0, log=print):
    """``targets``: (name, path); the first is the minimal endpoint. Returns one row per workers × target."""
    cookie = session_cookie(user)
    rows = []
    for workers in worker_counts:
        with Gunicorn(database_url, workers) as server:
            base = None
            for name, path in targets:
                load(server.port, path, cookie, seconds=min(1.0, seconds), processes=1, threads=workers)  # warm-up
                result = load(server.port, path, cookie, seconds=seconds, threads=workers)
                base = base or result["rps"]
                row = {"workers": workers, "name": name, "path": path, **result}
                row["ratio"] = round(result["rps"] / base, 2) if base else 0.0
                rows.append(row)
                log(
                    f"  gunicorn ×{workers} {name:<34} {result['rps']:>8.1f} req/s  ({row['ratio']:.0%} of minimal, "
                    f"{result['requests']} ok / {result['errors']} errors, mean {result['mean_latency_ms']} ms)"
                )
    return rows
