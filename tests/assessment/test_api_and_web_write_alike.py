"""The API writes annual targets and rubric maxima through the same service as the 年度设定 page (issue 28,
part 2): the same valid change gives the same rows, the same audit entries and the same re-scored open months,
whichever path made it. Each path runs from the same starting state (a savepoint rolled back after it)."""

from __future__ import annotations

import pytest
from django.db import transaction

from assessment import services
from assessment.models import AnnualTarget, AuditEntry, Rubric, RubricItem, Submission
from tests.assessment.factories import submitted, target
from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db

AUDIT_FIELDS = ("kind", "field", "old_value", "new_value", "reason", "county_id", "year", "month", "actor_id")


@pytest.fixture
def open_month(county, county_user, city_admin):
    target(county)
    services.publish(services.approve(submitted(county, county_user, month=5), user=city_admin), user=city_admin)
    return submitted(county, county_user, month=6)


def outcome(do) -> tuple[int, dict]:
    """Run ``do`` (one request), read what it changed, then roll it back."""
    last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with transaction.atomic():
        status = do().status_code
        result = {
            "targets": list(
                AnnualTarget.objects.order_by("county_id", "year").values_list(
                    "county_id", "year", "retrofit_residential_area", "green_ratio", "innovation_projects"
                )
            ),
            "rubrics": list(
                RubricItem.objects.order_by("rubric__year", "rubric__version", "code").values_list(
                    "rubric__year", "rubric__version", "code", "max_points"
                )
            ),
            "months": list(Submission.objects.order_by("pk").values_list("pk", "rubric__version", "score", "status")),
            "audit": sorted(AuditEntry.objects.filter(pk__gt=last).values_list(*AUDIT_FIELDS)),
        }
        transaction.set_rollback(True)
    return status, result


def test_a_target_changed_on_the_page_and_through_the_api_gives_the_same_rows_audit_and_scores(
    client, county, city_admin, open_month
):
    t = AnnualTarget.objects.get(county=county, year=2023)
    row = {
        "retrofit_residential_area": "3.5",
        "retrofit_public_area": str(t.retrofit_public_area),
        "prefab_ratio": "" if t.prefab_ratio is None else str(t.prefab_ratio),
        "green_ratio": "90",
        "innovation_projects": "2",
        "sci_tech_registrations": str(t.sci_tech_registrations),
    }
    client.force_login(city_admin)
    page = {"year": "2023", "action": "targets", **{f"t-{county.pk}-{f}": v for f, v in row.items()}}
    before = outcome(lambda: client.get("/assessment/years/?year=2023"))[1]

    web_status, web = outcome(lambda: client.post("/assessment/years/", page))
    api_status, api = outcome(
        lambda: api_client_for(city_admin).patch(
            f"/api/v1/assessment/targets/{t.pk}/",
            {"retrofit_residential_area": "3.5", "green_ratio": "90", "innovation_projects": 2},
            format="json",
        )
    )

    assert (web_status, api_status) == (302, 200)
    assert web == api
    assert web["targets"] != before["targets"] and web["months"] != before["months"]  # changed and re-scored
    fields = {entry[1] for entry in web["audit"] if entry[0] == AuditEntry.Kind.FIGURE}
    assert {"2023年目标 既有居住建筑节能改造（万m²）", "2023年目标 绿色建筑比例（%）"} <= fields


def test_rubric_maxima_changed_on_the_page_and_through_the_api_give_the_same_version_and_audit(
    client, city_admin, open_month
):
    rubric = Rubric.objects.current(2023)
    client.force_login(city_admin)
    before = outcome(lambda: client.get("/assessment/years/?year=2023"))[1]

    web_status, web = outcome(
        lambda: client.post(
            "/assessment/years/", {"year": "2023", "action": "rubric", "item-B6": "3", "item-B5": "2", "note": "加权"}
        )
    )
    api_status, api = outcome(
        lambda: api_client_for(city_admin).post(
            f"/api/v1/assessment/rubrics/{rubric.pk}/maxima/",
            {"items": {"B6": "3", "B5": "2"}, "note": "加权"},
            format="json",
        )
    )

    assert (web_status, api_status) == (302, 201)  # a published month uses version 1: version 2 takes the change
    assert web == api
    assert web["rubrics"] != before["rubrics"] and web["months"] == before["months"]  # open months stay put
    assert any(entry[1] == "B6 满分" and entry[4] == "加权" for entry in web["audit"])


def test_a_bad_target_through_the_api_is_refused_with_the_pages_message_and_changes_nothing(
    county, city_admin, open_month
):
    t = AnnualTarget.objects.get(county=county, year=2023)
    before = outcome(lambda: api_client_for(city_admin).get(f"/api/v1/assessment/targets/{t.pk}/"))[1]
    status, after = outcome(
        lambda: api_client_for(city_admin).patch(
            f"/api/v1/assessment/targets/{t.pk}/", {"green_ratio": "120"}, format="json"
        )
    )
    assert status == 400
    assert after == before
    response = api_client_for(city_admin).patch(
        f"/api/v1/assessment/targets/{t.pk}/", {"green_ratio": "120"}, format="json"
    )
    assert response.json() == {
        "green_ratio": [f"{county.name}：绿色建筑比例（%）应为0至100之间的数字（最多两位小数）。"]
    }
