"""The production smoke test's driver (run by scripts/smoke-production, which starts the processes).

    python -m tests.smoke.production prepare   # a fresh smoke database and an empty Redis database
    python -m tests.smoke.production wait      # until gunicorn answers /healthz
    python -m tests.smoke.production check     # the checks below, in headless Chromium and over HTTP
    python -m tests.smoke.production cleanup   # drop the smoke database, flush its Redis database

Environment: DATABASE_URL and CELERY_BROKER_URL (the smoke's own database and Redis database number),
SMOKE_BASE_URL (gunicorn), SMOKE_OUTPUT (screenshots and downloads), SMOKE_USER / SMOKE_PASSWORD.

``check``: /healthz is 200 — only {"status": "ok"} to an anonymous caller, the database and the broker to the
monitor's ``X-Healthz-Token`` (HEALTHZ_TOKEN); the city administrator logs in through the login
form in Chromium; the dashboard loads its CSS/JS from the whitenoise manifest (hashed names, 200) and Bootstrap
is applied; the latest month with published submissions is asked from the API; its 月度考评通报 is requested on
the 报表 page and reaches 已完成 (built by the Celery worker); the PDF and the Excel file are downloaded through
the page's links and opened (pypdf, openpyxl) with the bulletin's Chinese title and county names in them.

Logging in over plain http with production settings (SESSION_COOKIE_SECURE / CSRF_COOKIE_SECURE): Chromium
treats http://localhost as a secure context and keeps ``Secure`` cookies set by it, so the browser uses
http://localhost:<port>; nothing in the settings is relaxed for the smoke test.
"""

from __future__ import annotations

import io
import os
import re
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from tests.faults.processes import answers, http, http_json, wait_until

# The flags of tests/conftest.py's browser fixture (Debian's chromium, no sandbox in containers).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
COUNTIES = ["城区", "开发区", "泽州县", "高平市", "阳城县", "陵川县", "沁水县"]
T0 = float(os.environ.get("SMOKE_STARTED") or time.time())  # the script's start, for one time line


def step(message: str) -> None:
    print(f"[smoke {time.time() - T0:6.1f}s] {message}", flush=True)


def fail(message: str) -> None:
    print(f"[smoke] FAILED: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


# --- database and broker -------------------------------------------------------------------------------
def _server_and_name(database_url: str) -> tuple[dict, str]:
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        fail(f"unexpected smoke database name {name!r}")
    return {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "user": parts.username or "postgres",
        "password": parts.password or "",
        "dbname": "postgres",
    }, name


def _recreate_database(create: bool) -> None:
    import psycopg2

    server, name = _server_and_name(os.environ["DATABASE_URL"])
    conn = psycopg2.connect(**server)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            cursor.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    conn.close()
    step(f"database {name} {'created' if create else 'dropped'} on {server['host']}:{server['port']}")


def _flush_redis() -> None:
    import redis

    url = os.environ["CELERY_BROKER_URL"]
    redis.Redis.from_url(url, socket_connect_timeout=5).flushdb()
    step(f"redis database {urlsplit(url).path or '/0'} flushed")


def prepare() -> None:
    _recreate_database(create=True)
    _flush_redis()


def cleanup() -> None:
    _recreate_database(create=False)
    _flush_redis()


def wait() -> None:
    base = os.environ["SMOKE_BASE_URL"]
    wait_until(lambda: answers(f"{base}/healthz"), 90, "gunicorn answering /healthz")
    step(f"gunicorn answers on {base}")


# --- the checks -----------------------------------------------------------------------------------------
def check() -> None:
    base = os.environ["SMOKE_BASE_URL"]
    output = Path(os.environ.get("SMOKE_OUTPUT", "test-output/smoke"))
    output.mkdir(parents=True, exist_ok=True)
    username = os.environ.get("SMOKE_USER", "admin")
    password = os.environ.get("SMOKE_PASSWORD", "Jingpin@2026")

    status, _, anonymous = http_json("GET", f"{base}/healthz")
    if status != 200 or anonymous != {"status": "ok"}:
        fail(f"/healthz answered {status} to an anonymous caller: {anonymous}")
    monitor = {"X-Healthz-Token": os.environ.get("HEALTHZ_TOKEN", "")}
    status, _, health = http_json("GET", f"{base}/healthz", monitor)
    checks = health.get("checks", {}) if isinstance(health, dict) else {}
    if (
        status != 200
        or checks.get("database", {}).get("status") != "ok"
        or checks.get("broker", {}).get("status") != "ok"
    ):
        fail(f"/healthz answered {status} to the monitor (HEALTHZ_TOKEN): {health}")
    step(
        f"/healthz 200: database {health['checks']['database']['vendor']}, broker {health['checks']['broker']['mode']}"
    )

    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(
            base_url=base, locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1366, "height": 900}
        )
        page = context.new_page()
        page.set_default_timeout(30_000)
        try:
            _login(page, context, username, password, output)
            _dashboard_static(page, base, output)
            year, month = _latest_published_month(page)
            archive_id = _request_bulletin(page, year, month, output)
            _download_and_open(page, archive_id, year, month, output)
        except Exception:
            page.screenshot(path=str(output / "failure.png"), full_page=True)
            raise
        finally:
            context.close()
            browser.close()
    step("all checks passed")


def _login(page, context, username: str, password: str, output: Path) -> None:
    page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("networkidle")
    cookies = {c["name"]: c for c in context.cookies()}
    if "sessionid" not in cookies:
        page.screenshot(path=str(output / "login.png"), full_page=True)
        fail(f"no session cookie after logging in (at {page.url}); cookies: {sorted(cookies)}")
    if not cookies["sessionid"]["secure"]:
        fail("the session cookie is not Secure: production settings are not in effect")
    if urlsplit(page.url).path != "/":
        fail(f"after logging in the browser is at {page.url}, not the dashboard")
    page.get_by_test_id("current-user").wait_for()
    step(f"logged in as {username} ({page.get_by_test_id('current-user').inner_text()}); Secure session cookie kept")


def _dashboard_static(page, base: str, output: Path) -> None:
    assets = page.eval_on_selector_all(
        "link[rel=stylesheet][href], script[src]",
        "els => els.map(e => e.getAttribute('href') || e.getAttribute('src'))",
    )
    hashed = [a for a in assets if re.search(r"^/static/.+\.[0-9a-f]{12}\.(css|js)$", a)]
    if not hashed or len(hashed) != len([a for a in assets if a.startswith("/static/")]):
        fail(f"the dashboard's static files are not from the manifest: {assets}")
    for asset in hashed:
        status, headers, body = http("GET", f"{base}{asset}")
        if status != 200 or not body:
            fail(f"{asset} answered {status}")
    css = next(a for a in hashed if "bootstrap" in a and a.endswith(".css"))
    _, headers, _ = http("GET", f"{base}{css}", {"Accept-Encoding": "gzip"})
    # Bootstrap really applied: the navbar is a flex container.
    if page.eval_on_selector("nav.navbar", "e => getComputedStyle(e).display") != "flex":
        fail("Bootstrap's CSS is not applied on the dashboard")
    page.screenshot(path=str(output / "dashboard.png"), full_page=True)
    step(
        f"dashboard: {len(hashed)} hashed static files answer 200 (e.g. {css}, "
        f"Content-Encoding {headers.get('Content-Encoding', 'none')}, Cache-Control {headers.get('Cache-Control')})"
    )


def _latest_published_month(page) -> tuple[int, int]:
    response = page.request.get("/api/v1/assessment/submissions/?status=published&page_size=1")
    if response.status != 200:
        fail(f"the submissions API answered {response.status}")
    results = response.json()["results"]
    if not results:
        fail("the demo data has no published county submission")
    year, month = results[0]["year"], results[0]["month"]
    step(f"latest month with published submissions (API): {year}-{month:02d}")
    return year, month


def _request_bulletin(page, year: int, month: int, output: Path) -> int:
    page.get_by_role("link", name="报表").first.click()
    page.wait_for_url(re.compile(r"/reports/"))
    page.get_by_label("报表类型").select_option("monthly_bulletin")
    page.get_by_label("年度").fill(str(year))
    page.get_by_label("月份").fill(str(month))
    started = time.monotonic()
    page.get_by_role("button", name="生成").click()
    row = page.get_by_test_id("archive-row").filter(has_text=f"{year}年{month}月").first
    row.wait_for()
    row.get_by_test_id("archive-status").get_by_text("已完成").wait_for(timeout=180_000)
    archive_id = int(row.get_attribute("id").removeprefix("archive-"))
    page.screenshot(path=str(output / "reports.png"), full_page=True)
    detail = page.request.get(f"/api/v1/reports/{archive_id}/").json()
    if detail["status_display"] != "已完成" or not detail["has_published_data"]:
        fail(f"archive {archive_id}: {detail}")
    step(f"bulletin {detail['title']!r} 已完成 in {time.monotonic() - started:.1f} s (archive {archive_id})")
    return archive_id


def _download_and_open(page, archive_id: int, year: int, month: int, output: Path) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfReader

    row = page.locator(f"#archive-{archive_id}")
    files = {}
    for label, suffix in (("PDF", "pdf"), ("Excel", "xlsx")):
        with page.expect_download() as info:
            row.get_by_role("link", name=label).click()
        path = output / f"bulletin-{year}-{month:02d}.{suffix}"
        info.value.save_as(path)
        files[suffix] = path

    pdf = PdfReader(files["pdf"])
    text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    title = f"{year}年{month}月"
    if title not in text or not any(county in text for county in COUNTIES):
        fail(f"the PDF ({len(pdf.pages)} pages) lacks {title!r} or the county names: {text[:300]!r}")

    workbook = load_workbook(io.BytesIO(files["xlsx"].read_bytes()), read_only=True)
    cells = [
        str(value)
        for sheet in workbook.worksheets
        for row_values in sheet.iter_rows(values_only=True)
        for value in row_values
        if value is not None
    ]
    if not any(county in cell for cell in cells for county in COUNTIES):
        fail(f"the Excel file ({workbook.sheetnames}) lacks the county names")
    step(
        f"downloaded and opened: PDF {files['pdf'].stat().st_size} bytes, {len(pdf.pages)} pages; "
        f"Excel {files['xlsx'].stat().st_size} bytes, sheets {workbook.sheetnames}"
    )


COMMANDS = {"prepare": prepare, "cleanup": cleanup, "wait": wait, "check": check}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in COMMANDS:
        print(f"usage: python -m tests.smoke.production {'|'.join(COMMANDS)}", file=sys.stderr)
        sys.exit(2)
    COMMANDS[sys.argv[1]]()
