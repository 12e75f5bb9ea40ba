"""Inputs that used to answer 500: each is now a 400 (or 404) with a Chinese message, and nothing changes."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.db import DataError

from assessment.models import RubricItem
from core.api.exceptions import exception_handler
from tests.assessment.factories import filled_submission, target
from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _targets(county):
    target(county)


@pytest.mark.parametrize("value", ["1e309", "1e50", "-1e309", "NaN", "Infinity", "1e10"])
@pytest.mark.parametrize("field", ["new_building_area", "self_score"])
def test_huge_decimals_are_refused_on_the_api_and_nothing_changes(county, county_user, field, value):
    sub = filled_submission(county, county_user)
    before = getattr(sub, field)
    response = api_client_for(county_user).patch(
        f"/api/v1/assessment/submissions/{sub.pk}/", {field: value}, format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    sub.refresh_from_db()
    assert getattr(sub, field) == before


def test_huge_decimals_in_the_web_preview_are_ignored_not_a_500(client, county, county_user):
    sub = filled_submission(county, county_user)
    client.force_login(county_user)
    response = client.post(
        f"/assessment/submissions/{sub.pk}/preview/", {"new_building_area": "1e309", "self_score": "1e50"}
    )
    assert response.status_code == 200


@pytest.mark.parametrize("year", ["0", "99999999999", "-5", "abc", "2023.5"])
@pytest.mark.parametrize("url", ["savings-bonuses", "design-bonuses", "award-records", "points-ledger"])
def test_years_out_of_range_are_a_400_in_chinese(city_admin, url, year):
    response = api_client_for(city_admin).get(f"/api/v1/{url}/?year={year}")
    assert response.status_code == 400
    assert "年度" in response.json()["year"][0]


def test_a_year_in_range_still_filters(county, city_admin):
    import datetime as dt

    from awards import services as awards
    from tests.awards.factories import awardable_project
    from tests.projects_factories import ParticipantFactory

    confirmed = {}
    for year in (2022, 2023, 2023, 2024):
        project = awardable_project(county)
        ParticipantFactory(project=project, role="supervisor")
        bonus = awards.confirm_savings_bonus(
            project,
            user=city_admin,
            proposer_kind="supervisor",
            measure=f"{year}年工艺",
            amount_saved=D("1000"),
            confirmed_on=dt.date(year, 6, 1),
        )
        confirmed.setdefault(year, set()).add(bonus.pk)

    response = api_client_for(city_admin).get("/api/v1/savings-bonuses/?year=2023")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert {row["id"] for row in rows} == confirmed[2023]
    assert {row["confirmed_on"][:4] for row in rows} == {"2023"}


@pytest.mark.parametrize("pk", ["abc", "null,null", "1.5", "-1"])
def test_non_integer_ids_are_404(city_admin, pk):
    assert api_client_for(city_admin).get(f"/api/v1/points-ledger/{pk}/").status_code == 404
    assert api_client_for(city_admin).get(f"/api/v1/projects/{pk}/").status_code == 404


def test_huge_ids_are_404(city_admin):
    assert api_client_for(city_admin).get("/api/v1/projects/99999999999999999999/").status_code == 404


def test_the_notifications_export_is_a_real_workbook(county_user):
    from io import BytesIO

    from openpyxl import load_workbook

    from notifications.models import Notification

    Notification.objects.create(recipient=county_user, event_key="k", title="通知标题", body="内容")
    response = api_client_for(county_user).get("/api/v1/notifications/export/")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == ["时间", "标题", "内容", "链接", "已读时间"]
    assert sheet["B2"].value == "通知标题"


@pytest.mark.parametrize(
    "value", ["2023-01-01T00:00:00+18:36", "9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00", "not-a-date"]
)
def test_impossible_timestamps_are_a_400(county_user, value):
    response = api_client_for(county_user).get("/api/v1/notifications/", {"read_at": value})
    assert response.status_code == 400 and "read_at" in response.json()


def test_unread_notifications_filter(county_user):
    from django.utils import timezone

    from notifications.models import Notification

    Notification.objects.create(recipient=county_user, event_key="a", title="未读")
    Notification.objects.create(recipient=county_user, event_key="b", title="已读", read_at=timezone.now())
    rows = api_client_for(county_user).get("/api/v1/notifications/?unread=true").json()["results"]
    assert [r["title"] for r in rows] == ["未读"]


@pytest.mark.parametrize(
    ("params", "fmt"),
    [
        ("null", "multipart"),
        (None, "json"),
        ("abc", "json"),
        ({"numerator": 5}, "json"),
        ({"facts": "x"}, "json"),
        ({"count": "innovation_projects", "min": 0}, "json"),
        ({"target_value": "1e309", "numerator": "prefab_area"}, "json"),
        ({"numerator": "prefab_area", "target_key": "prefab_ratio", "evil": 1}, "json"),
    ],
)
def test_rubric_item_params_must_match_their_rule(city_admin, county, params, fmt):
    from assessment.models import Rubric

    item = RubricItem.objects.filter(rubric=Rubric.objects.current(2023)).order_by("order").first()
    before = (item.kind, item.params)
    data = {"content": item.content, "standard": item.standard, "max_points": str(item.max_points)}
    data.update(kind=item.kind, params=params)
    response = api_client_for(city_admin).put(f"/api/v1/assessment/rubric-items/{item.pk}/", data, format=fmt)
    assert response.status_code == 400, response.content
    assert "params" in response.json()
    item.refresh_from_db()
    assert (item.kind, item.params) == before


def test_the_handler_turns_stray_bad_input_errors_into_a_chinese_400():
    for error in (DataError("value too long"), ValueError("x"), OverflowError("y")):
        response = exception_handler(error, {"view": None})
        assert response.status_code == 400
        assert response.data["non_field_errors"][0] == "输入的数据无效或超出范围，请检查后重试。"


def test_decimal_digits_bound_is_the_model_fields():
    from core.decimals import fits_digits

    assert fits_digits(D("9999.99"), 6, 2) and not fits_digits(D("10000"), 6, 2)
    assert not fits_digits(D("1e309"), 6, 2) and not fits_digits(D("NaN"), 6, 2)
