"""The public projects API (no login, whitelist only, constant queries) and the staff's publishing API."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosure.models import ProjectDisclosure
from tests.conftest import api_client_for
from tests.disclosure.factories import disclosed_project

pytestmark = pytest.mark.django_db
PUBLIC = "/api/v1/public/projects/"


def test_the_public_api_needs_no_login_and_shows_only_public_fields(api, county, county_user):
    project = disclosed_project(county, county_user)
    public_id = ProjectDisclosure.objects.get(project=project).public_id
    listing = api.get(PUBLIC)
    assert listing.status_code == 200 and listing.json()["count"] == 1
    detail = api.get(f"{PUBLIC}{public_id}/").json()
    assert detail["name"] == project.name and detail["units"][0]["name"] == "高平市城投建设有限公司"
    text = str(detail)
    for secret in ("PICC-SECRET-0001", "13800001111", "甲方资金紧张", "98765", "法人甲"):
        assert secret not in text
    assert "id" not in detail and "project" not in detail


def test_unpublished_projects_are_404_on_the_public_api(api, county, county_user):
    project = disclosed_project(county, county_user, publish=False)
    public_id = ProjectDisclosure.objects.get(project=project).public_id
    assert api.get(f"{PUBLIC}{public_id}/").status_code == 404
    assert api.get(PUBLIC).json()["count"] == 0


def test_public_list_queries_do_not_grow_with_rows(api, county, county_user):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(PUBLIC).status_code == 200
        return len(ctx.captured_queries)

    disclosed_project(county, county_user, name="项目一")
    one = count()
    for i in range(4):
        disclosed_project(county, county_user, name=f"项目{i + 2}")
    assert count() == one


def test_staff_publish_through_the_api_in_their_scope(county, county_user, colleague):
    project = disclosed_project(county, county_user, publish=False)
    disclosure = ProjectDisclosure.objects.get(project=project)
    url = f"/api/v1/disclosures/{disclosure.pk}/publish/"
    assert api_client_for(colleague).post(url, {"location": "x"}, format="json").status_code == 404
    response = api_client_for(county_user).post(url, {"location": "高平市北城街1号"}, format="json")
    assert response.status_code == 200 and response.json()["published"] is True
    withdraw_url = f"/api/v1/disclosures/{disclosure.pk}/withdraw/"
    refused = api_client_for(county_user).post(withdraw_url, format="json")
    assert refused.status_code == 400 and "撤销公示须填写原因" in str(refused.json())
    withdrawn = api_client_for(county_user).post(withdraw_url, {"reason": "项目名称变更，重新公示"}, format="json")
    assert withdrawn.json()["published"] is False
    assert withdrawn.json()["withdrawal_reason"] == "项目名称变更，重新公示"


def test_every_new_project_has_an_unpublished_disclosure(county):
    from tests.projects_factories import ProjectFactory

    project = ProjectFactory(county=county)
    disclosure = ProjectDisclosure.objects.get(project=project)
    assert not disclosure.published and len(disclosure.public_id) >= 16
