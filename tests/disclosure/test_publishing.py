"""The county decides when a project's public page is published; nobody else's county, nobody anonymous."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from disclosure import services
from disclosure.models import ProjectDisclosure
from tests.disclosure.factories import disclosed_project

pytestmark = pytest.mark.django_db


def _public(client, project):
    disclosure = ProjectDisclosure.objects.get(project=project)
    return client.get(reverse("disclosure:public-project", args=[disclosure.public_id]))


def test_unpublished_page_is_not_found(client, county, county_user):
    project = disclosed_project(county, county_user, publish=False)
    services.disclosure_for(project)
    assert _public(client, project).status_code == 404


def test_county_publishes_through_the_web_and_the_page_appears(client, county, county_user):
    project = disclosed_project(county, county_user, publish=False)
    client.force_login(county_user)
    response = client.post(
        reverse("disclosure:publish", args=[project.pk]), {"action": "publish", "location": "高平市北城街1号"}
    )
    assert response.status_code == 302
    client.logout()
    page = _public(client, project)
    assert page.status_code == 200
    assert "高平市北城街1号" in page.content.decode()


def test_another_county_cannot_publish(client, county, county_user, colleague):
    project = disclosed_project(county, county_user, publish=False)
    client.force_login(colleague)
    response = client.post(reverse("disclosure:publish", args=[project.pk]), {"action": "publish", "location": "x"})
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        services.publish(project, user=colleague, location="x")
    assert not ProjectDisclosure.objects.filter(project=project, published=True).exists()


def test_anonymous_cannot_publish(client, county, county_user):
    project = disclosed_project(county, county_user, publish=False)
    response = client.post(reverse("disclosure:publish", args=[project.pk]), {"action": "publish", "location": "x"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not ProjectDisclosure.objects.filter(project=project, published=True).exists()


def test_location_is_required_to_publish(county, county_user):
    project = disclosed_project(county, county_user, publish=False)
    with pytest.raises(ValidationError):
        services.publish(project, user=county_user, location="  ")
    assert not ProjectDisclosure.objects.filter(project=project, published=True).exists()


def test_withdraw_replaces_the_page_and_republishing_keeps_the_same_public_id(client, county, county_user, city_admin):
    project = disclosed_project(county, county_user)
    public_id = ProjectDisclosure.objects.get(project=project).public_id
    services.withdraw(project, user=county_user, reason="公示信息有误，核实后重新公示")
    page = _public(client, project).content.decode()
    assert "已撤销公示" in page and "赵总监" not in page
    services.publish(project, user=city_admin)
    assert ProjectDisclosure.objects.get(project=project).public_id == public_id
    assert _public(client, project).status_code == 200


def test_manage_list_shows_only_the_own_county(client, county, county_user, other_county, colleague):
    disclosed_project(county, county_user, name="本县公示项目")
    disclosed_project(other_county, colleague, name="外县公示项目")
    client.force_login(county_user)
    html = client.get(reverse("disclosure:manage-list")).content.decode()
    assert "本县公示项目" in html and "外县公示项目" not in html


def test_manage_list_exports_the_publication_state(client, county, county_user):
    from io import BytesIO

    from openpyxl import load_workbook

    disclosed_project(county, county_user, name="已公示的项目")
    client.force_login(county_user)
    response = client.get(reverse("disclosure:manage-list"), {"export": "xlsx"})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("项目编号", "项目名称", "县（市、区）", "已公示")
    assert rows[1][1:4] == ("已公示的项目", "高平市", "是")


def test_manage_list_filters_by_publication_state(client, county, county_user):
    disclosed_project(county, county_user, name="已公示的项目")
    disclosed_project(county, county_user, name="未公示的项目", publish=False)
    client.force_login(county_user)
    for value, names in (("yes", ["已公示的项目"]), ("no", ["未公示的项目"]), ("", ["已公示的项目", "未公示的项目"])):
        page = client.get(reverse("disclosure:manage-list"), {"published": value})
        assert sorted(d.project.name for d in page.context["object_list"]) == sorted(names)
    assert client.get("/api/v1/disclosures/", {"published": "bad"}).status_code == 400
