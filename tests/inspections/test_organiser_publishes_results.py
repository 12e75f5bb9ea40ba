"""一公开 by whoever inspects (issue 25; seed 001 二(五)1 “双随机、一公开”): the organiser of a plan — the city for its
plans, a county for its own — confirms its results for publication (陵川's own January plan was unpublished because
only the city could). Results are due within INSPECTION_PUBLISH_WORKING_DAYS (default 20) working days of the
inspection, Monday to Friday; overdue ones are flagged on the city's dashboard."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from inspections import public, services
from inspections.models import InspectionStatus
from tests.conftest import at


def test_a_county_confirms_the_results_of_its_own_plan(inspection, county_user, colleague):
    with pytest.raises(PermissionDenied):
        services.confirm_inspection(inspection, user=colleague)
    inspection = services.confirm_inspection(inspection, user=county_user)
    assert inspection.status == InspectionStatus.CONFIRMED and inspection.confirmed_by == county_user
    assert public.public_results()[0]["id"] == inspection.pk


def test_a_county_cannot_confirm_the_citys_plan_but_the_city_can(inspection, county_user, city_admin):
    plan = inspection.plan
    plan.county = None
    plan.save(update_fields=["county"])
    with pytest.raises(PermissionDenied):
        services.confirm_inspection(inspection, user=county_user)
    assert services.confirm_inspection(inspection, user=city_admin).status == InspectionStatus.CONFIRMED


def test_the_county_confirms_on_the_web(client, inspection, county_user):
    client.force_login(county_user)
    page = client.get(f"/inspections/inspections/{inspection.pk}/").content.decode()
    assert 'data-testid="confirm"' in page and 'data-testid="publish-due"' in page
    assert client.post(f"/inspections/inspections/{inspection.pk}/confirm/").status_code == 302
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.CONFIRMED


def test_the_publication_deadline_is_20_working_days_after_the_inspection(inspection, settings):
    """Inspected Tuesday 2024-03-05: 20 working days (Monday–Friday) later is Tuesday 2024-04-02."""
    assert inspection.inspected_on == dt.date(2024, 3, 5)
    assert services.publish_due(inspection) == dt.date(2024, 4, 2)
    settings.JINGPIN = {**settings.JINGPIN, "INSPECTION_PUBLISH_WORKING_DAYS": 5}
    assert services.publish_due(inspection) == dt.date(2024, 3, 12)


def test_an_overdue_publication_of_a_county_plan_is_flagged_to_the_city(
    client, inspection, city_admin, county_user, colleague, clock
):
    from inspections.models import Inspection

    assert services.overdue_publications(Inspection.objects.all(), dt.date(2024, 4, 2)) == []
    assert services.overdue_publications(Inspection.objects.all(), dt.date(2024, 4, 3)) == [inspection]
    assert services.overdue_publications(Inspection.objects.visible_to(colleague), dt.date(2024, 4, 3)) == []
    clock.move_to(at(2024, 4, 3, 9))
    client.force_login(city_admin)
    page = client.get("/").content.decode()
    assert 'data-testid="overdue-publications"' in page and inspection.project.name in page
    assert "2024-04-02" in page
    services.confirm_inspection(inspection, user=county_user)
    assert services.overdue_publications(Inspection.objects.all(), dt.date(2024, 4, 3)) == []
