"""Each role's 驾驶舱 shows only its panels: the bureau's overviews (组织概况, 培育比例, coverage …) are not shown to
experts and units, who see their own work."""

import pytest

from core.registry import panels_for
from tests.factories import EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db


def _keys(user):
    return {p.key for p in panels_for(user)}


def test_panels_per_role(county):
    city = UserFactory(role="city_admin", username="city")
    staff = UserFactory(role="county_staff", region=county, username="staff")
    expert = UserFactory(role="expert", username="expert")
    unit = UserFactory(role="unit_user", enterprise=EnterpriseFactory(), username="unit")
    assert {"organisation", "cultivation-ratio", "assessment-city", "complaints"} <= _keys(city)
    assert {"organisation", "cultivation-ratio", "assessment-county"} <= _keys(staff)
    assert "assessment-city" not in _keys(staff) and "assessment-county" not in _keys(city)
    assert _keys(expert) == {"todos", "evaluation"}
    assert _keys(unit) == {"todos", "projects-summary", "awards-ledger"}


@pytest.mark.parametrize("role", ["expert", "unit_user"])
def test_the_expert_and_unit_dashboards_have_no_organisation_overview(client, role):
    extra = {"enterprise": EnterpriseFactory()} if role == "unit_user" else {}
    client.force_login(UserFactory(role=role, username=role, **extra))
    html = client.get("/").content.decode()
    assert "驾驶舱" in html and "组织概况" not in html and 'data-testid="county-count"' not in html


def test_the_bureau_keeps_its_organisation_overview(client, county):
    client.force_login(UserFactory(role="county_staff", region=county, username="staff"))
    html = client.get("/").content.decode()
    assert "组织概况" in html and 'data-testid="county-count"' in html
