"""Notices: once per event and recipient (never twice on a retry), reminders on the 17th/19th, the bell."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command

from accounts.models import Region
from assessment.models import Rubric, Submission
from assessment.tasks import send_submission_reminders
from notifications.models import Notification
from notifications.services import notify, notify_county
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_notice_is_sent_once_per_event_even_when_repeated(county_user):
    county_user.email = "owner@example.cn"
    county_user.save()
    assert notify([county_user], "event:1", "测试通知", "正文") == 1
    assert notify([county_user], "event:1", "测试通知", "正文") == 0
    assert Notification.objects.filter(recipient=county_user).count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "【精品工程管理系统】测试通知"


def test_notify_county_reaches_only_that_countys_staff(county_user, colleague, county):
    same = UserFactory(role="county_staff", region=county, username="same")
    assert notify_county(county.pk, "event:2", "仅本县") == 2
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"owner", same.username}


@pytest.fixture
def counties():
    call_command("seed_reference", stdout=io.StringIO())
    return list(Region.objects.filter(level="county", parent__code="140500").order_by("order"))


def test_reminders_go_to_counties_that_have_not_submitted_and_only_once(counties):
    staff = {c.pk: UserFactory(role="county_staff", region=c) for c in counties}
    rubric = Rubric.objects.filter(year=2023).first()
    Submission.objects.create(county=counties[0], year=2023, month=6, rubric=rubric, status="submitted")
    Submission.objects.create(county=counties[1], year=2023, month=6, rubric=rubric, status="draft")
    on_17th = dt.datetime(2023, 6, 17, 9, 0, tzinfo=SHANGHAI)
    assert send_submission_reminders(on_17th) == len(counties) - 1
    assert send_submission_reminders(on_17th) == 0  # a retried task sends nothing again
    assert not Notification.objects.filter(recipient=staff[counties[0].pk]).exists()
    draft_notice = Notification.objects.get(recipient=staff[counties[1].pk])
    assert "2023年6月考评材料尚未报送" in draft_notice.title and "逾期当月考核评分为0分" in draft_notice.body
    on_19th = dt.datetime(2023, 6, 19, 9, 0, tzinfo=SHANGHAI)
    assert send_submission_reminders(on_19th) == len(counties) - 1  # the 19th is a new event


def test_no_reminder_after_the_deadline(counties):
    UserFactory(role="county_staff", region=counties[0])
    assert send_submission_reminders(dt.datetime(2023, 6, 21, 9, 0, tzinfo=SHANGHAI)) == 0


def test_the_bell_shows_the_unread_count_and_the_list_marks_them_read(client, county_user):
    notify([county_user], "a", "第一条")
    notify([county_user], "b", "第二条")
    client.force_login(county_user)
    html = client.get("/").content.decode()
    assert 'data-testid="unread-count">2<' in html
    page = client.get("/reports/notifications/").content.decode()
    assert "第一条" in page and "第二条" in page
    client.post("/reports/notifications/")
    assert 'data-testid="unread-count"' not in client.get("/").content.decode()


def test_a_user_sees_only_own_notices_in_the_api(county_user, colleague):
    from tests.conftest import api_client_for

    notify([county_user], "x", "给本人")
    notify([colleague], "x", "给他人")
    titles = [n["title"] for n in api_client_for(county_user).get("/api/v1/notifications/").json()["results"]]
    assert titles == ["给本人"]
    other = Notification.objects.get(recipient=colleague)
    assert api_client_for(county_user).post(f"/api/v1/notifications/{other.pk}/read/").status_code == 404


def test_a_notice_read_through_the_api_keeps_its_first_read_time(county_user):
    import time_machine

    from tests.conftest import api_client_for

    notify([county_user], "x", "给本人")
    notice = Notification.objects.get(recipient=county_user)
    with time_machine.travel(dt.datetime(2024, 3, 1, 9, 0, tzinfo=SHANGHAI), tick=False):
        first = api_client_for(county_user).post(f"/api/v1/notifications/{notice.pk}/read/")
    with time_machine.travel(dt.datetime(2024, 3, 2, 9, 0, tzinfo=SHANGHAI), tick=False):
        again = api_client_for(county_user).post(f"/api/v1/notifications/{notice.pk}/read/")
    assert first.status_code == again.status_code == 200
    notice.refresh_from_db()
    assert notice.read_at == dt.datetime(2024, 3, 1, 9, 0, tzinfo=SHANGHAI)
    assert again.json()["read_at"] == first.json()["read_at"]


def test_a_county_is_told_when_its_month_is_returned_approved_and_published(
    county, county_user, city_admin, django_capture_on_commit_callbacks
):
    from assessment import services as assessment
    from tests.assessment.factories import submitted, target

    target(county)
    with django_capture_on_commit_callbacks(execute=True):
        sub = submitted(county, county_user)
        assessment.return_submission(sub, user=city_admin, comments={"A3": "请补充开工证明"}, general="请补充材料")
    notice = Notification.objects.get(recipient=county_user)
    assert notice.title == f"{county.name}2023年6月考评退回" and "请补充材料" in notice.body
    assert notice.url == f"/assessment/submissions/{sub.pk}/"

    with django_capture_on_commit_callbacks(execute=True):
        sub.refresh_from_db()
        sub = assessment.submit(sub, user=county_user)
        sub = assessment.approve(sub, user=city_admin)
        assessment.publish(sub, user=city_admin)
    titles = list(Notification.objects.filter(recipient=county_user).order_by("pk").values_list("title", flat=True))
    assert titles == [f"{county.name}2023年6月考评{x}" for x in ("退回", "审核通过", "已发布")]


def test_a_retried_notice_task_sends_nothing_twice(county, county_user, city_admin, django_capture_on_commit_callbacks):
    from assessment import services as assessment
    from assessment.tasks import notify_submission_event
    from tests.assessment.factories import submitted, target

    target(county)
    with django_capture_on_commit_callbacks(execute=True):
        sub = assessment.approve(submitted(county, county_user), user=city_admin)
    assert notify_submission_event.delay(sub.pk, "approved").get() == 0
    assert Notification.objects.filter(recipient=county_user).count() == 1
