"""The benchmark's bulk loader at a tiny scale on the test database: every table gets the planned rows,
and the rows are valid for the apps (credit codes, one submission per county and month, sequences reset)."""

import io
from dataclasses import replace

import pytest

from accounts.models import Enterprise, Region, User
from assessment.models import AnnualTarget, ItemScore, Submission
from assessment.prefill import county_month_figures
from assessment.ranking import monthly_ranking
from bench.loader import (
    EXTRA_SECTIONS,
    NOW,
    Loader,
    Plan,
    expected_counts,
    load,
    measured_county,
    row_counts,
    sections_missing,
)
from complaints.choices import Status
from complaints.models import Complaint, ComplaintEvent
from core import seeding
from core.validators import validate_credit_code
from credit import follow
from credit.models import CreditEntry, CreditStanding
from credit.services import score_on
from notifications.models import Todo
from projects import services as project_services
from projects.choices import MILESTONE_ORDER
from projects.models import GoalRule, MonthlyReport, Participant, Project, ProjectMilestone

pytestmark = pytest.mark.django_db

PLAN = Plan.for_scale(0.0002, years=(2023,), counties=12, staff_users=30, complaints=60, todos=20)


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


def test_new_pages_tables_are_loaded_with_valid_rows(loaded):
    assert loaded["complaints"] == 60
    assert loaded["users"] >= 30 and User.objects.filter(username__startswith=Loader.EXTRA_USER_PREFIX).count() == 30
    admin = User.objects.get(username="bench_admin")
    assert Todo.objects.filter(user=admin).count() == 20
    county = measured_county()
    assert Todo.objects.filter(user__username=f"bench_{county['code']}").exists()  # the county user the bench uses
    for complaint in Complaint.objects.all():
        assert complaint.accept_due > complaint.received_on
        if complaint.status == Status.PENDING:
            assert complaint.accepted_at is None and complaint.finished_at is None
        elif complaint.status == Status.REJECTED:
            assert complaint.finished_at and complaint.reject_reason
        else:  # accepted, investigating, closed: a handler of the county and a closing deadline
            assert complaint.accepted_at and complaint.close_due > complaint.accepted_at.date()
            assert complaint.handler.region_id == complaint.county_id
        if complaint.project_id:
            assert complaint.project.county_id == complaint.county_id
        assert (complaint.status == Status.CLOSED) == bool(complaint.substantiated)
    # one submit/enter step each, and one step per move of the state
    assert ComplaintEvent.objects.filter(action__in=["submit", "enter"]).count() == 60
    assert ComplaintEvent.objects.filter(action="close").count() == Complaint.objects.filter(status="closed").count()


def test_every_project_has_its_four_milestones_planned_from_its_dates(loaded):
    assert loaded["milestones"] == 4 * PLAN.projects
    now = NOW.date()
    for project in Project.objects.prefetch_related("milestones"):
        by_kind = {m.kind: m for m in project.milestones.all()}
        assert set(by_kind) == set(MILESTONE_ORDER)
        assert by_kind["start"].planned_on == project.planned_start  # as sync_planned_milestones seeds them
        assert by_kind["completion"].planned_on == project.planned_completion
        ordered = [by_kind[k] for k in MILESTONE_ORDER]
        assert [m.planned_on for m in ordered] == sorted(m.planned_on for m in ordered)
        for earlier, later in zip(ordered, ordered[1:], strict=False):
            assert earlier.actual_on or not later.actual_on  # nothing reached after an open milestone
        for m in ordered:
            assert m.actual_on is None or (m.actual_on <= now and m.source == "county")
    # some reached late (滞后完成), some past and open: the laggards list has rows of both kinds
    states = {project_services.milestone_state(m, now) for m in ProjectMilestone.objects.all()}
    assert {"已完成", "滞后完成", "滞后"} <= states


def test_goal_rules_of_the_last_years_find_the_prefabricated_buildings_below_30_percent(loaded):
    assert set(GoalRule.objects.values_list("year", flat=True)) == {2023}
    assert GoalRule.objects.count() == 4
    unmet = project_services.unmet_goals(Project.objects.order_by("pk"))
    expected = Project.objects.filter(prefabricated=True, category="building", prefab_rate__lt=30)
    assert {row.project_id for row in unmet} == set(expected.values_list("pk", flat=True))


def test_an_older_data_set_gets_only_the_programme_tables(loaded):
    full = row_counts()
    ProjectMilestone.objects.all().delete()
    GoalRule.objects.all().delete()
    older = row_counts()
    marker = _marker(PLAN, older, without=("milestones", "goal_rules"))
    assert sections_missing(marker, PLAN.as_dict(), older) == ["milestones", "goal_rules"]
    load(PLAN, log=lambda *args: None, sections=["milestones", "goal_rules"])
    assert row_counts() == full


def _forget_extra_sections():
    """The data set as it was before the extra sections existed: their rows gone (without the credit
    signals: the bench's credit entries are not derived from its complaints), a marker without them."""
    ProjectMilestone.objects.all().delete()
    GoalRule.objects.all().delete()
    with follow.suspended():
        Todo.objects.all().delete()
        Complaint.objects.all().delete()
        User.objects.filter(username__startswith=Loader.EXTRA_USER_PREFIX).delete()


def _marker(plan: Plan, counts: dict, without=()) -> dict:
    plan_dict = {k: v for k, v in plan.as_dict().items() if k not in without}
    return {"plan": plan_dict, "counts": {k: v for k, v in counts.items() if k not in without}, "loads": []}


def test_an_older_data_set_gets_only_the_missing_tables(loaded):
    full = row_counts()
    numbers = sorted(Complaint.objects.values_list("tracking_no", flat=True))
    _forget_extra_sections()
    older = row_counts()
    marker = _marker(PLAN, older, without=(*EXTRA_SECTIONS, "complaints", "complaint_events", "todos"))
    wanted = PLAN.as_dict()
    assert sections_missing(marker, wanted, older) == list(EXTRA_SECTIONS)
    projects = Project.objects.count()
    load(PLAN, log=lambda *args: None, sections=sections_missing(marker, wanted, older))
    assert Project.objects.count() == projects  # nothing else loaded again
    assert row_counts() == full  # the same rows as a full load ...
    assert sorted(Complaint.objects.values_list("tracking_no", flat=True)) == numbers  # ... the very same


def test_an_incremental_load_is_refused_when_the_rest_differs(loaded):
    counts = row_counts()
    wanted = PLAN.as_dict()
    # a complete marker: nothing to add
    assert sections_missing(_marker(PLAN, counts), wanted, counts) is None
    # another plan for the older tables: rebuild
    other = _marker(replace(PLAN, projects=PLAN.projects + 1), counts, without=("complaints", "todos"))
    assert sections_missing(other, wanted, counts) is None
    # the marker's older tables changed since: rebuild
    changed = _marker(PLAN, {**counts, "projects": counts["projects"] - 1}, without=("todos",))
    assert sections_missing(changed, wanted, counts) is None
    # complaints present though the marker does not know them: rebuild rather than load them twice
    unknown = _marker(PLAN, counts, without=("complaints", "complaint_events"))
    assert sections_missing(unknown, wanted, counts) is None
