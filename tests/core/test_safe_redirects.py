"""Every ``next`` the project follows goes through core.redirects: an address off the site is never followed,
whatever its spelling, and a path on the site is."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from core.redirects import safe_next
from tests.factories import UserFactory
from tests.projects_factories import MonthlyReportFactory, ProjectFactory

EVIL = [
    "//evil.example",
    "//evil.example/path",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\\/evil.example",
    "https://evil.example/",
    "http://evil.example",
    "https:evil.example",
    "HTTPS://evil.example",
    "http://testserver@evil.example/",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    " //evil.example",
    "\t//evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "%2F%2Fevil.example",
    "evil.example",
    "ftp://evil.example",
    "//evil.example%2f..",
]


@pytest.mark.parametrize("value", EVIL)
def test_safe_next_refuses_every_address_off_the_site(value):
    assert safe_next(RequestFactory().get("/"), value) is None


@pytest.mark.parametrize("value", ["/disclosure/manage/", "/projects/reports/?page=2&q=%E6%A5%BC", "/"])
def test_safe_next_keeps_a_path_on_the_site(value):
    assert safe_next(RequestFactory().get("/"), value) == value


@pytest.fixture
def consumers(county):
    """Each view that follows a ``next``: (url, POST data without next, user, where it goes without next)."""
    staff = UserFactory(role="county_staff", region=county, username="staff")
    project = ProjectFactory(county=county)
    report = MonthlyReportFactory(project=project, status="submitted")
    return {
        "disclosure publish": (
            reverse("disclosure:publish", args=[project.pk]),
            {"action": "withdraw"},
            staff,
            reverse("disclosure:manage-list"),
        ),
        "library add": (
            reverse("evaluation:library-add", args=[project.pk]),
            {},
            staff,
            reverse("evaluation:library"),
        ),
        "report action": (
            reverse("projects:report-action", args=[report.pk, "return"]),
            {"reason": ""},
            staff,
            reverse("projects:report-detail", args=[report.pk]),
        ),
        "login": (reverse("login"), {"username": "staff", "password": "Test@12345"}, None, reverse("dashboard")),
        "logout": (reverse("logout"), {}, staff, reverse("login")),
    }


CONSUMERS = ["disclosure publish", "library add", "report action", "login", "logout"]


@pytest.mark.django_db
@pytest.mark.parametrize("consumer", CONSUMERS)
@pytest.mark.parametrize("value", EVIL)
def test_no_next_consumer_follows_an_address_off_the_site(client, consumers, consumer, value):
    url, data, user, fallback = consumers[consumer]
    if user:
        client.force_login(user)
    response = client.post(url, {**data, "next": value})
    assert response.status_code == 302
    assert response["Location"] == fallback
    assert "evil" not in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("consumer", CONSUMERS)
def test_every_next_consumer_follows_a_path_on_the_site(client, consumers, consumer):
    url, data, user, _ = consumers[consumer]
    if user:
        client.force_login(user)
    response = client.post(url, {**data, "next": "/projects/?page=2"})
    assert response.status_code == 302 and response["Location"] == "/projects/?page=2"
