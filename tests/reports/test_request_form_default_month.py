"""The report request form offers the latest month whose results are published, not the running month (whose
bulletin would only say 尚未发布)."""

import pytest

from assessment.choices import Status
from assessment.models import Submission
from reports.forms import ReportRequestForm
from reports.generators.monthly import MonthlyBulletin

pytestmark = pytest.mark.django_db


def test_the_form_defaults_to_the_latest_published_month_of_the_demo(demo_data):
    form = ReportRequestForm()
    year, month = form.fields["year"].initial, form.fields["month"].initial
    published = Submission.objects.filter(status=Status.PUBLISHED)
    assert published.filter(year=year, month=month).exists()
    assert not published.filter(year__gt=year).exists()
    assert not published.filter(year=year, month__gt=month).exists()
    assert (year, month) != (2024, 3)  # DEMO_NOW's running month is not offered
    assert MonthlyBulletin(year=year, month=month).collect()["has_published_data"]
