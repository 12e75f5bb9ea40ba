"""Scoping (owner / colleague / outsider) on the web and the API, and the API walking a step."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pilots import services
from pilots.choices import PilotStatus
from pilots.seed import demo_targets, plan_document
from tests.conftest import api_client_for
from tests.pilots.conftest import approved_pilot
from tests.projects_factories import ParticipantFactory, ProjectFactory


@pytest.fixture
def pilot(applied, owner, city_admin, experts):
    return approved_pilot(applied, owner, city_admin, experts)


def test_who_sees_a_pilot(
    client, pilot, owner, builder_colleague, county_user, colleague, outsider, experts, city_admin
):
    url = reverse("pilots:pilot-detail", args=[pilot.pk])
    for user, code in [
        (owner, 200),
        (builder_colleague, 200),  # same enterprise
        (county_user, 200),
        (city_admin, 200),
        (experts[0], 200),  # assigned reviewer
        (colleague, 404),  # another county
        (outsider, 404),  # another enterprise
    ]:
        client.force_login(user)
        assert client.get(url).status_code == code, user.username


def test_programme_page_for_the_city_and_the_county(client, pilot, city_admin, county_user):
    client.force_login(city_admin)
    page = client.get(reverse("pilots:programme")).content.decode()
    assert "全市已确定试点" in page and "少于方案要求的10个" in page
    client.force_login(county_user)
    page = client.get(reverse("pilots:programme")).content.decode()
    assert "全市已确定试点" not in page  # a county sees its own quota, not a city figure of its own pilots
    assert "高平市尚未确定房地产开发项目试点" in page


def test_api_list_is_scoped(pilot, county_user, colleague, outsider):
    url = "/api/v1/pilots/"
    assert api_client_for(county_user).get(url).json()["count"] == 1
    assert api_client_for(colleague).get(url).json()["count"] == 0
    assert api_client_for(outsider).get(url).json()["count"] == 0
    assert api_client_for(outsider).get(f"{url}{pilot.pk}/").status_code == 404


def test_api_records_a_milestone_through_the_service(pilot, owner, outsider):
    url = f"/api/v1/pilots/{pilot.pk}/milestone/"
    body = {"milestone": "planning", "completed_on": "2023-03-05", "note": "策划完成"}
    response = api_client_for(owner).post(url, body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == PilotStatus.IMPLEMENTING
    again = api_client_for(owner).post(url, body, format="json")
    assert again.status_code == 400 and "已登记" in again.content.decode()


def test_api_apply_and_bad_input(project, owner, clock):
    client = api_client_for(owner)
    bad = client.post(
        "/api/v1/pilots/apply/",
        {"project": project.pk, "prefab_rate": "abc", "document": plan_document()},
        format="multipart",
    )
    assert bad.status_code == 400 and "装配率目标" in bad.content.decode()
    data = {k: v for k, v in demo_targets(0).items() if v is not None}
    good = client.post(
        "/api/v1/pilots/apply/", {"project": project.pk, "document": plan_document(), **data}, format="multipart"
    )
    assert good.status_code == 201, good.content
    assert good.json()["status"] == PilotStatus.DRAFT


def test_web_step_redirects_and_refusal_changes_nothing(client, pilot, outsider, owner):
    client.force_login(owner)
    url = reverse("pilots:pilot-action", args=[pilot.pk, "acceptance"])
    response = client.post(
        url, {"ac-accepted_on": "2024-01-01", "ac-achieved_label": "two", "ac-passed": "1", "ac-opinion": "x"}
    )
    assert response.status_code == 302
    pilot.refresh_from_db()
    assert pilot.status == PilotStatus.APPROVED
    client.force_login(outsider)
    assert client.post(url, {}).status_code == 404


def test_list_page_has_the_card_list(client, pilot, owner):
    client.force_login(owner)
    page = client.get(reverse("pilots:pilot-list")).content.decode()
    assert "table-cards" in page and pilot.project.name in page


def test_api_list_queries_do_not_grow_with_the_pilots(project, owner, county, builder, city_admin, clock):
    services.apply(project, user=owner, document=plan_document(), targets=demo_targets(0))
    client = api_client_for(city_admin)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/v1/pilots/").json()["count"] == 1
    for _ in range(3):
        other = ProjectFactory(county=county, category="building")
        ParticipantFactory(project=other, enterprise=builder, role="builder")
        services.apply(other, user=owner, document=plan_document(), targets=demo_targets(1))
    with CaptureQueriesContext(connection) as four:
        assert client.get("/api/v1/pilots/").json()["count"] == 4
    assert len(four) == len(one)
