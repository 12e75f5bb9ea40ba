import io

import pytest
import time_machine
from django.core.management import call_command

from tests.conftest import DEMO_NOW


@pytest.fixture(scope="module")
def _module_demo_data(django_db_setup, django_db_blocker):
    """seed_demo once per module (at DEMO_NOW) inside a transaction that is rolled back afterwards (tests run
    in savepoints)."""
    from django.db import transaction

    with time_machine.travel(DEMO_NOW, tick=True), django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo_data(_module_demo_data, db, demo_clock):
    """The full demo data set (seed_demo) as `make run` loads it on DEMO_NOW, with the clock at DEMO_NOW."""


class FakeGenerator:
    """Stands in for a real generator in the archive/task tests (which test claiming, not content)."""

    report_type = "monthly_bulletin"
    calls = 0
    fail_with: list = []

    def __init__(self, **params):
        self.params = params

    @classmethod
    def validate_params(cls, params):
        from reports.generators.monthly import validate_year_month

        return validate_year_month(params, need_month=True)

    @classmethod
    def params_key(cls, params):
        return f"{params['year']}-{params['month']:02d}"

    @classmethod
    def title_for(cls, params):
        return f"测试通报{params['year']}-{params['month']}"

    def generate(self, progress=lambda pct: None):
        from reports.generators.base import GeneratedReport

        type(self).calls += 1
        progress(50)
        if type(self).fail_with:
            raise type(self).fail_with.pop(0)
        return GeneratedReport(
            title="测试通报",
            filename=f"bulletin-{type(self).calls}",
            pdf=b"%PDF-1.4 fake " + bytes([type(self).calls]),
            xlsx=b"PK fake",
            summary=f"第{type(self).calls}次生成",
            has_published_data=True,
        )


@pytest.fixture
def fake_generator(monkeypatch):
    FakeGenerator.calls = 0
    FakeGenerator.fail_with = []
    monkeypatch.setattr("reports.services.get_generator", lambda report_type: FakeGenerator)
    return FakeGenerator
