"""The API fuzz run's verdict (scripts/api_fuzz.py): it fails on any failure or error, never when none."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("api_fuzz", ROOT / "scripts" / "api_fuzz.py")
api_fuzz = importlib.util.module_from_spec(spec)
spec.loader.exec_module(api_fuzz)

JUNIT = """<?xml version="1.0" ?><testsuites><testsuite name="schemathesis" tests="3">
<testcase name="GET /api/v1/projects/"/>
<testcase name="GET /api/v1/points-ledger/{id}/"><failure message="Server error"/></testcase>
<testcase name="POST /api/v1/reports/"><error message="boom"/></testcase>
</testsuite></testsuites>"""


def test_junit_figures_count_operations_failures_and_errors(tmp_path):
    path = tmp_path / "r.xml"
    path.write_text(JUNIT)
    figures = api_fuzz.junit_figures(path)
    assert (figures["operations"], figures["failed_operations"], figures["errored_operations"]) == (3, 1, 1)
    assert figures["failures"] == ["GET /api/v1/points-ledger/{id}/", "POST /api/v1/reports/ (error)"]


def test_the_verdict_fails_on_a_failure_an_error_an_exit_code_or_an_empty_run():
    ok = {"exit_code": 0, "operations": 160, "failed_operations": 0, "errored_operations": 0}
    runs = {
        "ok": ok,
        "failed": {**ok, "failed_operations": 1},
        "errored": {**ok, "errored_operations": 1},
        "crashed": {**ok, "exit_code": 2},
        "empty": {**ok, "operations": 0},
    }
    assert set(api_fuzz.failed_runs({"roles": runs})) == {"failed", "errored", "crashed", "empty"}
    assert api_fuzz.failed_runs({"roles": {"ok": ok}}) == {}


def test_cases_are_read_from_the_summary(tmp_path):
    log = tmp_path / "x.log"
    log.write_text("Test cases:\n  2357 generated, 2 found 2 unique failures\n")
    assert api_fuzz.cases_from_log(log) == 2357
