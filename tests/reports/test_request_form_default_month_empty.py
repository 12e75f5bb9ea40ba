"""Before anything is published, the report request form offers the previous calendar month."""

import pytest

from reports.forms import ReportRequestForm

pytestmark = pytest.mark.django_db


def test_before_anything_is_published_the_form_offers_the_previous_month(db, clock):
    form = ReportRequestForm()
    assert (form.fields["year"].initial, form.fields["month"].initial) == (2024, 2)  # DEMO_NOW is 2024-03-12
