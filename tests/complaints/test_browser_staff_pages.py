"""On the demo data, the supervision pages render for the city and a county, at desk and phone widths."""

import io

import pytest
from django.core.management import call_command

from complaints.models import Complaint
from disclosure.models import ProjectDisclosure
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"1440": {"width": 1440, "height": 900}, "390": {"width": 390, "height": 844}}


def _visit(page, output_dir, name, path):
    page.goto(f"{page.base_url}{path}")
    for label, size in SIZES.items():
        page.set_viewport_size(size)
        page.screenshot(path=str(output_dir / f"{name}-{label}.png"), full_page=True)
        if label == "1440":  # nothing runs off the side at desk width
            assert page.evaluate("document.documentElement.scrollWidth") <= 1440, name


def test_supervision_pages_on_the_demo_data(page, demo_clock, output_dir):
    call_command("seed_demo", stdout=io.StringIO())
    assert ProjectDisclosure.objects.published().count() >= 7 * 3 - 3
    assert set(Complaint.objects.values_list("status", flat=True)) == {
        "pending",
        "accepted",
        "investigating",
        "closed",
        "rejected",
    }
    _visit(page, output_dir, "public-search", "/disclosure/")
    assert page.get_by_test_id("public-result").count() >= 18
    login(page, "city", "Jingpin@2026")
    _visit(page, output_dir, "dashboard-city", "/")
    assert page.get_by_test_id("panel-complaints").is_visible()
    _visit(page, output_dir, "ledger-city", "/complaints/")
    assert page.get_by_test_id("ledger-table").locator("tbody tr").count() == Complaint.objects.count()
    _visit(page, output_dir, "calendar", "/complaints/calendar/?year=2024")
    assert "国庆节" in page.get_by_test_id("calendar-table").inner_text()
    _visit(page, output_dir, "disclosure-manage", "/disclosure/manage/")
