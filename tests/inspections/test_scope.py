"""Scope: a county sees its own plans and findings; a unit only its projects' notices; 404 outside."""

from __future__ import annotations

import datetime as dt

from inspections import services
from inspections.models import Finding, Inspection, InspectionPlan, RectificationNotice
from tests.factories import UserFactory
from tests.projects_factories import ParticipantFactory


def _notice(inspection, user):
    return services.add_finding(
        inspection,
        user=user,
        description="脚手架连墙件缺失",
        severity="major",
        responsible_role="contractor",
        deadline=dt.date(2024, 3, 20),
    ).notice


def test_querysets_scope_plans_findings_and_notices(
    inspection, county_user, colleague, outsider, unit_user, city_admin
):
    notice = _notice(inspection, county_user)
    for model in (InspectionPlan, Inspection, Finding, RectificationNotice):
        assert model.objects.visible_to(city_admin).exists()
        assert model.objects.visible_to(county_user).exists()
        assert not model.objects.visible_to(colleague).exists(), model
        assert not model.objects.visible_to(outsider).exists(), model
    assert list(RectificationNotice.objects.visible_to(unit_user)) == [notice]
    assert not InspectionPlan.objects.visible_to(unit_user).exists()


def test_another_participant_of_the_same_project_does_not_see_the_contractors_notice(inspection, county_user):
    _notice(inspection, county_user)
    supervisor = ParticipantFactory(project=inspection.project, role="supervisor").enterprise
    user = UserFactory(role="unit_user", enterprise=supervisor, username="sup")
    assert not RectificationNotice.objects.visible_to(user).exists()
    assert not Inspection.objects.visible_to(user).exists()


def test_an_inspector_sees_the_inspections_of_their_teams_only(drawn, roster):
    on_team = {m.user for i in drawn.inspections.all() for m in i.team.all()}
    for inspector in roster:
        visible = Inspection.objects.visible_to(inspector.user).exists()
        assert visible == (inspector.user in on_team)


def test_pages_are_404_outside_the_scope(client, inspection, county_user, colleague, unit_user, outsider):
    notice = _notice(inspection, county_user)
    attachment_urls = []
    urls = [
        f"/inspections/plans/{inspection.plan_id}/",
        f"/inspections/inspections/{inspection.pk}/",
        f"/inspections/notices/{notice.pk}/",
    ]
    client.force_login(county_user)
    for url in urls:
        assert client.get(url).status_code == 200, url
    client.force_login(colleague)
    for url in urls + attachment_urls:
        assert client.get(url).status_code == 404, url
    client.force_login(outsider)
    assert client.get(f"/inspections/notices/{notice.pk}/").status_code == 404
    client.force_login(unit_user)
    page = client.get(f"/inspections/notices/{notice.pk}/")
    assert page.status_code == 200 and "回复整改情况" in page.content.decode()
    assert notice.number in client.get("/inspections/notices/").content.decode()


def test_the_api_lists_only_the_users_notices_with_constant_queries(
    inspection, county_user, colleague, django_assert_max_num_queries
):
    from tests.conftest import api_client_for

    for _i in range(3):
        _notice(inspection, county_user)
    api = api_client_for(county_user)
    with django_assert_max_num_queries(8):
        data = api.get("/api/v1/rectification-notices/").json()
    assert data["count"] == 3
    assert api_client_for(colleague).get("/api/v1/rectification-notices/").json()["count"] == 0
    assert api_client_for(colleague).get(f"/api/v1/inspections/{inspection.pk}/").status_code == 404
