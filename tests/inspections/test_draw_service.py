"""The draw as the bureau runs it: frozen lists, exclusions, the audit re-run, who may draw."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from inspections import services
from inspections.models import Inspection, InspectionStatus, PlanStatus
from tests.factories import UserFactory
from tests.inspections.factories import InspectorFactory, PlanFactory
from tests.projects_factories import ParticipantFactory, ProjectFactory


def test_the_draw_freezes_the_lists_and_the_audit_rerun_gives_the_same_teams(drawn, projects, roster):
    assert drawn.status == PlanStatus.DRAWN
    assert drawn.eligible_projects == sorted(p.pk for p in projects)
    assert drawn.eligible_inspectors == sorted(i.pk for i in roster)
    assert drawn.seed == services.drawing.make_seed(drawn.pk, "3089.26")
    inspections = list(drawn.inspections.order_by("draw_order"))
    assert len(inspections) == 2 and all(len(i.team.all()) == 2 for i in inspections)
    assert services.rerun_draw(drawn).as_json() == drawn.draw_result
    assert [i.project_id for i in inspections] == [t["project"] for t in drawn.draw_result]


def test_data_changed_after_the_draw_does_not_change_the_audit(drawn, county, roster):
    ProjectFactory(county=county)  # a new project and a new inspector appear after the draw
    InspectorFactory()
    assert services.rerun_draw(drawn).as_json() == drawn.draw_result


def test_a_different_public_value_draws_differently(plan, projects, contractor, roster, county_user, county):
    other = PlanFactory(county=county, created_by=county_user, project_count=2, team_size=2)
    a = services.draw_plan(plan, user=county_user, public_value="1")
    b = services.draw_plan(other, user=county_user, public_value="1")
    assert a.seed != b.seed  # the plan id is part of the seed


def test_an_inspector_employed_by_a_participant_is_excluded_from_that_project(plan, projects, roster, county_user):
    employer = ParticipantFactory(project=projects[0], role="supervisor").enterprise
    conflicted = InspectorFactory(user=UserFactory(role="expert", enterprise=employer, username="conflicted"))
    plan = services.draw_plan(plan, user=county_user, public_value="x")
    reasons = plan.exclusions[str(projects[0].pk)]
    assert str(conflicted.pk) in reasons and "须回避" in reasons[str(conflicted.pk)]
    assert str(projects[1].pk) not in plan.exclusions  # no conflict on the other projects
    for inspection in Inspection.objects.filter(plan=plan, project=projects[0]):
        assert conflicted not in inspection.team.all()


def test_many_draws_never_put_a_conflicted_or_recent_inspector_on_the_project(county, county_user, clock):
    project = ProjectFactory(county=county)
    employer = ParticipantFactory(project=project, role="design").enterprise
    conflicted = InspectorFactory(user=UserFactory(role="expert", enterprise=employer, username="c1"))
    recent = InspectorFactory()
    others = [InspectorFactory() for _ in range(3)]
    old = PlanFactory(county=county, project_count=1, team_size=1)
    earlier = Inspection.objects.create(plan=old, project=project, draw_order=1, inspected_on=dt.date(2023, 11, 20))
    earlier.team.set([recent])
    seen = set()
    for i in range(25):
        plan = PlanFactory(county=county, project_count=1, team_size=3)
        services.draw_plan(plan, user=county_user, public_value=str(i))
        team = set(plan.inspections.get().team.all())
        assert conflicted not in team and recent not in team
        seen |= team
    assert seen == set(others)


def test_an_inspection_older_than_the_recency_window_does_not_exclude(county, county_user, clock):
    project = ProjectFactory(county=county)
    inspector = InspectorFactory()
    old = PlanFactory(county=county, project_count=1, team_size=1, period_start=dt.date(2022, 1, 1))
    Inspection.objects.create(plan=old, project=project, draw_order=1, inspected_on=dt.date(2022, 1, 10)).team.set(
        [inspector]
    )
    plan = PlanFactory(county=county, project_count=1, team_size=1, recency_months=12)
    plan = services.draw_plan(plan, user=county_user, public_value="v")
    assert plan.exclusions == {}


def test_the_scope_limits_the_eligible_projects(county, county_user, roster, clock):
    pilot = ProjectFactory(county=county, green_pilot=True, category="building")
    ProjectFactory(county=county, green_pilot=False)
    ProjectFactory(county=county, green_pilot=True, category="municipal")
    plan = PlanFactory(county=county, project_count=5, team_size=1, pilot_only=True, scope_categories=["building"])
    plan = services.draw_plan(plan, user=county_user, public_value="v")
    assert plan.eligible_projects == [pilot.pk]
    assert [i.project_id for i in plan.inspections.all()] == [pilot.pk]


def test_a_county_plan_never_draws_another_countys_project(plan, projects, roster, county_user, other_county):
    ProjectFactory(county=other_county)
    plan = services.draw_plan(plan, user=county_user, public_value="v")
    assert set(plan.eligible_projects) == {p.pk for p in projects}


def test_a_plan_is_drawn_once_and_only_by_its_organiser(plan, projects, roster, county_user, colleague, city_admin):
    with pytest.raises(PermissionDenied):
        services.draw_plan(plan, user=colleague, public_value="v")
    with pytest.raises(ValidationError, match="公开随机值"):
        services.draw_plan(plan, user=county_user, public_value="  ")
    services.draw_plan(plan, user=county_user, public_value="v")
    with pytest.raises(ValidationError, match="不能重复抽取"):
        services.draw_plan(plan, user=city_admin, public_value="w")


def test_too_small_a_roster_is_refused_and_nothing_is_drawn(plan, projects, county_user):
    InspectorFactory()
    with pytest.raises(ValidationError, match="不足每组2人"):
        services.draw_plan(plan, user=county_user, public_value="v")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and not plan.seed and not plan.inspections.exists()


def test_a_county_creates_plans_for_its_own_county_only(county_user, county, other_county):
    plan = services.create_plan(
        user=county_user,
        county=other_county,
        scope_counties=[other_county],
        name="计划",
        year=2024,
        period_start=dt.date(2024, 3, 1),
        period_end=dt.date(2024, 3, 31),
        project_count=3,
    )
    assert plan.county == county and list(plan.scope_counties.all()) == [county]


def test_bad_plan_input_changes_nothing(county_user):
    with pytest.raises(ValidationError) as exc:
        services.create_plan(
            user=county_user,
            name="计划",
            year=2024,
            period_start=dt.date(2024, 3, 31),
            period_end=dt.date(2024, 3, 1),
            project_count=3,
            scope_categories=["nonsense"],
        )
    assert set(exc.value.message_dict) == {"period_end", "scope_categories"}
    from inspections.models import InspectionPlan

    assert not InspectionPlan.objects.exists()


def test_the_audit_page_reruns_the_draw(client, drawn, county_user, colleague):
    client.force_login(county_user)
    page = client.get(f"/inspections/plans/{drawn.pk}/audit/").content.decode()
    assert "结果与记录的抽取结果一致" in page and drawn.seed in page
    client.force_login(colleague)
    assert client.get(f"/inspections/plans/{drawn.pk}/audit/").status_code == 404


def test_a_tampered_result_is_shown_as_inconsistent(client, drawn, county_user):
    drawn.draw_result = list(reversed(drawn.draw_result))
    drawn.save(update_fields=["draw_result"])
    client.force_login(county_user)
    assert "不一致" in client.get(f"/inspections/plans/{drawn.pk}/audit/").content.decode()


def test_recording_needs_a_team_member_or_the_organiser(drawn, colleague, roster, clock):
    inspection = drawn.inspections.first()
    with pytest.raises(PermissionDenied):
        services.record_inspection(inspection, user=colleague, inspected_on=dt.date(2024, 3, 5))
    member = inspection.team.first().user
    services.record_inspection(inspection, user=member, inspected_on=dt.date(2024, 3, 5))
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.RECORDED
