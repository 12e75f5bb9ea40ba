"""Fixtures of the credit tests: the day pinned, the people of every permission test, the lists' cast."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.conftest import SHANGHAI
from tests.credit.factories import TODAY, people
from tests.credit.list_factories import cast


@pytest.fixture
def today():
    """The clock pinned at 2026-06-15 10:00 (Asia/Shanghai)."""
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, tzinfo=SHANGHAI), tick=False):
        yield TODAY


@pytest.fixture
def folks(db, today):
    return people()


@pytest.fixture
def members(db, today):
    """The lists' cast (``list_factories.cast``) on the pinned day."""
    return cast()
