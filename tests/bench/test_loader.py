"""The benchmark's bulk loader at a tiny scale on the test database: every table gets the planned rows,
and the rows are valid for the apps (credit codes, one submission per county and month, sequences reset)."""

import io

import pytest

from accounts.models import Enterprise, Region
from assessment.models import AnnualTarget, ItemScore, Submission
from assessment.prefill import county_month_figures
from assessment.ranking import monthly_ranking
from bench.loader import Plan, expected_counts, load, row_counts
from core import seeding
from core.validators import validate_credit_code
from credit.models import CreditEntry, CreditStanding
from credit.services import score_on
from projects.models import MonthlyReport, Participant, Project

pytestmark = pytest.mark.django_db

PLAN = Plan.for_scale(0.0002, years=(2023,), counties=12)


@pytest.fixture
def loaded():
    seeding.run("seed_reference", io.StringIO())
    before = row_counts()
    load(PLAN, log=lambda *args: None)
    after = row_counts()
    return {name: after[name] - before[name] for name in after}


def test_tiny_load_adds_the_planned_rows_to_every_table(loaded):
    for name, count in expected_counts(PLAN).items():
        assert loaded[name] == count, name
    assert Region.objects.filter(level=Region.Level.COUNTY).count() == 12
    assert Region.objects.filter(level=Region.Level.CITY).count() == 11
    assert AnnualTarget.objects.filter(year=2023).count() == 12  # the seeded ones are kept
    per_project = {p.pk: 0 for p in Project.objects.all()}
    for participant in Participant.objects.all():
        per_project[participant.project_id] += 1
    assert set(per_project.values()) <= {3, 4}
    assert MonthlyReport.objects.count() == 12 * Project.objects.count()
    for code in Enterprise.objects.values_list("credit_code", flat=True):
        validate_credit_code(code)
    # Every enterprise with a credit entry has its standing, equal to the score recomputed from its entries.
    with_entries = set(CreditEntry.objects.values_list("enterprise_id", flat=True))
    assert set(CreditStanding.objects.values_list("enterprise_id", flat=True)) == with_entries
    standing = CreditStanding.objects.order_by("score").first()
    assert standing.score == score_on(standing.enterprise_id, standing.since).score


def test_loaded_rows_feed_the_ranking_and_the_county_figures(loaded):
    assert Submission.objects.filter(year=2023, status="published").count() == 12 * 12
    items_per_rubric = Submission.objects.first().rubric.items.count()
    assert ItemScore.objects.count() == 12 * 12 * items_per_rubric
    rows = monthly_ranking(2023, 6)
    assert len(rows) == 12 and all(r.rank is not None for r in rows)
    county = Project.objects.values_list("county_id", flat=True).first()
    figures = county_month_figures(county, 2023, 12)
    accepted = MonthlyReport.objects.filter(project__county_id=county, year=2023, status="accepted").count()
    assert figures.report_count == accepted


def test_new_rows_after_the_load_get_fresh_ids(loaded):
    largest = Project.objects.order_by("-pk").values_list("pk", flat=True).first()
    county = Region.objects.filter(level=Region.Level.COUNTY).first()
    project = Project.objects.create(
        code="AFTER-LOAD-1", name="载入后新登记", county=county, year=2023, category="building"
    )
    assert project.pk > largest
