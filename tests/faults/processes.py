"""Start the production processes (through scripts/serve-production) for the fault tests and the smoke test."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVE = ROOT / "scripts" / "serve-production"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# /healthz shows its checks only to a caller with this token (X-Healthz-Token), as a production monitor would send.
HEALTHZ_TOKEN = "test-only-healthz-token"
HEALTHZ_HEADERS = {"X-Healthz-Token": HEALTHZ_TOKEN}


def production_env(**overrides: str) -> dict[str, str]:
    """Production settings (DEBUG off, manifest static files, secure cookies) for plain http on 127.0.0.1."""
    env = dict(os.environ)
    env.update(
        DJANGO_ENV="production",
        DEBUG="0",
        SECRET_KEY="test-only-production-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        HEALTHZ_TOKEN=HEALTHZ_TOKEN,
        PYTHONUNBUFFERED="1",
    )
    env.setdefault("PYTHON", sys.executable)  # serve-production runs the interpreter the tests run in
    env.update(overrides)
    return env


def start(args: list[str], env: dict[str, str], log_path: Path) -> subprocess.Popen:
    """``scripts/serve-production <args>`` in its own process group, output to ``log_path``."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = open(log_path, "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        [str(SERVE), *args], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    proc.log_file = log  # type: ignore[attr-defined]
    proc.log_path = log_path  # type: ignore[attr-defined]
    return proc


def stop(proc: subprocess.Popen, timeout: float = 30) -> int | None:
    """SIGTERM the process (the supervisor forwards it), then SIGKILL its whole group if it does not stop."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    # Whatever the process left behind in its group (a celery pool child) goes too.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    log = getattr(proc, "log_file", None)
    if log:
        log.close()
    return proc.returncode


def wait_until(predicate, timeout: float, what: str, proc: subprocess.Popen | None = None, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what}: the process exited with {proc.returncode}; see {proc.log_path}")
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise TimeoutError(f"{what}: not within {timeout:.0f} s" + (f"; see {proc.log_path}" if proc else ""))


def http(method: str, url: str, headers: dict | None = None, body: bytes | None = None, timeout: float = 30):
    """(status, headers, body bytes) without raising on 4xx/5xx."""
    request = urllib.request.Request(url, method=method, headers=headers or {}, data=body)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def http_json(method: str, url: str, headers: dict | None = None, payload=None, timeout: float = 30):
    headers = {"Accept": "application/json", **(headers or {})}
    body = None
    if payload is not None:
        headers["Content-Type"] = "application/json"
        body = json.dumps(payload).encode()
    status, response_headers, data = http(method, url, headers, body, timeout)
    try:
        parsed = json.loads(data) if data else None
    except ValueError:
        parsed = data.decode(errors="replace")
    return status, response_headers, parsed


def answers(url: str) -> bool:
    try:
        return http("GET", url, timeout=3)[0] < 500
    except OSError:
        return False
