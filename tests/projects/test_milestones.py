"""Milestones and delays: planned dates from the project, actual dates from the units' monthly reports (accepted by
the county) or the county itself, the laggard list per county (web + API, scoped) and one notice per slip.

Seed 000 五(三): “开展常态化督查，对工作滞后的予以通报。属地乡镇政府、各项目主管部门制定工作推进计划，每月将工作进展
情况报县发改局”; 五(一): “建设单位要合理安排工期，压实责任，确保精品工程项目有序推进”."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from config.celery import app
from notifications.models import Notification
from projects import services
from projects.models import MilestoneKind, MilestoneSource, ProjectMilestone
from projects.tasks import notify_milestone_slips
from tests.conftest import api_client_for, at
from tests.factories import EnterpriseFactory, UserFactory
from tests.projects.factories import ParticipantFactory, ProjectFactory, unit_user_of

pytestmark = pytest.mark.django_db

FIGURES = {"new_start_area": Decimal("0")}


@pytest.fixture
def builder(project):
    """The project's 建设单位 and its user: who hears of a slip."""
    enterprise = EnterpriseFactory(kinds=["builder"])
    ParticipantFactory(project=project, enterprise=enterprise, role="builder")
    return unit_user_of(enterprise, "builder_user")


def late_milestone(project, planned=dt.date(2024, 1, 10), kind=MilestoneKind.TOPPING_OUT):
    return ProjectMilestone.objects.create(project=project, kind=kind, planned_on=planned)


def test_the_projects_planned_dates_seed_its_start_and_completion_milestones(county_user, county, clock):
    project = services.create_project(
        {
            "code": "JC-2024-0100",
            "name": "高平市人民医院门诊楼",
            "county": county,
            "year": 2024,
            "category": "building",
            "planned_start": dt.date(2024, 4, 1),
            "planned_completion": dt.date(2025, 9, 30),
        },
        user=county_user,
    )
    plans = dict(project.milestones.values_list("kind", "planned_on"))
    assert plans == {"start": dt.date(2024, 4, 1), "completion": dt.date(2025, 9, 30)}
    services.update_project(project, {"planned_completion": dt.date(2025, 12, 31)}, user=county_user)
    assert project.milestones.get(kind="completion").planned_on == dt.date(2025, 12, 31)


def test_a_units_report_brings_the_actual_date_when_the_county_accepts_it(
    reporter, project, county_user, clock, django_capture_on_commit_callbacks
):
    late_milestone(project, planned=dt.date(2024, 2, 1))
    data = {**FIGURES, "reached_topping_out_on": dt.date(2024, 2, 20)}
    with django_capture_on_commit_callbacks(execute=True):
        report = services.create_report(project, 2024, 2, data, user=reporter, submit=True)
        milestone = project.milestones.get(kind="topping_out")
        assert milestone.actual_on is None  # submitted is not yet accepted
        services.accept_report(report, user=county_user)
    milestone.refresh_from_db()
    assert (milestone.actual_on, milestone.source, milestone.report_id) == (
        dt.date(2024, 2, 20),
        MilestoneSource.REPORT,
        report.pk,
    )
    assert report.versions.get().data["reached_topping_out_on"] == "2024-02-20"
    assert not services.milestone_is_late(milestone)  # 19 days after the plan: within the 30


def test_a_reported_start_also_becomes_the_projects_actual_start(
    reporter, project, county_user, clock, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.create_report(
            project, 2023, 3, {**FIGURES, "reached_start_on": dt.date(2023, 3, 6)}, user=reporter, submit=True
        )
        services.accept_report(report, user=county_user)
    project.refresh_from_db()
    assert project.actual_start == dt.date(2023, 3, 6)
    assert project.milestones.get(kind="start").actual_on == dt.date(2023, 3, 6)


def test_a_reached_date_outside_the_reports_month_is_refused(reporter, project, clock):
    with pytest.raises(ValidationError) as exc:
        services.create_report(
            project, 2024, 2, {**FIGURES, "reached_completion_on": dt.date(2024, 1, 31)}, user=reporter
        )
    assert exc.value.message_dict["reached_completion_on"] == [
        "本月竣工验收日期须在2024年2月内（只填本月达到的节点）。"
    ]
    assert not project.monthly_reports.exists()


def test_the_county_records_a_milestone_and_a_future_actual_is_refused(client, project, county_user, clock):
    client.force_login(county_user)
    url = reverse("projects:milestone-set", args=[project.pk, "handover"])
    response = client.post(url, {"planned_on": "2024-12-31", "actual_on": ""})
    assert response.status_code == 302 and response.url.endswith("#milestones")
    handover = project.milestones.get(kind="handover")
    assert handover.planned_on == dt.date(2024, 12, 31) and handover.actual_on is None
    client.post(url, {"planned_on": "2024-12-31", "actual_on": "2024-12-01"})  # today is 2024-03-12
    handover.refresh_from_db()
    assert handover.actual_on is None
    page = client.get(reverse("projects:project-detail", args=[project.pk]))
    assert "实际日期不能晚于今天。" in page.content.decode()


def test_a_slip_is_notified_once_to_the_builder_and_the_county(
    project, builder, reporter, county_user, colleague, clock, django_capture_on_commit_callbacks
):
    milestone = late_milestone(project, planned=dt.date(2024, 1, 10))  # 62 days before 2024-03-12
    ProjectMilestone.objects.create(project=project, kind="handover", planned_on=dt.date(2024, 2, 15))  # 26 days
    with django_capture_on_commit_callbacks(execute=True):
        assert services.detect_milestone_slips() == 1
    notices = Notification.objects.all()
    assert set(notices.values_list("recipient__username", flat=True)) == {builder.username, county_user.username}
    assert notices.first().title == "进度滞后：高平市第一中学教学楼“主体结构封顶”节点未按计划完成"
    assert notices.first().url.endswith(f"/projects/{project.pk}/#milestones")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.detect_milestone_slips() == 0  # the next day's run: nothing new
    clock.move_to(at(2024, 3, 20, 9))  # the handover slips now (34 days)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.detect_milestone_slips() == 1
    assert Notification.objects.count() == 4
    milestone.refresh_from_db()
    assert milestone.slip_notified_for == dt.date(2024, 1, 10)


def test_a_replanned_milestone_that_slips_again_is_a_new_slip(
    project, builder, county_user, clock, django_capture_on_commit_callbacks
):
    milestone = late_milestone(project, planned=dt.date(2024, 1, 10))
    with django_capture_on_commit_callbacks(execute=True):
        services.detect_milestone_slips()
    services.set_milestone(project, "topping_out", {"planned_on": dt.date(2024, 3, 31)}, user=county_user)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.detect_milestone_slips() == 0  # the new plan is not late
    clock.move_to(at(2024, 5, 6, 9))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.detect_milestone_slips() == 1
    assert Notification.objects.filter(recipient=builder).count() == 2
    milestone.refresh_from_db()
    assert milestone.slip_notified_for == dt.date(2024, 3, 31)


def test_a_slip_replanned_before_its_notice_went_out_is_not_notified(
    project, builder, county_user, clock, django_capture_on_commit_callbacks
):
    late_milestone(project, planned=dt.date(2024, 1, 10))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.detect_milestone_slips() == 1
        services.set_milestone(project, "topping_out", {"planned_on": dt.date(2024, 3, 31)}, user=county_user)
    assert not Notification.objects.exists()


def test_reached_or_unplanned_milestones_are_not_notified(project, builder, clock, django_capture_on_commit_callbacks):
    ProjectMilestone.objects.create(
        project=project, kind="topping_out", planned_on=dt.date(2023, 10, 1), actual_on=dt.date(2024, 1, 5)
    )
    ProjectMilestone.objects.create(project=project, kind="handover", planned_on=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.detect_milestone_slips() == 0
    assert not Notification.objects.exists()


def test_the_daily_check_runs_from_the_beat(settings, project, builder, clock, django_capture_on_commit_callbacks):
    assert settings.CELERY_BEAT_SCHEDULE["milestone-slips"]["task"] == "projects.tasks.notify_milestone_slips"
    assert settings.JINGPIN["MILESTONE_DELAY_DAYS"] == 30
    app.loader.import_default_modules()  # what a worker does at start (autodiscover_tasks)
    assert "projects.tasks.notify_milestone_slips" in app.tasks
    late_milestone(project)
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_milestone_slips.delay().get() == 1
        assert notify_milestone_slips.delay().get() == 0
    assert Notification.objects.filter(recipient=builder).count() == 1


@pytest.fixture
def two_counties(project, other_project):
    late_milestone(project, planned=dt.date(2024, 1, 10))
    ProjectMilestone.objects.create(  # reached 40 days late: listed as 滞后完成
        project=project, kind="start", planned_on=dt.date(2023, 3, 1), actual_on=dt.date(2023, 4, 10)
    )
    ProjectMilestone.objects.create(  # on time: not listed
        project=project, kind="completion", planned_on=dt.date(2023, 12, 1), actual_on=dt.date(2023, 12, 20)
    )
    return late_milestone(other_project, planned=dt.date(2023, 11, 30))


def test_the_laggard_list_shows_the_own_county_only(client, project, county_user, two_counties, clock):
    client.force_login(county_user)
    page = client.get(reverse("projects:laggard-list")).content.decode()
    assert "高平市第一中学教学楼" in page and "阳城县体育馆" not in page
    assert "滞后完成" in page and "主体结构封顶" in page
    open_only = client.get(reverse("projects:laggard-list"), {"open": "1"}).content.decode()
    assert "滞后完成" not in open_only and "主体结构封顶" in open_only


def test_another_countys_project_milestones_are_not_found(client, colleague, project, clock):
    client.force_login(colleague)
    url = reverse("projects:milestone-set", args=[project.pk, "handover"])
    assert client.post(url, {"planned_on": "2024-12-31"}).status_code == 404
    assert not project.milestones.filter(kind="handover").exists()


def test_the_laggard_api_is_scoped(county_user, colleague, city_admin, project, other_project, two_counties, clock):
    rows = api_client_for(county_user).get("/api/v1/milestone-laggards/").json()["results"]
    assert [(r["project_code"], r["kind"], r["state"], r["days_behind"]) for r in rows] == [
        ("JC-2023-0001", "start", "滞后完成", 40),
        ("JC-2023-0001", "topping_out", "滞后", 62),
    ]
    other = api_client_for(colleague).get("/api/v1/milestone-laggards/").json()["results"]
    assert [r["project_code"] for r in other] == ["JC-2023-0999"]
    everyone = api_client_for(city_admin).get("/api/v1/milestone-laggards/", {"open": "true"}).json()["results"]
    assert {r["project_code"] for r in everyone} == {"JC-2023-0001", "JC-2023-0999"}
    narrowed = (
        api_client_for(city_admin).get("/api/v1/milestone-laggards/", {"county": project.county_id}).json()["results"]
    )
    assert {r["project_code"] for r in narrowed} == {"JC-2023-0001"}
    assert api_client_for(city_admin).get("/api/v1/milestone-laggards/", {"county": "x"}).status_code == 400


def test_the_laggard_api_reads_in_constant_queries(city_admin, county, clock, django_assert_max_num_queries):
    for n in range(12):
        late_milestone(ProjectFactory(county=county, code=f"JC-2023-{500 + n}"), planned=dt.date(2023, 6, 1))
    client = api_client_for(city_admin)
    with django_assert_max_num_queries(5):  # session, user, count, page (with project and county)
        body = client.get("/api/v1/milestone-laggards/").json()
    assert body["count"] == 12 and len(body["results"]) == 12


def test_the_laggard_api_pages_50_rows_and_at_most_500(city_admin, county, clock):
    for n in range(3):
        late_milestone(ProjectFactory(county=county, code=f"JC-2023-{600 + n}"), planned=dt.date(2023, 6, 1))
    client = api_client_for(city_admin)
    first = client.get("/api/v1/milestone-laggards/", {"page_size": 2}).json()
    second = client.get("/api/v1/milestone-laggards/", {"page_size": 2, "page": 2}).json()
    assert first["count"] == 3 and len(first["results"]) == 2 and first["next"]
    assert [r["project_code"] for r in first["results"] + second["results"]] == [
        "JC-2023-600",
        "JC-2023-601",
        "JC-2023-602",
    ]


def test_a_unit_sees_the_laggards_of_its_own_projects_only(reporter, outsider, project, two_counties, clock):
    assert {
        r["project_code"] for r in api_client_for(reporter).get("/api/v1/milestone-laggards/").json()["results"]
    } == {"JC-2023-0001"}
    assert api_client_for(outsider).get("/api/v1/milestone-laggards/").json()["results"] == []
    expert = UserFactory(role="expert", username="expert1")
    assert api_client_for(expert).get("/api/v1/milestone-laggards/").status_code == 403


def test_the_laggard_page_shows_page_size_rows_1_to_500(client, city_admin, county, clock):
    for n in range(3):
        late_milestone(ProjectFactory(county=county, code=f"JC-2023-{700 + n}"), planned=dt.date(2023, 6, 1))
    client.force_login(city_admin)
    url = reverse("projects:laggard-list")
    two = client.get(url, {"page_size": 2})
    assert [r.project_code for r in two.context["rows"]] == ["JC-2023-700", "JC-2023-701"]
    assert two.context["paginator"].count == 3 and two.context["is_paginated"]
    assert client.get(url, {"page_size": 2, "page": 2}).context["rows"][0].project_code == "JC-2023-702"
    assert client.get(url, {"page_size": "x"}).context["paginator"].per_page == 50
    assert client.get(url, {"page_size": 5000}).context["paginator"].per_page == 500
