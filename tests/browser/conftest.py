"""Fixtures shared by the browser tests."""

import io

import pytest
import time_machine
from django.core.management import call_command

from tests.conftest import DEMO_NOW


@pytest.fixture
def demo(live_server):
    """The demo data (seed_demo) on the live server, with the clock at DEMO_NOW (ticking) while the test runs."""
    with time_machine.travel(DEMO_NOW, tick=True):
        call_command("seed_demo", stdout=io.StringIO())
        yield live_server.url
