"""One write path: the same invalid input is refused by the web form and by the API alike, with the same Chinese
message, and nothing changes (issue 22, point 6). Runs on the demo at DEMO_NOW (2023 published, 2024 open).

Each row: what is tried, the web request (URL + form data), the API request (method, URL, JSON) and the message
fragment both answers must carry."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal as D

import pytest
from django.contrib.messages import get_messages

from accounts.models import Enterprise, Region
from assessment import services
from assessment.models import Adjustment, AnnualTarget, AuditEntry, Rubric, RubricGroup, RubricItem, Submission
from awards.models import AwardValue
from projects.models import Project, StageChange
from tests.conftest import api_client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

YEAR = 2024


def _rubric():
    return Rubric.objects.current(YEAR)


def _group(name):
    return RubricGroup.objects.get(rubric=_rubric(), name=name)


def _item(code):
    return RubricItem.objects.get(rubric=_rubric(), code=code)


def _county(name="城区"):
    return Region.objects.get(level="county", name=name)


def _target(name="城区"):
    return AnnualTarget.objects.get(county=_county(name), year=YEAR)


def _target_row(name="城区", **changes) -> dict:
    """The 年度设定 page's targets form for one county, as the page posts it (current values, then ``changes``)."""
    target = _target(name)
    data = {"year": str(YEAR), "action": "targets"}
    for f in ("retrofit_residential_area", "retrofit_public_area", "prefab_ratio", "green_ratio"):
        value = getattr(target, f)
        data[f"t-{target.county_id}-{f}"] = "" if value is None else str(value)
    for f in ("innovation_projects", "sci_tech_registrations"):
        data[f"t-{target.county_id}-{f}"] = str(getattr(target, f))
    for f, value in changes.items():
        data[f"t-{target.county_id}-{f}"] = value
    return data


def _project():
    return Project.objects.filter(county__name="城区").order_by("pk").first()


def _award_value():
    return AwardValue.objects.order_by("-effective_from", "pk").first()


def _open_submission(name="城区"):
    return Submission.objects.filter(county=_county(name), year=YEAR).exclude(status__in=("approved", "published"))


@dataclass
class Row:
    name: str
    web_url: object  # () -> str
    web_data: object  # () -> dict
    api_method: str
    api_url: object  # () -> str
    api_json: object  # () -> dict
    message: str
    notes: list = field(default_factory=list)


ROWS = [
    Row(
        "one rubric item's maximum alone (the issue's 105-point rubric)",
        lambda: "/assessment/years/",
        lambda: {"year": str(YEAR), "action": "rubric", "item-D1": "25.00"},
        "patch",
        lambda: f"/api/v1/assessment/rubric-items/{_item('D1').pk}/",
        lambda: {"max_points": "25.00"},
        "各项满分合计25分，与分组分值20分不一致",
    ),
    Row(
        "group and item raised together: the rubric would total 105",
        lambda: "/assessment/years/",
        lambda: {
            "year": str(YEAR),
            "action": "rubric",
            f"group-{_group('装配式建筑').pk}": "25",
            "item-D1": "25",
        },
        "post",
        lambda: f"/api/v1/assessment/rubrics/{_rubric().pk}/maxima/",
        lambda: {"groups": {str(_group("装配式建筑").pk): "25"}, "items": {"D1": "25"}},
        "各分组分值合计105分，应为100分",
    ),
    Row(
        "a maximum that is not a number",
        lambda: "/assessment/years/",
        lambda: {"year": str(YEAR), "action": "rubric", "item-A2": "很多"},
        "post",
        lambda: f"/api/v1/assessment/rubrics/{_rubric().pk}/maxima/",
        lambda: {"items": {"A2": "很多"}},
        "A2满分应为0至100之间的数字",
    ),
    Row(
        "open months moved onto a version without a reason",
        lambda: "/assessment/years/",
        lambda: {"year": str(YEAR), "action": "adopt", "reason": ""},
        "post",
        lambda: f"/api/v1/assessment/rubrics/{_rubric().pk}/adopt/",
        lambda: {"reason": ""},
        "改用新版赋分表须填写理由",
    ),
    Row(
        "a negative residential retrofit target",
        lambda: "/assessment/years/",
        lambda: _target_row(retrofit_residential_area="-1"),
        "patch",
        lambda: f"/api/v1/assessment/targets/{_target().pk}/",
        lambda: {"retrofit_residential_area": "-1"},
        "城区：既有居住建筑节能改造（万m²）应为不小于0的数字",
    ),
    Row(
        "a green-building ratio above 100%",
        lambda: "/assessment/years/",
        lambda: _target_row(green_ratio="120"),
        "put",
        lambda: f"/api/v1/assessment/targets/{_target().pk}/",
        lambda: {k.rsplit("-", 1)[-1]: v for k, v in _target_row(green_ratio="120").items() if k.startswith("t-")},
        "城区：绿色建筑比例（%）应为0至100之间的数字",
    ),
    Row(
        "a count that is not a whole number",
        lambda: "/assessment/years/",
        lambda: _target_row(innovation_projects="1.5"),
        "patch",
        lambda: f"/api/v1/assessment/targets/{_target().pk}/",
        lambda: {"innovation_projects": "1.5"},
        "城区：培育绿色建筑创新项目（个）应为0至1000之间的整数",
    ),
    Row(
        "targets of a year that is not set up",
        lambda: "/assessment/years/",
        lambda: {**_target_row(), "year": "2031"},
        "post",
        lambda: "/api/v1/assessment/targets/",
        lambda: {
            "county": _county("泽州县").pk,
            "year": 2031,
            **{k.rsplit("-", 1)[-1]: v for k, v in _target_row().items() if k.startswith("t-")},
        },
        "2031年尚未设定考评赋分表",
    ),
    Row(
        "an adjustment of zero points",
        lambda: f"/assessment/submissions/{_open_submission().first().pk}/adjust/",
        lambda: {"points": "0", "reason": "测试"},
        "post",
        lambda: "/api/v1/assessment/adjustments/",
        lambda: {"submission": _open_submission().first().pk, "points": "0", "reason": "测试"},
        "加减分应为非零数值",
    ),
    Row(
        "a project moved to the stage it is already in",
        lambda: f"/projects/{_project().pk}/stage/",
        lambda: {"to_stage": _project().stage, "changed_on": "2024-03-01", "note": "测试"},
        "post",
        lambda: f"/api/v1/projects/{_project().pk}/stage/",
        lambda: {"to_stage": _project().stage, "changed_on": "2024-03-01", "note": "测试"},
        "项目已处于",
    ),
    Row(
        "an award value dated no later than the current one",
        lambda: f"/awards/catalogue/{_award_value().award_id}/change/",
        lambda: {"effective_from": _award_value().effective_from.isoformat(), "points": "1", "bonus_wan": "0"},
        "post",
        lambda: f"/api/v1/award-catalogue/{_award_value().award_id}/change-values/",
        lambda: {"effective_from": _award_value().effective_from.isoformat(), "points": "1", "bonus_wan": "0"},
        "生效日期必须晚于现行标准的生效日期",
    ),
    Row(
        "an enterprise with a credit code of the wrong length",
        lambda: "/accounts/enterprises/new/",
        lambda: {"name": "测试单位", "credit_code": "91140500", "kinds": ["builder"], "region": _county().pk},
        "post",
        lambda: "/api/v1/enterprises/",
        lambda: {"name": "测试单位", "credit_code": "91140500", "kinds": ["builder"], "region": _county().pk},
        "统一社会信用代码应为18位，当前为8位",
    ),
]


def snapshot():
    return (
        list(Rubric.objects.order_by("pk").values_list("pk", "version", "frozen_at")),
        list(RubricGroup.objects.order_by("pk").values_list("pk", "max_points")),
        list(RubricItem.objects.order_by("pk").values_list("pk", "max_points", "kind")),
        list(AnnualTarget.objects.order_by("pk").values_list(*[f.attname for f in AnnualTarget._meta.fields])),
        list(Submission.objects.order_by("pk").values_list("pk", "rubric_id", "score", "status")),
        Adjustment.objects.count(),
        AuditEntry.objects.count(),
        list(Project.objects.order_by("pk").values_list("pk", "stage")),
        StageChange.objects.count(),
        list(AwardValue.objects.order_by("pk").values_list("pk", "award_id", "effective_from", "points")),
        Enterprise.objects.count(),
    )


@pytest.fixture
def city(demo_data):
    user = UserFactory(role="city_admin", username="write-path-city")
    # 2024's open months sit on an older version than the newest one, so "adopt" has months to move.
    services.revise_rubric(_rubric(), user=user, note="试行新版本")
    return user


def _web_text(response) -> str:
    text = response.content.decode()
    return text + " ".join(str(m) for m in get_messages(response.wsgi_request))


@pytest.mark.parametrize("row", ROWS, ids=[r.name for r in ROWS])
def test_the_same_invalid_input_is_refused_by_web_and_api_alike(client, city, row):
    client.force_login(city)
    web_url, web_data = row.web_url(), row.web_data()
    api_url, api_json = row.api_url(), row.api_json()
    before = snapshot()

    web = client.post(web_url, web_data)
    assert web.status_code in (200, 302, 400), web.status_code  # the form again, or back with a message
    web_text = _web_text(client.get(web["Location"])) if web.status_code == 302 else _web_text(web)
    assert row.message in web_text, (row.name, "web")
    assert snapshot() == before, (row.name, "web changed data")

    api = getattr(api_client_for(city), row.api_method)(api_url, api_json, format="json")
    assert api.status_code == 400, (row.name, api.status_code, api.content)
    assert api["Content-Type"].startswith("application/json")
    assert row.message in str(api.json()), (row.name, api.json())
    assert snapshot() == before, (row.name, "api changed data")


def test_the_issues_reproduction_a_25_point_item_is_refused_and_the_open_month_keeps_its_score(demo_data):
    """PATCH rubric-items/<D1>/ {"max_points": "25.00"} made a 105-point rubric, moved the open months onto it and
    re-scored them (城区 94.00 → 99.00). Now: 400, the rubric still totals 100, no version, 城区 keeps its score."""
    city = UserFactory(role="city_admin", username="write-path-city")
    rubric = _rubric()
    open_months = list(_open_submission().values_list("pk", "rubric_id", "score"))
    assert open_months, "the demo has an open 2024 month for 城区"
    versions = Rubric.objects.filter(year=YEAR).count()

    response = api_client_for(city).patch(
        f"/api/v1/assessment/rubric-items/{_item('D1').pk}/", {"max_points": "25.00"}, format="json"
    )

    assert response.status_code == 400
    assert "不能单独修改D1满分" in response.json()["max_points"][0]
    assert services.rubric_checks(rubric)[1:] == (D(100), [])
    assert Rubric.objects.filter(year=YEAR).count() == versions
    assert list(_open_submission().values_list("pk", "rubric_id", "score")) == open_months
