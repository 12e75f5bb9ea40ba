"""The pilots' dashboard panel: the city against its ≥ 10 and the counties short of a quota, a county its own quota
and the pilots awaiting its periodic check; bounded queries.

Seed 003 二(二)1: “选取不少于10个项目开展绿色建造试点工作”; 四(一): “各辖市、区和常州经开区必须确定1个以上房地产开发项目、
1个以上政府投资的公建项目作为绿色建造试点项目”; 五(四): “定期检查、定期评估、定期通报”."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from pilots.choices import PilotStatus, PilotType
from pilots.dashboard import pilots_panel, quarter_start
from pilots.models import Pilot, PilotCheck
from tests.factories import EnterpriseFactory
from tests.projects_factories import ProjectFactory

pytestmark = pytest.mark.django_db


def pilot(county, pilot_type, status, **kw):
    project = ProjectFactory(county=county, **kw)
    return Pilot.objects.create(project=project, builder=EnterpriseFactory(), pilot_type=pilot_type, status=status)


def panel(user):
    request = RequestFactory().get("/")
    request.user = user
    return pilots_panel.uncached(request)


@pytest.fixture
def programme(county, other_county):
    """高平市: one of each type established, one more under way; 阳城县: one 房地产 established, one public applying."""
    return [
        pilot(county, PilotType.REAL_ESTATE, PilotStatus.IMPLEMENTING),
        pilot(county, PilotType.PUBLIC, PilotStatus.APPROVED),
        pilot(county, PilotType.PUBLIC, PilotStatus.ACCEPTED),
        pilot(other_county, PilotType.REAL_ESTATE, PilotStatus.ACCEPTANCE),
        pilot(other_county, PilotType.PUBLIC, PilotStatus.REVIEWING),
    ]


def test_the_city_sees_its_minimum_of_ten_and_the_counties_short(city_admin, programme, clock):
    ctx = panel(city_admin)
    assert (ctx["established"], ctx["minimum"], ctx["city_met"], ctx["applying"]) == (4, 10, False, 1)
    assert [(c.county_name, c.missing) for c in ctx["counties_unmet"]] == [("阳城县", ["政府投资公建项目"])]


def test_a_county_sees_its_quota_and_the_pilots_awaiting_its_check(county_user, county, programme, clock):
    under_way, approved, accepted = programme[:3]
    today = timezone.localdate()
    PilotCheck.objects.create(pilot=approved, checked_on=today, items=[])  # checked this quarter
    PilotCheck.objects.create(pilot=under_way, checked_on=quarter_start(today) - dt.timedelta(days=1), items=[])
    ctx = panel(county_user)
    assert (ctx["county"].real_estate, ctx["county"].public, ctx["county"].missing) == (1, 2, [])
    assert [p["pk"] for p in ctx["awaiting_check"]] == [under_way.pk] and ctx["awaiting_count"] == 1  # own county


def test_the_panel_is_shown_on_the_dashboard(client, county_user, programme, clock):
    client.force_login(county_user)
    page = client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="pilots-panel"' in page and "待定期检查的试点" in page


def test_units_get_no_panel(outsider):
    assert panel(outsider) is None


def test_the_query_count_does_not_grow_with_the_pilots(
    city_admin, county, other_county, django_assert_max_num_queries, clock
):
    for i in range(12):
        pilot(county if i % 2 else other_county, PilotType.REAL_ESTATE, PilotStatus.IMPLEMENTING)
    with django_assert_max_num_queries(4):
        ctx = panel(city_admin)
    assert ctx["established"] == 12 and ctx["city_met"] and ctx["awaiting_count"] == 12


def test_quarters():
    assert quarter_start(dt.date(2024, 6, 17)) == dt.date(2024, 4, 1)
    assert quarter_start(dt.date(2024, 1, 1)) == dt.date(2024, 1, 1)
    assert quarter_start(dt.date(2024, 12, 31)) == dt.date(2024, 10, 1)
