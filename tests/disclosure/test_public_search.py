"""The public search (no login) finds published projects by name, county and unit, and nothing unpublished."""

import pytest
from django.urls import reverse

from tests.disclosure.factories import disclosed_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects(county, county_user, other_county, colleague):
    disclosed_project(county, county_user, name="滨河花园3号楼")
    disclosed_project(other_county, colleague, name="阳城县人民医院门诊楼")
    disclosed_project(county, county_user, name="尚未公示的学校", publish=False)


def _names(client, **params):
    response = client.get(reverse("disclosure:public-search"), params)
    assert response.status_code == 200
    return sorted(r.name for r in response.context["records"])


def test_search_by_name(client, projects):
    assert _names(client, q="医院") == ["阳城县人民医院门诊楼"]


def test_search_by_county(client, projects, county):
    assert _names(client, county=county.pk) == ["滨河花园3号楼"]


def test_search_by_unit(client, projects):
    assert _names(client, unit="城投") == ["滨河花园3号楼", "阳城县人民医院门诊楼"]
    assert _names(client, unit="阳城县城投") == ["阳城县人民医院门诊楼"]


def test_unpublished_projects_never_appear(client, projects):
    assert "尚未公示的学校" not in _names(client)
    assert "尚未公示的学校" not in _names(client, q="学校")


def test_a_bad_county_is_a_clean_page_not_an_error(client, projects):
    response = client.get(reverse("disclosure:public-search"), {"county": "abc"})
    assert response.status_code == 200
