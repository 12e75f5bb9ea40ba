"""The unit hears when its monthly report is accepted or returned, the county when a unit submits one:
bell + e-mail, once per event (a retried task adds nothing; a resubmission is a new event)."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from notifications.models import Notification
from projects import services
from projects.notices import notify_report_event
from tests.factories import UserFactory
from tests.projects.factories import contractor_with_user

pytestmark = pytest.mark.django_db

FIGURES = {"new_start_area": Decimal("12000.00")}


@pytest.fixture
def colleague_at_unit(reporter):
    return UserFactory(role="unit_user", enterprise=reporter.enterprise, username="unit_mate", email="mate@example.cn")


def _submitted(reporter, project, capture):
    with capture(execute=True):
        report = services.create_report(project, 2023, 6, FIGURES, user=reporter, submit=True)
    return report


def test_a_submitted_report_tells_the_county_and_no_one_else(
    reporter, project, county_user, colleague, django_capture_on_commit_callbacks
):
    county_user.email = "county@example.cn"
    county_user.save()
    _submitted(reporter, project, django_capture_on_commit_callbacks)
    (notice,) = Notification.objects.all()
    assert notice.recipient == county_user
    assert notice.title == "待审核：高平市第一中学教学楼2023年6月月报已提交"
    assert notice.url.endswith(f"/projects/reports/{project.monthly_reports.get().pk}/")
    assert [m.to for m in mail.outbox] == [["county@example.cn"]]


def test_a_returned_report_tells_its_unit_with_the_reason(
    reporter, colleague_at_unit, project, county_user, django_capture_on_commit_callbacks
):
    report = _submitted(reporter, project, django_capture_on_commit_callbacks)
    other_unit = contractor_with_user(project, "other_unit")
    with django_capture_on_commit_callbacks(execute=True):
        services.return_report(report, "新开工面积与施工许可不符", user=county_user)
    notices = Notification.objects.filter(title__endswith="月报被退回")
    assert set(notices.values_list("recipient__username", flat=True)) == {reporter.username, "unit_mate"}
    assert "退回原因：新开工面积与施工许可不符" in notices.first().body
    # the return notice names the county's bureau, not the generic 县（市、区）住建局
    assert notices.first().body.startswith(f"{project.county.name}住建局退回了")
    assert "县（市、区）" not in notices.first().body
    assert not Notification.objects.filter(recipient=other_unit).exists()
    assert any(m.to == ["mate@example.cn"] and "月报被退回" in m.subject for m in mail.outbox)


def test_an_accepted_report_tells_its_unit_once_even_when_the_task_runs_again(
    reporter, project, county_user, django_capture_on_commit_callbacks
):
    report = _submitted(reporter, project, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_report(report, user=county_user)
    assert notify_report_event(report.pk, "accepted") == 0  # a retry
    (notice,) = Notification.objects.filter(recipient=reporter)
    assert notice.title == "高平市第一中学教学楼2023年6月月报已接收"
    assert notice.body.startswith(f"{project.county.name}住建局已接收")


def test_a_resubmission_after_a_return_is_a_new_event_for_the_county(
    reporter, project, county_user, django_capture_on_commit_callbacks
):
    report = _submitted(reporter, project, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.return_report(report, "请补充", user=county_user)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_report(report, user=reporter)
    assert Notification.objects.filter(recipient=county_user, title__startswith="待审核").count() == 2


def test_a_refused_action_notifies_no_one(reporter, project, county_user, django_capture_on_commit_callbacks):
    report = _submitted(reporter, project, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.return_report(report, "  ", user=county_user)
    assert not Notification.objects.filter(recipient=reporter).exists()
