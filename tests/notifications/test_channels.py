"""Channels behind one interface: each user chooses e-mail / SMS per kind of notice (in-app always); SMS goes
through the configured backend — the console log, or an HTTP gateway (here a fake one on a local port) — from a
task that retries, so a gateway outage never fails the user's request."""

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail

from notifications.choices import NoticeKind
from notifications.models import Notification, NotificationPreference
from notifications.services import channels_for, notify, set_preferences
from tests.factories import UserFactory
from tests.projects.test_report_notices import FIGURES

pytestmark = pytest.mark.django_db


class FakeGateway:
    """A tiny SMS gateway: records every request and answers the next status from ``statuses`` (then 200)."""

    def __init__(self, statuses=()):
        self.requests, self.statuses = [], list(statuses)
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                gateway.requests.append({"path": self.path, "headers": dict(self.headers), "json": json.loads(body)})
                status = gateway.statuses.pop(0) if gateway.statuses else 200
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"ok": true}' if status == 200 else b'{"error": "busy"}')

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/sms/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway(settings):
    def start(statuses=()):
        fake = FakeGateway(statuses)
        settings.SMS_BACKEND, settings.SMS_GATEWAY_URL = "http", fake.url
        settings.SMS_GATEWAY_TOKEN, settings.SMS_GATEWAY_TIMEOUT, settings.SMS_MAX_RETRIES = "secret-token", 2, 2
        return fake

    return start


def _user(phone="", email="staff@example.cn", **kw):
    return UserFactory(role="county_staff", phone=phone, email=email, **kw)


def test_defaults_in_app_always_e_mail_on_sms_only_for_to_dos_and_reminders_with_a_phone(county):
    without_phone, with_phone = _user(region=county), _user("13912345678", region=county)
    assert channels_for(without_phone, NoticeKind.TODO) == {"in_app", "email"}
    assert channels_for(with_phone, NoticeKind.TODO) == {"in_app", "email", "sms"}
    assert channels_for(with_phone, NoticeKind.REMINDER) == {"in_app", "email", "sms"}
    assert channels_for(with_phone, NoticeKind.INFO) == {"in_app", "email"}


def test_the_chosen_channels_are_honoured(county, caplog, django_capture_on_commit_callbacks):
    user = _user("13912345678", region=county)
    set_preferences(user, {"todo": ["sms"], "reminder": ["email"], "info": []})
    caplog.set_level(logging.INFO, logger="notifications.sms")
    with django_capture_on_commit_callbacks(execute=True):
        notify([user], "t:1", "待审核：月报已提交", kind=NoticeKind.TODO)
        notify([user], "r:1", "整改期限将至", kind=NoticeKind.REMINDER)
        notify([user], "i:1", "月报已接收", kind=NoticeKind.INFO)
    assert Notification.objects.filter(recipient=user).count() == 3  # in-app always
    assert [m.subject for m in mail.outbox] == ["【精品工程管理系统】整改期限将至"]
    sms = [r.getMessage() for r in caplog.records if r.name == "notifications.sms"]
    assert sms == ["SMS to 13912345678: 【精品工程管理系统】待审核：月报已提交"]  # the console backend logs it


def test_sms_goes_to_the_http_gateway_as_json_with_the_token(county, gateway, django_capture_on_commit_callbacks):
    user = _user("13912345678", region=county)
    with gateway() as fake, django_capture_on_commit_callbacks(execute=True):
        notify([user], "t:1", "待审核：月报已提交", kind=NoticeKind.TODO)
    (request,) = fake.requests
    assert request["path"] == "/sms/send" and request["headers"]["Authorization"] == "Bearer secret-token"
    assert request["json"] == {"phone": "13912345678", "text": "【精品工程管理系统】待审核：月报已提交"}


def test_a_gateway_failure_is_retried(county, gateway, django_capture_on_commit_callbacks):
    user = _user("13912345678", region=county)
    with gateway([500]) as fake, django_capture_on_commit_callbacks(execute=True):
        notify([user], "t:1", "待审核：月报已提交", kind=NoticeKind.TODO)
    assert len(fake.requests) == 2 and fake.requests[0]["json"] == fake.requests[1]["json"]


def test_a_gateway_down_never_fails_the_users_request(client, county, gateway, django_capture_on_commit_callbacks):
    from projects import services
    from tests.projects.factories import ProjectFactory, contractor_with_user

    project = ProjectFactory(county=county, code="JC-2023-0001", name="高平市第一中学教学楼")
    reporter = contractor_with_user(project, "reporter")
    staff = _user("13912345678", region=county, username="reviewer")
    report = services.create_report(project, 2023, 6, FIGURES, user=reporter)
    client.force_login(reporter)
    with gateway([500, 500, 500, 500]) as fake, django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/projects/reports/{report.pk}/submit/")
    assert response.status_code == 302
    assert len(fake.requests) == 3  # the first try and SMS_MAX_RETRIES retries, all after the commit
    assert Notification.objects.filter(recipient=staff).exists()  # the in-app notice stands
    report.refresh_from_db()
    assert report.status == "submitted"


def test_the_settings_page_stores_the_table_and_refuses_sms_without_a_phone(client, county):
    user = _user(region=county)
    client.force_login(user)
    html = client.get("/reports/notifications/settings/").content.decode()
    assert "通知设置" in html and 'data-testid="pref-todo-email"' in html
    assert (
        'name="todo" value="sms" id="pref-todo-sms" data-testid="pref-todo-sms" aria-label="新的待办事项：短信" disabled'
        in html
    )
    response = client.post("/reports/notifications/settings/", {"todo": ["email"], "reminder": ["email"]})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=user).channels == {
        "todo": ["email"],
        "reminder": ["email"],
        "info": [],
    }
    response = client.post("/reports/notifications/settings/", {"todo": ["sms"]}, follow=True)
    assert "您的账号未登记手机号，不能选择短信通知。" in response.content.decode()
    assert NotificationPreference.objects.get(user=user).channels["todo"] == ["email"]  # nothing changed
    assert channels_for(user, NoticeKind.INFO) == {"in_app"}


def test_the_user_menu_links_the_settings_page(client, county_user):
    client.force_login(county_user)
    assert 'href="/reports/notifications/settings/"' in client.get("/").content.decode()


def test_on_a_worker_a_failed_sms_is_retried_later_with_backoff(gateway, monkeypatch):
    from celery.exceptions import Retry

    from notifications.tasks import send_sms

    queued = []
    monkeypatch.setattr(send_sms, "apply_async", lambda *args, **kw: queued.append(kw))
    args = ["13912345678", "测试"]
    with gateway([500]) as fake:
        send_sms.push_request(args=args, kwargs={}, retries=1, is_eager=False, called_directly=False)
        try:
            with pytest.raises(Retry):
                send_sms.run(*args)
        finally:
            send_sms.pop_request()
    assert len(fake.requests) == 1  # not tried again in the same run: the worker comes back later
    assert [q["countdown"] for q in queued] == [60] and queued[0]["retries"] == 2
