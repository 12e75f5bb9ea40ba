"""Races closed, with real concurrent connections on PostgreSQL (each thread has its own connection)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from assessment.models import Submission
from reports import services
from reports.models import ReportArchive
from tests.assessment.factories import target
from tests.conftest import api_client_for
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and advisory locks between connections need PostgreSQL (CI runs it)")


def run_at_once(n: int, fn) -> list:
    """Start ``n`` threads that call ``fn(i)`` at the same instant; returns their results (or exceptions)."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def worker(i):
        try:
            barrier.wait(timeout=30)
            results[i] = fn(i)
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_thirteen_users_of_one_county_opening_the_same_month_at_once_get_one_row_and_no_error(county):
    target(county, 2023)
    users = [UserFactory(role="county_staff", region=county, username=f"staff{i}") for i in range(13)]

    def create(i):
        response = api_client_for(users[i]).post(
            "/api/v1/assessment/submissions/", {"year": 2023, "month": 6}, format="json"
        )
        return response.status_code, response.json().get("id")

    results = run_at_once(13, create)
    assert not [r for r in results if isinstance(r, BaseException)], results
    codes = sorted(code for code, _ in results)
    assert all(code in (200, 201) for code in codes), codes
    assert Submission.objects.filter(county=county, year=2023, month=6).count() == 1
    assert len({pk for _, pk in results}) == 1


def test_twenty_identical_report_requests_at_once_make_exactly_one_archive(city_admin, monkeypatch):
    # Only the request path is raced here; the job itself is not run.
    monkeypatch.setattr("core.outbox._deliver_after_commit", lambda message_id: None)
    params = {"year": 2023, "month": 6}

    def request(i):
        archive, created = services.request_report("monthly_bulletin", params, user=city_admin)
        return archive.pk, created

    results = run_at_once(20, request)
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert ReportArchive.objects.count() == 1
    assert sum(1 for _, created in results if created) == 1
    assert len({pk for pk, _ in results}) == 1
