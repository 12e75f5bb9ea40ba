"""Regions are written through one service (accounts.services.save_region) on every path — API and Django admin:
the city admin only, the tree (code, level, parent) fixed once a region exists, every change audited, and a change of
the 装配式 target ratio re-scores the open months of the counties that read it (issue 22, "check every writable
endpoint": the regions API used to save through the plain serializer, silently changing open months' targets).
Runs on the demo at DEMO_NOW (2023 published, 2024 open)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from accounts.models import Region, SecurityEvent
from assessment import services as assessment
from assessment.models import AnnualTarget, Submission
from tests.conftest import api_client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

YEAR = 2024


def _county(name="城区"):
    return Region.objects.get(level="county", name=name)


def _open(county):
    return Submission.objects.filter(county=county, year=YEAR).exclude(status__in=("approved", "published"))


def _reads_region_ratio(county):
    """Let the county's 2024 target read the region's ratio (no ratio of its own), scored accordingly."""
    AnnualTarget.objects.filter(county=county, year=YEAR).update(prefab_ratio=None)
    assessment.recalculate_open(county.pk, YEAR)


def test_a_ratio_change_through_the_api_is_audited_and_rescores_the_open_months(demo_data):
    city = UserFactory(role="city_admin", username="region-city")
    county = _county()
    _reads_region_ratio(county)
    months = list(_open(county))
    assert months, "the demo has open 2024 months for 城区"
    published = {s.pk: s.score for s in Submission.objects.filter(county=county, year=YEAR, status="published")}
    response = api_client_for(city).patch(
        f"/api/v1/regions/{county.pk}/", {"prefab_target_ratio": "100.00"}, format="json"
    )
    assert response.status_code == 200, response.json()
    county.refresh_from_db()
    assert county.effective_prefab_target() == D("100.00")
    for sub in _open(county):
        # The stored month is what the engine gives with the new ratio (re-scored, not left stale).
        assert sub.items_total == assessment.compute(sub).total
    # Published months keep their score.
    for sub in Submission.objects.filter(pk__in=published):
        assert sub.score == published[sub.pk]
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.REGION_UPDATED)
    assert event.actor == city and event.channel == "api" and "prefab_target_ratio" in event.detail


def test_before_the_fix_the_open_months_went_stale(demo_data):
    """The failure this guards against: the ratio changed, the stored month still held the old computation."""
    city = UserFactory(role="city_admin", username="region-city-2")
    county = _county()
    _reads_region_ratio(county)
    before = {s.pk: s.items_total for s in _open(county)}
    api_client_for(city).patch(f"/api/v1/regions/{county.pk}/", {"prefab_target_ratio": "100.00"}, format="json")
    after = {s.pk: s.items_total for s in _open(county)}
    fresh = {s.pk: assessment.compute(s).total for s in _open(county)}
    assert after == fresh
    assert any(before[pk] != fresh[pk] for pk in fresh), "a 100 % target must change some open month's score"


@pytest.mark.parametrize(
    "field,value",
    [("code", "999999"), ("level", "city"), ("parent", None)],
)
def test_the_tree_is_fixed_once_a_region_exists(demo_data, field, value):
    city = UserFactory(role="city_admin", username=f"region-tree-{field}")
    county = _county()
    before = Region.objects.filter(pk=county.pk).values().get()
    response = api_client_for(city).patch(f"/api/v1/regions/{county.pk}/", {field: value}, format="json")
    assert response.status_code == 400
    assert "区域建立后不能修改代码、级别或上级区域" in str(response.json())
    assert Region.objects.filter(pk=county.pk).values().get() == before


def test_a_ratio_outside_0_to_100_is_refused(demo_data):
    city = UserFactory(role="city_admin", username="region-ratio")
    county = _county()
    response = api_client_for(city).patch(
        f"/api/v1/regions/{county.pk}/", {"prefab_target_ratio": "120.00"}, format="json"
    )
    assert response.status_code == 400
    county.refresh_from_db()
    assert county.prefab_target_ratio != D("120.00")


def test_county_staff_cannot_write_regions(demo_data):
    county = _county()
    staff = UserFactory(role="county_staff", region=county, username="region-staff")
    response = api_client_for(staff).patch(
        f"/api/v1/regions/{county.pk}/", {"prefab_target_ratio": "10.00"}, format="json"
    )
    assert response.status_code == 403
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.REGION_UPDATED).exists()


def test_the_admin_saves_through_the_same_service(demo_data, client):
    admin = UserFactory(
        role="city_admin", username="region-admin", is_staff=True, is_superuser=True, password="Jingpin@2026"
    )
    client.force_login(admin)
    county = _county()
    _reads_region_ratio(county)
    data = {
        "name": county.name,
        "code": county.code,
        "level": county.level,
        "parent": county.parent_id,
        "order": county.order,
        "prefab_target_ratio": "100.00",
    }
    response = client.post(f"/admin/accounts/region/{county.pk}/change/", data)
    assert response.status_code == 302
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.REGION_UPDATED)
    assert event.channel == "admin"
    assert all(s.items_total == assessment.compute(s).total for s in _open(county))
