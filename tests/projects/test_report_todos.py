"""Monthly report to-dos: the county reviews a submitted report (the to-do ends with 接收 or 退回); the unit
corrects a returned one (the to-do ends with the resubmission)."""

import pytest

from notifications.models import Todo
from projects import services
from tests.projects.test_report_notices import FIGURES, _submitted

pytestmark = pytest.mark.django_db


def _open(user):
    return list(Todo.objects.filter(user=user, done_at__isnull=True).values_list("kind", flat=True))


def test_a_submitted_report_is_a_county_to_do_until_it_is_accepted(
    reporter, project, county_user, colleague, django_capture_on_commit_callbacks
):
    report = _submitted(reporter, project, django_capture_on_commit_callbacks)
    (todo,) = Todo.objects.filter(user=county_user)
    assert todo.kind == Todo.Kind.REPORT_REVIEW and todo.url == f"/projects/reports/{report.pk}/"
    assert _open(colleague) == [] and _open(reporter) == []
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_report(report, user=county_user)
    assert _open(county_user) == []


def test_a_returned_report_is_the_units_to_do_until_it_is_sent_again(
    reporter, project, county_user, django_capture_on_commit_callbacks
):
    report = _submitted(reporter, project, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.return_report(report, "新开工面积与施工许可不符", user=county_user)
    assert _open(county_user) == []
    assert _open(reporter) == [Todo.Kind.REPORT_RESUBMIT]
    with django_capture_on_commit_callbacks(execute=True):
        services.update_report(report, FIGURES, user=reporter)
        services.submit_report(report, user=reporter)
    assert _open(reporter) == []
    assert _open(county_user) == [Todo.Kind.REPORT_REVIEW]  # version 2 waits for review again
    assert Todo.objects.filter(user=county_user).count() == 2
