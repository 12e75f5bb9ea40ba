"""The county's to-do of sending its month: opened by the reminder before the deadline (due at the deadline),
closed by the submission; a returned month is a to-do until it is sent again."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from assessment import services
from assessment.tasks import send_submission_reminders
from notifications.models import Todo
from tests.assessment.factories import filled_submission, local, submitted, target

pytestmark = pytest.mark.django_db


def _open(user):
    return list(Todo.objects.filter(user=user, done_at__isnull=True).values_list("kind", flat=True))


def test_the_reminder_opens_the_months_to_do_and_the_submission_closes_it(county, county_user, colleague):
    target(county)
    sub = filled_submission(county, county_user)
    on_17th = dt.datetime(2023, 6, 17, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    send_submission_reminders(on_17th)
    send_submission_reminders(on_17th + dt.timedelta(days=2))  # the 19th: still one to-do
    (todo,) = Todo.objects.filter(user=county_user)
    assert todo.kind == Todo.Kind.ASSESSMENT_SUBMIT and todo.title == "报送2023年6月月度考评材料"
    assert todo.deadline == services.effective_deadline(county.pk, 2023, 6)
    assert todo.url == "/assessment/"
    services.submit(sub, user=county_user, now=local(2023, 6, 18, 9, 0))
    assert _open(county_user) == []
    assert _open(colleague) == [Todo.Kind.ASSESSMENT_SUBMIT]  # the other county has not sent its month


def test_a_returned_month_is_a_to_do_until_it_is_sent_again(
    county, county_user, city_admin, django_capture_on_commit_callbacks
):
    target(county)
    with django_capture_on_commit_callbacks(execute=True):
        sub = submitted(county, county_user)
        services.return_submission(sub, user=city_admin, comments={"A3": "请补充开工证明"})
    assert _open(county_user) == [Todo.Kind.ASSESSMENT_RESUBMIT]
    assert Todo.objects.get(user=county_user).url == f"/assessment/submissions/{sub.pk}/"
    sub.refresh_from_db()
    services.submit(sub, user=county_user)
    assert _open(county_user) == []
