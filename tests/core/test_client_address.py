"""One client address rule (``core.clientip``, ``TRUSTED_PROXY_COUNT``) behind every limit: a spoofed
``X-Forwarded-For`` lifts none of them in a direct deployment, and behind the reverse proxy each citizen is counted
by their own address (not the proxy's), while an extra hop the client writes in front changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import SecurityEvent
from core.api import throttling
from core.clientip import client_ip
from disclosure.models import ProjectDisclosure
from tests.disclosure.factories import disclosed_project
from tests.factories import UserFactory

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PROXY = "172.18.0.5"
PUBLIC_API = "/api/v1/public/projects/"


def request_with(remote="10.0.0.1", xff=None):
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    "proxies, remote, xff, expected",
    [
        (0, "10.0.0.1", None, "10.0.0.1"),
        (0, "10.0.0.1", "1.2.3.4", "10.0.0.1"),  # direct: the header is the client's own words
        (0, "10.0.0.1", "1.2.3.4, 5.6.7.8", "10.0.0.1"),
        (1, PROXY, "1.2.3.4", "1.2.3.4"),  # the proxy appended the client's address
        (1, PROXY, "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # a hop the client wrote in front is not trusted
        (1, PROXY, "6.6.6.6,1.2.3.4", "1.2.3.4"),
        (1, PROXY, None, PROXY),  # not through the proxy: its own address
        (1, PROXY, "", PROXY),
        (1, PROXY, "not-an-ip", PROXY),
        (2, PROXY, "6.6.6.6, 1.2.3.4, 10.9.9.9", "1.2.3.4"),  # the outer proxy saw 1.2.3.4
        (2, PROXY, "1.2.3.4", PROXY),  # fewer entries than proxies
        (1, PROXY, "2001:db8::1", "2001:db8::1"),
        (0, "", None, None),
    ],
)
def test_the_client_address_rule(settings, proxies, remote, xff, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(request_with(remote, xff)) == expected


def _drf_views(patterns):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _drf_views(entry.url_patterns)
        elif isinstance(entry, URLPattern):
            cls = getattr(entry.callback, "cls", None)
            if cls is not None and hasattr(cls, "throttle_classes"):
                yield cls


def test_every_api_throttle_counts_by_the_one_address_rule():
    views = set(_drf_views(get_resolver().url_patterns))
    throttled = {view: view.throttle_classes for view in views if view.throttle_classes}
    assert throttled, "the public API and the token endpoint are throttled"
    for view, classes in throttled.items():
        for cls in classes:
            assert issubclass(cls, throttling.ClientAddressMixin), f"{view.__name__}: {cls.__name__}"


# --- direct deployment (TRUSTED_PROXY_COUNT=0): a spoofed header lifts no limit ------------------------------------
@pytest.mark.django_db
def test_rotating_x_forwarded_for_does_not_lift_the_public_api_limit(api, settings):
    """The issue's reproduction: 65 requests, each with a new X-Forwarded-For, at the 60/minute public API."""
    settings.TRUSTED_PROXY_COUNT = 0
    with time_machine.travel(T0, tick=False):
        codes = [
            api.get(PUBLIC_API, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code
            for i in range(65)
        ]
    assert codes[:60] == [200] * 60
    assert codes[60:] == [429] * 5


@pytest.fixture
def complaint_form(county, county_user):
    project = disclosed_project(county, county_user)
    public_id = ProjectDisclosure.objects.get(project=project).public_id
    return {"project": public_id, "category": "quality", "description": "楼板浇筑后出现多条贯穿裂缝。"}


@pytest.mark.django_db
def test_spoofed_x_forwarded_for_does_not_lift_the_complaint_form_limit(client, complaint_form, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.JINGPIN = {**settings.JINGPIN, "COMPLAINT_SUBMIT_PER_IP_PER_HOUR": 2}
    url = reverse("complaints:public-new")
    codes = [
        client.post(url, complaint_form, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code
        for i in range(4)
    ]
    assert codes == [302, 302, 429, 429]  # filed (→ the receipt), filed, then limited


@pytest.mark.django_db
def test_spoofed_x_forwarded_for_does_not_lift_the_sign_in_lockout(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.LOGIN_IP_FAILURE_LIMIT = 3
    UserFactory(role="expert", username="target")
    with time_machine.travel(T0, tick=False):
        for i in range(3):
            client.post(
                "/login/",
                {"username": f"guess{i}", "password": "x"},
                REMOTE_ADDR="203.0.113.7",
                HTTP_X_FORWARDED_FOR=f"198.51.100.{i}",
            )
        response = client.post(
            "/login/",
            {"username": "target", "password": "Test@12345"},
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR="198.51.100.99",
        )
    assert "登录失败次数过多" in response.content.decode() and "_auth_user_id" not in client.session
    assert set(SecurityEvent.objects.values_list("ip", flat=True)) == {"203.0.113.7"}


# --- behind one reverse proxy (TRUSTED_PROXY_COUNT=1, REMOTE_ADDR is the proxy) -------------------------------------
@pytest.fixture
def behind_proxy(settings, monkeypatch):
    settings.TRUSTED_PROXY_COUNT = 1
    monkeypatch.setattr(throttling.ScopedRateThrottle, "THROTTLE_RATES", {"public": "3/minute"})


def via_proxy(real, spoofed=None):
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"{spoofed}, {real}" if spoofed else real}


@pytest.mark.django_db
def test_behind_the_proxy_each_citizen_has_their_own_public_api_limit(api, behind_proxy):
    with time_machine.travel(T0, tick=False):
        first = [api.get(PUBLIC_API, **via_proxy("1.2.3.4", spoofed=f"6.6.6.{i}")).status_code for i in range(4)]
        second = [api.get(PUBLIC_API, **via_proxy("5.6.7.8")).status_code for _ in range(3)]
    assert first == [200, 200, 200, 429]  # the hop written in front does not make a new client
    assert second == [200, 200, 200]  # another citizen behind the same proxy is not blocked


@pytest.mark.django_db
def test_behind_the_proxy_one_citizen_does_not_block_the_complaint_form_for_everyone(
    client, complaint_form, settings, behind_proxy
):
    settings.JINGPIN = {**settings.JINGPIN, "COMPLAINT_SUBMIT_PER_IP_PER_HOUR": 2}
    url = reverse("complaints:public-new")
    codes = [
        client.post(url, complaint_form, **via_proxy("1.2.3.4", spoofed=f"6.6.6.{i}")).status_code for i in range(3)
    ]
    assert codes == [302, 302, 429]
    assert client.post(url, complaint_form, **via_proxy("5.6.7.8")).status_code == 302


@pytest.mark.django_db
def test_behind_the_proxy_the_sign_in_lockout_and_the_log_see_the_citizen(client, settings, behind_proxy):
    settings.LOGIN_IP_FAILURE_LIMIT = 3
    UserFactory(role="expert", username="target")
    with time_machine.travel(T0, tick=False):
        for i in range(3):
            client.post("/login/", {"username": f"guess{i}", "password": "x"}, **via_proxy("1.2.3.4", f"6.6.6.{i}"))
        locked = client.post("/login/", {"username": "target", "password": "Test@12345"}, **via_proxy("1.2.3.4"))
        assert "登录失败次数过多" in locked.content.decode()
        ok = client.post("/login/", {"username": "target", "password": "Test@12345"}, **via_proxy("5.6.7.8"))
    assert ok.status_code == 302
    assert set(SecurityEvent.objects.values_list("ip", flat=True)) == {"1.2.3.4", "5.6.7.8"}
