"""API fuzz run: schemathesis against a live server, as the city admin, a county user, a unit user and an expert.

    .venv/bin/python scripts/api_fuzz.py            # or: scripts/api-fuzz

It builds its own database (``<name>_fuzz`` next to DATABASE_URL's PostgreSQL database, or a temporary SQLite
file), migrates it, loads the demo data, mints one API token per role, starts gunicorn (production settings) on a
free port and runs ``schemathesis run`` per role with a bounded number of examples per operation. Checks: no
server error (5xx) and every response matches the OpenAPI schema. The run's figures go to
``test-output/api-fuzz/summary.json``; the exit status is non-zero when any role had a failure or an error.

The server has no reachable broker: jobs that requests queue wait in the outbox (core/outbox.py), so the fuzz run
exercises the API's input handling without building hundreds of PDFs.

Environment: FUZZ_MAX_EXAMPLES (default 15 per operation), FUZZ_SEED (default 20260301), FUZZ_ROLES (comma list),
FUZZ_PHASES (default examples,fuzzing; add coverage for a deeper run of ~13,000 cases per role), FUZZ_KEEP=1 keeps
the database, FUZZ_OUT the output folder.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(os.environ.get("FUZZ_OUT") or ROOT / "test-output" / "api-fuzz")
PY = sys.executable
SCHEMATHESIS = str(Path(PY).with_name("schemathesis"))

# Role → demo account (accounts/seed.py). All four roles of the product.
ROLES = {"city_admin": "city", "county_staff": "gaoping", "unit_user": "unit_sjjt", "expert": "expert1"}

# Operations that would pull the rug from under the run itself are fuzzed once, last, as the city admin:
# a password link, a deactivation (which revokes the tokens the run signs in with) or a reactivation; the token
# endpoint counts failed sign-ins.
CREDENTIAL_OPS = r"(set-password|auth/token|/deactivate/|/reactivate/)"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log(msg: str) -> None:
    print(f"[api-fuzz] {msg}", flush=True)


class FuzzDatabase:
    """A private database for the run: PostgreSQL <name>_fuzz_<pid> when DATABASE_URL is PostgreSQL, else SQLite."""

    def __init__(self, tmp: Path):
        base = os.environ.get("DATABASE_URL", "")
        self.pg = base.startswith(("postgres://", "postgresql://"))
        if self.pg:
            parsed = urlparse(base)
            self.name = f"{(parsed.path.lstrip('/') or 'jingpin')}_fuzz_{os.getpid()}"
            self.admin_url = urlunparse(parsed._replace(path="/postgres"))
            self.url = urlunparse(parsed._replace(path=f"/{self.name}"))
        else:
            self.url = f"sqlite:///{tmp / 'fuzz.sqlite3'}"

    def _admin(self, sql: str) -> None:
        import psycopg2

        conn = psycopg2.connect(self.admin_url)
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                cur.execute(sql)
        finally:
            conn.close()

    def create(self) -> None:
        if self.pg:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self._admin(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        if self.pg:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def run(cmd: list[str], env: dict, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=ROOT, env=env, check=True, **kw)


def mint_tokens(env: dict) -> dict[str, str]:
    code = (
        "import json; from accounts.models import User; from accounts.security import issue_token;"
        f"print(json.dumps({{r: issue_token(User.objects.get(username=u), 'api-fuzz')[1] for r, u in {ROLES!r}.items()}}))"
    )
    out = run([PY, "manage.py", "shell", "-c", code], env, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except Exception:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.5)


def schemathesis(role: str, label: str, base: str, token: str, extra: list[str]) -> dict:
    report = OUT / f"{label}.json"
    junit = OUT / f"{label}.xml"
    cmd = [
        SCHEMATHESIS,
        "run",
        f"{base}/api/schema/",
        "--url",
        base,
        "-H",
        f"Authorization: Token {token}",
        "--checks",
        "not_a_server_error,response_schema_conformance",
        "--max-examples",
        os.environ.get("FUZZ_MAX_EXAMPLES", "15"),
        "--seed",
        os.environ.get("FUZZ_SEED", "20260301"),
        "--phases",
        os.environ.get("FUZZ_PHASES", "examples,fuzzing"),
        # One worker: Hypothesis' lambda-source cache is not thread-safe (an internal error with 2 workers).
        "--workers",
        os.environ.get("FUZZ_WORKERS", "1"),
        "--request-timeout",
        "60",
        "--no-shrink",
        "--suppress-health-check",
        "all",
        "--report",
        "junit",
        "--report-junit-path",
        str(junit),
        *extra,
    ]
    started = time.monotonic()
    with open(OUT / f"{label}.log", "w") as out:
        code = subprocess.run(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT).returncode
    figures = junit_figures(junit)
    figures.update(role=role, exit_code=code, seconds=round(time.monotonic() - started, 1), log=str(out.name))
    report.write_text(json.dumps(figures, ensure_ascii=False, indent=2))
    return figures


def junit_figures(path: Path) -> dict:
    """Operations and failures from schemathesis' JUnit report (one testcase per operation)."""
    import xml.etree.ElementTree as ET

    if not path.exists():
        return {"operations": 0, "failed_operations": 0, "errored_operations": 0, "failures": []}
    root = ET.parse(path).getroot()
    cases = root.iter("testcase")
    operations = failed = errored = skipped = 0
    failures = []
    for case in cases:
        operations += 1
        if case.find("failure") is not None:
            failed += 1
            failures.append(case.get("name"))
        elif case.find("error") is not None:
            errored += 1
            failures.append(case.get("name") + " (error)")
        elif case.find("skipped") is not None:
            skipped += 1
    return {
        "operations": operations,
        "failed_operations": failed,
        "errored_operations": errored,
        "skipped_operations": skipped,
        "failures": failures,
    }


def cases_from_log(path: Path) -> int | None:
    """The number of generated test cases, from schemathesis' summary ("Test cases:" / "  N generated, …")."""
    for line in path.read_text(errors="replace").splitlines():
        words = line.split()
        if len(words) >= 2 and words[0].isdigit() and words[1].startswith("generated"):
            return int(words[0])
    return None


def failed_runs(summary: dict) -> dict:
    """Runs that failed: a non-zero exit, a failed or errored operation, or nothing tested at all."""
    return {
        name: f
        for name, f in summary["roles"].items()
        if f["exit_code"] != 0 or f["failed_operations"] or f["errored_operations"] or not f["operations"]
    }


def main() -> int:
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="api-fuzz-"))
    db = FuzzDatabase(tmp)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": db.url,
        "DJANGO_ENV": "production",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "MEDIA_ROOT": str(tmp / "media"),
        "STATIC_ROOT": str(tmp / "static"),
        # No reachable broker: queued jobs wait in the outbox (connection refused at once, no PDF in the request).
        "CELERY_BROKER_URL": "redis://127.0.0.1:9/0",
        "CELERY_RESULT_BACKEND": "redis://127.0.0.1:9/0",
        "CELERY_TASK_DEFAULT_QUEUE": f"api-fuzz-{os.getpid()}",
        "AUTH_TOKEN_RATE": "100000/min",
        "LOG_LEVEL": "WARNING",
    }
    server = None
    summary: dict = {"base": base, "database": "postgresql" if db.pg else "sqlite", "roles": {}}
    try:
        log(f"database: {'PostgreSQL ' + db.name if db.pg else db.url}")
        db.create()
        run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], env)
        run([PY, "manage.py", "seed_demo"], env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        tokens = mint_tokens(env)
        server_log = open(OUT / "server.log", "w")
        server = subprocess.Popen(
            [PY, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}"]
            + ["--workers", "2", "--timeout", "120", "--access-logfile", "-"],
            cwd=ROOT,
            env=env,
            stdout=server_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(f"{base}/api/schema/")
        roles = [r for r in (os.environ.get("FUZZ_ROLES") or ",".join(ROLES)).split(",") if r]
        for role in roles:
            log(f"{role} ({ROLES[role]}) …")
            figures = schemathesis(role, role, base, tokens[role], ["--exclude-path-regex", CREDENTIAL_OPS])
            figures["cases"] = cases_from_log(Path(figures["log"]))
            summary["roles"][role] = figures
            log(
                f"{role}: {figures['operations']} operations, {figures['cases']} cases, "
                f"{figures['failed_operations']} failed, {figures['errored_operations']} errors "
                f"({figures['seconds']} s, exit {figures['exit_code']})"
            )
        if "city_admin" in roles:
            log("credentials (city_admin) …")
            figures = schemathesis(
                "city_admin", "credentials", base, tokens["city_admin"], ["--include-path-regex", CREDENTIAL_OPS]
            )
            figures["cases"] = cases_from_log(Path(figures["log"]))
            summary["roles"]["credentials"] = figures
            log(
                f"credentials: {figures['operations']} operations, {figures['cases']} cases, "
                f"{figures['failed_operations']} failed ({figures['seconds']} s, exit {figures['exit_code']})"
            )
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        if not os.environ.get("FUZZ_KEEP"):
            db.drop()
            shutil.rmtree(tmp, ignore_errors=True)
    (OUT / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2))
    bad = failed_runs(summary)
    if not summary["roles"]:
        log("nothing was run")
        return 1
    if bad:
        for name, f in bad.items():
            log(f"FAILED {name}: {', '.join(f['failures']) or 'exit code ' + str(f['exit_code'])} — see {f['log']}")
        return 1
    log("no server error, no schema violation")
    return 0


if __name__ == "__main__":
    sys.exit(main())
