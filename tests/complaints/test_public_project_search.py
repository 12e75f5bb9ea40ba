"""The complaint form's project search (no login): published projects only, the public id and the name with the
county, nothing private; the form page holds only the chosen project; rate-limited per IP with a Chinese 429."""

import pytest
from django.urls import reverse

from disclosure.models import ProjectDisclosure
from tests.disclosure.factories import disclosed_project

pytestmark = pytest.mark.django_db
URL = "/complaints/projects/"


def test_only_published_projects_are_found_by_name_code_or_county(client, county, county_user):
    shown = disclosed_project(county, county_user, name="滨河花园3号楼")
    hidden = disclosed_project(county, county_user, publish=False, name="滨河花园5号楼")
    public_id = ProjectDisclosure.objects.get(project=shown).public_id
    assert reverse("complaints:public-projects") == URL

    body = client.get(URL, {"q": "滨河"}).json()  # anonymous
    assert body == {"results": [{"id": public_id, "text": f"滨河花园3号楼（{county.name}）"}], "more": False}
    assert client.get(URL, {"q": shown.code}).json()["results"][0]["id"] == public_id
    assert client.get(URL, {"q": county.name}).json()["results"][0]["id"] == public_id
    assert client.get(URL, {"q": "5号楼"}).json()["results"] == []  # the unpublished one is never found
    text = client.get(URL, {"q": ""}).content.decode()
    assert hidden.name not in text and str(shown.pk) not in [r["id"] for r in client.get(URL).json()["results"]]
    for private in ("13800001111", "内部备注", "98765"):
        assert private not in text


def test_the_form_page_holds_only_the_chosen_project(client, county, county_user):
    projects = [disclosed_project(county, county_user, name=f"公示项目{i:02d}") for i in range(30)]
    chosen = ProjectDisclosure.objects.get(project=projects[7]).public_id
    page = client.get(reverse("complaints:public-new"), {"project": chosen}).content.decode()
    assert f'data-autocomplete-url="{URL}"' in page
    select = page[page.index('<select name="project"') :]
    select = select[: select.index("</select>")]
    assert select.count("<option") == 2  # the empty choice and the chosen project, never the 30
    assert f'value="{chosen}" selected' in select and "公示项目07" in select


def test_the_search_is_rate_limited_per_ip(client, settings, county, county_user):
    settings.JINGPIN = {**settings.JINGPIN, "COMPLAINT_SEARCH_PER_IP_PER_HOUR": 3}
    disclosed_project(county, county_user)
    for _ in range(3):
        assert client.get(URL, {"q": "滨河"}).status_code == 200
    response = client.get(URL, {"q": "滨河"})
    assert response.status_code == 429 and response["Retry-After"] == "3600"
    assert response.json()["detail"] == "搜索过于频繁，请一小时后再试。"
