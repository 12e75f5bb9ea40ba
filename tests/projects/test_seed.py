"""The demo data set: ~60 projects in the seven counties and four categories, the demo unit users'
enterprises in several projects, insurance problems, constraint records and monthly reports from January of the
previous year up to last month (built on DEMO_TODAY, 2024-03-12: January 2023 – February 2024)."""

import io

import pytest

from accounts import seed as accounts_seed
from accounts.models import User
from assessment import prefill
from projects import seed, services
from projects.models import ConstraintRecord, MonthlyReport, MonthlyReportVersion, Participant, Project
from tests.conftest import DEMO_TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_clock):
    out = io.StringIO()
    accounts_seed.seed_reference(out)
    accounts_seed.seed_demo(out)
    seed.seed_demo(out)
    return out


def check_projects_cover_counties_and_categories():
    assert Project.objects.count() == 60
    assert Project.objects.values("county").distinct().count() == 7
    assert set(Project.objects.values_list("category", flat=True)) == {"building", "municipal", "habitat", "landscape"}
    assert Project.objects.filter(green_pilot=True).count() >= 5
    assert Project.objects.exclude(jingpin_status="none").count() >= 8


def check_participants_fit_their_roles_and_some_insurance_is_missing_or_expired():
    for participant in Participant.objects.select_related("enterprise"):
        assert participant.role in participant.enterprise.kind_codes(), participant
    problems = [p.insurance_problem() for p in Participant.objects.select_related("enterprise")]
    assert any(p and "未投保" in p for p in problems) and any(p and "过期" in p for p in problems)
    assert ConstraintRecord.objects.count() >= 3
    assert set(ConstraintRecord.objects.values_list("status", flat=True)) == {"pending", "rectified", "expelled"}


def check_every_demo_unit_user_takes_part_in_several_projects_and_has_reports():
    filers = 0
    for user in User.objects.filter(role="unit_user"):
        assert Project.objects.visible_to(user).count() >= 3, user.username
        # A unit user sees exactly the reports its enterprise filed (the general contractor files them).
        visible = set(MonthlyReport.objects.visible_to(user).values_list("pk", flat=True))
        assert visible == set(MonthlyReport.objects.filter(enterprise=user.enterprise).values_list("pk", flat=True))
        filers += bool(visible)
    assert filers >= 2


def check_reports_are_mostly_accepted_and_prefill_the_county_figures():
    statuses = list(MonthlyReport.objects.values_list("status", flat=True))
    assert statuses.count("accepted") > len(statuses) / 2
    assert {"submitted", "returned", "draft"} <= set(statuses)
    months = set(MonthlyReport.objects.values_list("year", "month"))
    assert months == {(2023, m) for m in range(1, 13)} | {(2024, 1), (2024, 2)}
    last = MonthlyReport.objects.filter(year=2024, month=2)
    assert not last.filter(status="accepted").exists()  # last month's reports: the review queue
    assert MonthlyReportVersion.objects.filter(version=2).exists()  # a resubmission after a return
    counties_with_figures = [
        c
        for c in {p.county for p in Project.objects.select_related("county")}
        if prefill.county_month_figures(c.pk, 2023, 9).report_count
    ]
    assert len(counties_with_figures) == 7


def check_cultivation_ratio_has_counties_on_both_sides_of_the_line():
    from accounts.models import Region

    rows = services.cultivation_ratios(2023, Region.objects.filter(level="county"))
    assert any(r.below_minimum for r in rows) and any(r.total_count and not r.below_minimum for r in rows)


def check_a_late_milestone_an_unmet_goal_and_goal_rules_for_the_demo_years():
    from projects.models import GoalRule, ProjectMilestone

    assert set(GoalRule.objects.values_list("year", flat=True)) == {2022, 2023}
    late = ProjectMilestone.objects.open_late(DEMO_TODAY, services.milestone_delay_days())
    assert late.exists() and ProjectMilestone.objects.late(DEMO_TODAY, 30).filter(actual_on__isnull=False).exists()
    unmet = services.unmet_goals(Project.objects.order_by("code"))
    assert any("执行65%节能标准，低于" in r.missed_text for r in unmet)


def test_the_demo_data_set_is_complete_and_seeding_twice_changes_nothing(demo):
    """One seeding (it takes a few seconds), every property of the data set checked on it."""
    check_projects_cover_counties_and_categories()
    check_participants_fit_their_roles_and_some_insurance_is_missing_or_expired()
    check_every_demo_unit_user_takes_part_in_several_projects_and_has_reports()
    check_reports_are_mostly_accepted_and_prefill_the_county_figures()
    check_cultivation_ratio_has_counties_on_both_sides_of_the_line()
    check_a_late_milestone_an_unmet_goal_and_goal_rules_for_the_demo_years()
    before = (Project.objects.count(), Participant.objects.count(), MonthlyReport.objects.count())
    seed.seed_demo(io.StringIO())
    assert (Project.objects.count(), Participant.objects.count(), MonthlyReport.objects.count()) == before
