"""Publication coverage and reminders (seed 001 二(一)1): "严格执行工程质量信息公示制度……主动公示项目地点、主体责任单位、
项目负责人等有关内容，接受社会监督" — counties publish by hand, so the city sees per county how many projects from 施工
on are published, and a county is reminded when a project reaches 施工 unpublished."""

import pytest
from django.urls import reverse

from disclosure import coverage, notices, services
from disclosure.models import ProjectDisclosure
from notifications.models import Notification
from projects import services as project_services
from tests.disclosure.factories import disclosed_project
from tests.projects_factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _projects(county, user, *, published: int, unpublished: int, early: int = 0):
    for i in range(published):
        disclosed_project(county, user, name=f"{county.name}已公示{i}")
    for i in range(unpublished):
        disclosed_project(county, user, publish=False, name=f"{county.name}未公示{i}")
    for i in range(early):
        ProjectFactory(county=county, stage="tender", name=f"{county.name}招标中{i}")


def _rows(user):
    return {r.county_name: (r.published, r.due, r.percent) for r in coverage.coverage_for(user)}


def test_coverage_counts_projects_from_construction_on_per_county(
    county, county_user, other_county, colleague, city_admin
):
    """21 of 60: only projects from 施工 on are due; 招标投标 ones are not counted."""
    _projects(county, county_user, published=2, unpublished=1, early=2)
    _projects(other_county, colleague, published=0, unpublished=2)
    rows = _rows(city_admin)
    assert rows["高平市"][:2] == (2, 3) and str(rows["高平市"][2]) == "66.67"
    assert rows["阳城县"] == (0, 2, 0)
    assert _rows(county_user) == {"高平市": rows["高平市"]}  # a county sees its own only


def test_city_dashboard_shows_each_county_and_a_county_its_own(
    client, county, county_user, other_county, colleague, city_admin
):
    _projects(county, county_user, published=1, unpublished=1)
    _projects(other_county, colleague, published=0, unpublished=1)
    client.force_login(city_admin)
    page = client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="disclosure-coverage-panel"' in page
    assert "高平市" in page and "阳城县" in page and "1 / 2" in page and "0 / 1" in page
    client.force_login(county_user)
    page = client.get(reverse("dashboard")).content.decode()
    panel = page[page.index('data-testid="disclosure-coverage-panel"') :]
    assert "1 / 2" in panel and "阳城县" not in panel


def test_manage_list_filters_the_projects_due_and_unpublished(client, county, county_user):
    _projects(county, county_user, published=1, unpublished=1, early=1)
    client.force_login(county_user)
    page = client.get(reverse("disclosure:manage-list"), {"published": "due"}).content.decode()
    assert "高平市未公示0" in page and "高平市已公示0" not in page and "高平市招标中0" not in page
    assert 'data-testid="manage-coverage"' in page


def test_county_is_reminded_when_a_project_reaches_construction_unpublished(
    county, county_user, colleague, django_capture_on_commit_callbacks
):
    project = ProjectFactory(county=county, stage="tender", name="城北小学教学楼")
    with django_capture_on_commit_callbacks(execute=True):
        project_services.change_stage(project, "construction", user=county_user)
    notes = list(Notification.objects.filter(recipient=county_user))
    assert len(notes) == 1 and "待公示" in notes[0].title and "城北小学教学楼" in notes[0].title
    assert "施工" in notes[0].title and reverse("disclosure:manage-list") in notes[0].url
    assert not Notification.objects.filter(recipient=colleague).exists()

    assert notices.remind_all() == 0  # the daily check does not repeat it


def test_no_reminder_for_a_published_project_or_an_earlier_stage(
    county, county_user, django_capture_on_commit_callbacks
):
    published = disclosed_project(county, county_user)
    published.stage = "tender"
    published.save(update_fields=["stage"])
    early = ProjectFactory(county=county, stage="planning")
    with django_capture_on_commit_callbacks(execute=True):
        project_services.change_stage(published, "construction", user=county_user)
        project_services.change_stage(early, "design", user=county_user)
    assert not Notification.objects.filter(recipient=county_user).exists()


def test_daily_check_reminds_once_per_stage_and_again_after_a_withdrawal(county, county_user):
    project = disclosed_project(county, county_user, publish=False)  # registered directly in 施工 (an import)
    assert notices.remind_all() == 1
    assert notices.remind_all() == 0
    services.publish(project, user=county_user, location="高平市北城街1号")
    assert notices.remind_all() == 0
    services.withdraw(project, user=county_user, reason="责任主体变更，待重新公示")
    assert notices.remind_all() == 1
    last = Notification.objects.filter(recipient=county_user).order_by("-pk").first()
    assert "责任主体变更，待重新公示" in last.body


def test_the_daily_check_is_scheduled(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "disclosure.tasks.remind_unpublished_projects" in tasks


def test_every_project_due_has_its_disclosure_row(county, county_user):
    disclosed_project(county, county_user, publish=False)
    assert ProjectDisclosure.objects.due_unpublished().count() == 1
