"""Rubric versions on the 年度设定 page (a published version makes the next one; open months move only by the
explicit, audited 改用 step) and the targets API going through years.save_targets (audit, re-score, checks)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from assessment import services
from assessment.models import AuditEntry, Rubric
from tests.assessment.factories import submitted, target
from tests.conftest import api_client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_and_open(county, county_user, city_admin):
    target(county)
    published = services.publish(
        services.approve(submitted(county, county_user, month=5), user=city_admin), user=city_admin
    )
    return published, submitted(county, county_user, month=6)


def test_the_year_page_saves_maxima_of_a_published_version_as_the_next_and_adopts_it_with_a_reason(
    client, city_admin, published_and_open
):
    published, open_month = published_and_open
    v1 = Rubric.objects.get(year=2023)
    client.force_login(city_admin)
    response = client.post(
        "/assessment/years/", {"year": "2023", "action": "rubric", "item-B6": "3", "item-B5": "2", "note": "加权"}
    )
    assert response.status_code == 302
    v2 = Rubric.objects.current(2023)
    assert (v2.version, v2.based_on) == (2, v1) and v1.items.get(code="B6").max_points == D("2")
    open_month.refresh_from_db()
    assert open_month.rubric == v1  # not moved by the change

    page = client.get("/assessment/years/?year=2023").content.decode()
    assert 'data-testid="adopt-version"' in page and "未锁定月份改用第2版" in page
    refused = client.post("/assessment/years/", {"year": "2023", "action": "adopt", "reason": " "})
    assert refused.status_code == 400 and "改用新版赋分表须填写理由" in refused.content.decode()
    open_month.refresh_from_db()
    assert open_month.rubric == v1

    assert (
        client.post("/assessment/years/", {"year": "2023", "action": "adopt", "reason": "按第2版"}).status_code == 302
    )
    open_month.refresh_from_db()
    published.refresh_from_db()
    assert open_month.rubric == v2 and published.rubric == v1
    assert open_month.item_scores.get(item__code="B6").item.rubric == v2
    assert open_month.audit.filter(field="赋分表版本", new_value="第2版", reason="按第2版", actor=city_admin).exists()
    assert 'data-testid="adopt-version"' not in client.get("/assessment/years/?year=2023").content.decode()


def test_a_target_changed_through_the_api_is_audited_and_rescores_the_open_months(
    county, county_user, city_admin, published_and_open
):
    _, open_month = published_and_open
    t = county.assessment_targets.get(year=2023)
    before = open_month.score
    response = api_client_for(city_admin).patch(
        f"/api/v1/assessment/targets/{t.pk}/", {"retrofit_residential_area": "3.5"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["retrofit_residential_area"] == "3.50"
    entry = AuditEntry.objects.get(kind="figure", county=county, field="2023年目标 既有居住建筑节能改造（万m²）")
    assert (entry.old_value, entry.new_value, entry.actor) == ("7.00", "3.50", city_admin)
    open_month.refresh_from_db()
    assert open_month.score > before  # 3.5 of 3.5 万m² now: the ratio item is full


def test_the_year_end_target_score_through_the_api_is_checked_and_audited(county, city_admin):
    t = target(county)
    client = api_client_for(city_admin)
    response = client.patch(f"/api/v1/assessment/targets/{t.pk}/", {"final_target_score": "120"}, format="json")
    assert response.status_code == 400
    assert "全年目标任务得分应为0至100之间的数字" in response.json()["final_target_score"][0]
    t.refresh_from_db()
    assert t.final_target_score is None
    response = client.patch(f"/api/v1/assessment/targets/{t.pk}/", {"final_target_score": "88.40"}, format="json")
    assert response.status_code == 200
    t.refresh_from_db()
    assert t.final_target_score == D("88.40")
    assert AuditEntry.objects.filter(county=county, field__contains="全年目标任务得分", new_value="88.40").exists()


def test_a_target_can_be_created_once_per_county_and_year_through_the_api(county, city_admin):
    target(county)
    t = county.assessment_targets.get(year=2023)
    t.delete()
    payload = {
        "county": county.pk,
        "year": 2023,
        "retrofit_residential_area": "7",
        "retrofit_public_area": "3",
        "prefab_ratio": "",
        "green_ratio": "80",
        "innovation_projects": 1,
        "sci_tech_registrations": 1,
    }
    client = api_client_for(city_admin)
    response = client.post("/api/v1/assessment/targets/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["effective_prefab_ratio"] == "24.00"
    again = client.post("/api/v1/assessment/targets/", payload, format="json")
    assert again.status_code == 400 and "已有目标任务" in again.json()["county"][0]


def test_the_admin_shows_rubrics_and_targets_but_changes_neither(client, county):
    t = target(county)
    rubric = Rubric.objects.get(year=2023)
    admin = UserFactory(role="city_admin", username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get(f"/admin/assessment/rubric/{rubric.pk}/change/")
    assert page.status_code == 200 and 'name="items-0-max_points"' not in page.content.decode()
    before = list(rubric.items.values_list("pk", "max_points"))
    client.post(f"/admin/assessment/rubric/{rubric.pk}/change/", {"items-0-max_points": "25"})
    assert list(rubric.items.values_list("pk", "max_points")) == before
    response = client.post(f"/admin/assessment/annualtarget/{t.pk}/change/", {"retrofit_residential_area": "-5"})
    assert response.status_code == 403
    assert client.get("/admin/assessment/annualtarget/add/").status_code == 403
    t.refresh_from_db()
    assert t.retrofit_residential_area == D("7")
