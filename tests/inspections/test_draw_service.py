"""The draw as the bureau runs it: frozen lists, exclusions, the audit re-run, who may lock and draw."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from inspections import services
from inspections.models import Inspection, InspectionStatus, PlanStatus
from tests.factories import UserFactory
from tests.inspections.conftest import lock_and_draw
from tests.inspections.factories import InspectorFactory, PlanFactory
from tests.projects_factories import ParticipantFactory, ProjectFactory


def staff(**kwargs):
    return InspectorFactory(kind="staff", **kwargs)


def test_the_draw_freezes_the_lists_and_the_audit_rerun_gives_the_same_teams(drawn, projects, roster):
    assert drawn.status == PlanStatus.DRAWN and drawn.draw_scheme == "v2"
    assert drawn.eligible_projects == sorted(p.pk for p in projects)
    assert drawn.eligible_inspectors == sorted(i.pk for i in roster)
    assert drawn.seed == services.drawing.make_seed_v2(drawn.commitment, "3089.26")
    inspections = list(drawn.inspections.order_by("draw_order"))
    assert len(inspections) == 2 and all(len(i.team.all()) == 2 for i in inspections)
    assert services.rerun_draw(drawn).as_json() == drawn.draw_result
    assert services.draw_is_consistent(drawn)
    assert [i.project_id for i in inspections] == [t["project"] for t in drawn.draw_result]


def test_data_changed_after_the_draw_does_not_change_the_audit(drawn, county, roster):
    ProjectFactory(county=county, stage="construction")  # a new project and a new inspector appear after the draw
    staff()
    assert services.rerun_draw(drawn).as_json() == drawn.draw_result


def test_the_same_public_value_draws_differently_for_another_plan(plan, projects, roster, county_user, county, clock):
    other = PlanFactory(county=county, created_by=county_user, project_count=2, team_size=2, recency_months=0)
    a = lock_and_draw(plan, county_user, "1")
    b = lock_and_draw(other, county_user, "1")
    assert a.commitment != b.commitment and a.seed != b.seed  # the record (plan id included) is part of the seed


def test_an_inspector_employed_by_a_participant_is_excluded_from_that_project(
    plan, projects, roster, county_user, clock
):
    employer = ParticipantFactory(project=projects[0], role="supervisor").enterprise
    conflicted = staff(user=UserFactory(role="expert", enterprise=employer, username="conflicted"))
    plan = lock_and_draw(plan, county_user, "x")
    reasons = plan.exclusions[str(projects[0].pk)]
    assert str(conflicted.pk) in reasons and "须回避" in reasons[str(conflicted.pk)]
    assert str(projects[1].pk) not in plan.exclusions  # no conflict on the other projects
    # the public record names the category only, never the employer
    assert plan.record["exclusions"][str(projects[0].pk)] == [{"inspector": conflicted.pk, "reason": "利害关系回避"}]
    assert employer.name not in plan.record_json
    for inspection in Inspection.objects.filter(plan=plan, project=projects[0]):
        assert conflicted not in inspection.team.all()


def test_many_draws_never_put_a_conflicted_or_recent_inspector_on_the_project(county, county_user, clock):
    project = ProjectFactory(county=county, stage="construction")
    employer = ParticipantFactory(project=project, role="design").enterprise
    conflicted = staff(user=UserFactory(role="expert", enterprise=employer, username="c1"))
    recent = staff()
    others = [staff(), staff(), InspectorFactory()]
    old = PlanFactory(county=county, project_count=1, team_size=1)
    earlier = Inspection.objects.create(plan=old, project=project, draw_order=1, inspected_on=dt.date(2023, 11, 20))
    earlier.team.set([recent])
    seen = set()
    for i in range(25):
        # (planned long ago, so these draws' own teams do not count as recent inspections of the project)
        plan = PlanFactory(county=county, project_count=1, team_size=3, period_start=dt.date(2022, 1, 1))
        plan = lock_and_draw(plan, county_user, str(i))
        assert plan.record["exclusions"][str(project.pk)] == [
            {"inspector": conflicted.pk, "reason": "利害关系回避"},
            {"inspector": recent.pk, "reason": "近期检查回避"},
        ]
        team = set(plan.inspections.get().team.all())
        assert conflicted not in team and recent not in team
        seen |= team
    assert seen == set(others)


def test_an_inspection_older_than_the_recency_window_does_not_exclude(county, county_user, clock):
    project = ProjectFactory(county=county, stage="construction")
    inspector, _ = staff(), staff()
    old = PlanFactory(county=county, project_count=1, team_size=1, period_start=dt.date(2022, 1, 1))
    Inspection.objects.create(plan=old, project=project, draw_order=1, inspected_on=dt.date(2022, 1, 10)).team.set(
        [inspector]
    )
    plan = PlanFactory(county=county, project_count=1, team_size=2, recency_months=12)
    plan = lock_and_draw(plan, county_user, "v")
    assert plan.exclusions == {} and plan.record["exclusions"] == {}


def test_the_scope_limits_the_eligible_projects(county, county_user, roster, clock):
    pilot = ProjectFactory(county=county, stage="construction", green_pilot=True, category="building")
    ProjectFactory(county=county, stage="construction", green_pilot=False)
    ProjectFactory(county=county, stage="construction", green_pilot=True, category="municipal")
    plan = PlanFactory(county=county, project_count=5, team_size=2, pilot_only=True, scope_categories=["building"])
    plan = lock_and_draw(plan, county_user, "v")
    assert plan.eligible_projects == [pilot.pk]
    assert [i.project_id for i in plan.inspections.all()] == [pilot.pk]


def test_a_county_plan_never_draws_another_countys_project(plan, projects, roster, county_user, other_county, clock):
    ProjectFactory(county=other_county, stage="construction")
    plan = lock_and_draw(plan, county_user, "v")
    assert set(plan.eligible_projects) == {p.pk for p in projects}


def test_a_plan_is_locked_and_drawn_once_and_only_by_its_organiser(
    plan, projects, roster, county_user, colleague, city_admin, clock
):
    from django.utils import timezone

    yesterday = timezone.localdate() - dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="请先锁定并公示"):
        services.draw_plan(plan, user=county_user, public_value="v")
    with pytest.raises(PermissionDenied):
        services.lock_plan(plan, user=colleague, value_source="上证指数收盘价", value_not_before=yesterday)
    locked = services.lock_plan(
        plan,
        user=county_user,
        value_source="上证指数收盘价",
        value_not_before=yesterday,
        now=timezone.now() - dt.timedelta(days=2),
    )
    with pytest.raises(PermissionDenied):
        services.draw_plan(locked, user=colleague, public_value="v")
    with pytest.raises(ValidationError, match="公开随机值"):
        services.draw_plan(locked, user=county_user, public_value="  ")
    services.draw_plan(locked, user=county_user, public_value="v")
    with pytest.raises(ValidationError, match="不能重复抽取"):
        services.draw_plan(locked, user=city_admin, public_value="w")


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
