"""REST API: list query counts, the workflow actions, county-only writes, ranking and annual scores."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessment import services, years
from assessment.choices import Status
from assessment.models import Rubric, Submission
from assessment.seed import seed_rubric
from tests.api_mixins import ListQueryCountMixin
from tests.assessment.factories import (
    GAOPING_JUNE,
    REPORT,
    attach_evidence,
    filled_submission,
    local,
    submitted,
    target,
)
from tests.conftest import api_client_for
from tests.factories import CountyFactory, UserFactory
from tests.xlsx import sheet_rows

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


def _county_with_months(n):
    county = CountyFactory()
    target(county)
    staff = UserFactory(role="county_staff", region=county)
    subs = [filled_submission(county, staff, month=m, evidence=False) for m in range(1, n + 1)]
    return county, staff, subs


class TestSubmissionList(ListQueryCountMixin):
    list_url = "/api/v1/assessment/submissions/"

    def make_rows(self, n):
        _, _, subs = _county_with_months(n)
        city = UserFactory(role="city_admin", username="reviewer")
        for sub in subs[:3]:
            services.add_adjustment(sub, user=city, points=D("1"), reason="加分")

    def reader(self):
        return UserFactory(role="city_admin", username="reader")


class TestEvidenceList(ListQueryCountMixin):
    list_url = "/api/v1/assessment/evidence/"

    def make_rows(self, n):
        _, staff, subs = _county_with_months(1)
        for i in range(n):
            services.upload_evidence(
                subs[0], ["A1", "B2", "D1"][i % 3], SimpleUploadedFile(f"{i}.pdf", PDF), user=staff
            )
        self.staff = staff

    def reader(self):
        return self.staff


class TestAuditList(ListQueryCountMixin):
    list_url = "/api/v1/assessment/audit/"

    def make_rows(self, n):
        _county_with_months(n)

    def reader(self):
        return UserFactory(role="city_admin", username="reader")


class TestAdjustmentList(ListQueryCountMixin):
    list_url = "/api/v1/assessment/adjustments/"

    def make_rows(self, n):
        _, _, subs = _county_with_months(1)
        city = UserFactory(role="city_admin", username="reviewer")
        for i in range(n):
            services.add_adjustment(subs[0], user=city, points=D(i + 1), reason=f"理由{i}")

    def reader(self):
        return UserFactory(role="city_admin", username="reader")


class TestTargetList(ListQueryCountMixin):
    list_url = "/api/v1/assessment/targets/"

    def make_rows(self, n):
        for _ in range(n):
            target(CountyFactory())

    def reader(self):
        return UserFactory(role="county_staff", region=CountyFactory(), username="reader")


class TestRubricList(ListQueryCountMixin):
    list_url = "/api/v1/assessment/rubrics/"

    def make_rows(self, n):
        for year in range(2010, 2010 + n):
            seed_rubric(year)

    def reader(self):
        return UserFactory(role="city_admin", username="reader")


class TestRubricItemList(ListQueryCountMixin):
    list_url = "/api/v1/assessment/rubric-items/"

    def make_rows(self, n):
        seed_rubric(2023)

    def reader(self):
        return UserFactory(role="city_admin", username="reader")


class TestExceptionList(ListQueryCountMixin):
    list_url = "/api/v1/assessment/exceptions/"

    def make_rows(self, n):
        city = UserFactory(role="city_admin", username="reviewer")
        county = CountyFactory()
        for year in range(2010, 2010 + n):
            services.grant_exception(
                county, year, 6, user=city, new_deadline=local(year, 6, 25, 23, 59), reason="系统故障"
            )

    def reader(self):
        return UserFactory(role="city_admin", username="reader")


def test_county_creates_fills_and_submits_through_the_api(county, county_user):
    """Without 印证材料 nothing scores ("无印证材料的不计分", seed 002 附件1 四); with them the worked example's 73.53."""
    target(county)
    api = api_client_for(county_user)
    response = api.post(
        "/api/v1/assessment/submissions/", {"year": 2023, "month": 6, **GAOPING_JUNE, **REPORT}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["items_total"] == "0.00" and body["county"] == county.pk
    d1 = {s["code"]: s for s in body["item_scores"]}["D1"]
    assert d1["score"] == "0.00" and d1["evidence_missing"] and "无印证材料的不计分（应得20分）" in d1["explanation"]
    attach_evidence(Submission.objects.get(pk=body["id"]), county_user)
    body = api.get(f"/api/v1/assessment/submissions/{body['id']}/").json()
    assert body["items_total"] == "73.53"
    assert {s["code"]: s["score"] for s in body["item_scores"]}["D1"] == "20.00"
    submitted = api.post(f"/api/v1/assessment/submissions/{body['id']}/submit/")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"


def test_api_input_with_more_decimals_is_cut_not_rejected(county, county_user):
    sub = filled_submission(county, county_user)
    response = api_client_for(county_user).patch(
        f"/api/v1/assessment/submissions/{sub.pk}/", {"prefab_area": "7.899"}, format="json"
    )
    assert response.status_code == 200 and response.json()["prefab_area"] == "7.89"


def test_bad_input_is_a_chinese_field_error_and_changes_nothing(county, county_user):
    sub = filled_submission(county, county_user)
    api = api_client_for(county_user)
    response = api.patch(f"/api/v1/assessment/submissions/{sub.pk}/", {"prefab_area": "-3"}, format="json")
    assert response.status_code == 400 and response.json()["prefab_area"] == ["不能为负数。"]
    blank = api.patch(f"/api/v1/assessment/submissions/{sub.pk}/", {"report_tasks": ""}, format="json")
    assert blank.status_code == 200
    refused = api.post(f"/api/v1/assessment/submissions/{sub.pk}/submit/")
    assert refused.status_code == 400 and "不能为空" in refused.json()["report_tasks"][0]
    sub.refresh_from_db()
    assert sub.prefab_area == D("7.80") and sub.status == Status.DRAFT


def test_city_returns_approves_publishes_and_reopens_through_the_api(county, county_user, city_admin):
    target(county)
    sub = submitted(county, county_user)
    city = api_client_for(city_admin)
    county_api = api_client_for(county_user)
    assert county_api.post(f"/api/v1/assessment/submissions/{sub.pk}/approve/").status_code == 403
    returned = city.post(
        f"/api/v1/assessment/submissions/{sub.pk}/return/", {"comments": {"D1": "请核实"}}, format="json"
    )
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert returned.json()["comments"][0]["code"] == "D1"
    assert county_api.post(f"/api/v1/assessment/submissions/{sub.pk}/submit/").json()["status"] == "resubmitted"
    adj = city.post(
        "/api/v1/assessment/adjustments/", {"submission": sub.pk, "points": "1", "reason": "创新性工作"}, format="json"
    )
    assert adj.status_code == 201, adj.json()
    assert (
        county_api.post(
            "/api/v1/assessment/adjustments/", {"submission": sub.pk, "points": "5", "reason": "x"}, format="json"
        ).status_code
        == 403
    )
    assert city.post(f"/api/v1/assessment/submissions/{sub.pk}/approve/").json()["status"] == "approved"
    assert (
        county_api.patch(f"/api/v1/assessment/submissions/{sub.pk}/", {"prefab_area": "1"}, format="json").status_code
        == 400
    )
    published = city.post(f"/api/v1/assessment/submissions/{sub.pk}/publish/")
    assert published.json()["status"] == "published" and published.json()["score"] == "74.53"
    assert city.post(f"/api/v1/assessment/submissions/{sub.pk}/reopen/", {}, format="json").status_code == 400
    reopened = city.post(f"/api/v1/assessment/submissions/{sub.pk}/reopen/", {"reason": "数据有误"}, format="json")
    assert reopened.json()["status"] == "returned"


def test_ranking_and_annual_endpoints(county, county_user, city_admin):
    target(county)
    sub = submitted(county, county_user)
    services.approve(sub, user=city_admin)
    city = api_client_for(city_admin)
    body = city.get("/api/v1/assessment/ranking/?year=2023&month=6").json()
    assert body["results"][0]["score"] == "73.53" and body["results"][0]["rank"] == 1
    # a county only sees published scores
    assert (
        api_client_for(county_user).get("/api/v1/assessment/ranking/?year=2023&month=6").json()["results"][0]["score"]
        is None
    )
    services.publish(sub, user=city_admin)
    assert (
        api_client_for(county_user).get("/api/v1/assessment/ranking/?year=2023&month=6").json()["results"][0]["score"]
        == "73.53"
    )
    annual = city.get("/api/v1/assessment/annual-scores/?year=2023").json()["results"][0]
    assert annual["grade"] in {"优秀", "良好", "合格", "不合格"} and len(annual["monthly_scores"]) == 12
    assert city.get("/api/v1/assessment/ranking/?year=2023&month=13").status_code == 400
    assert city.get("/api/v1/assessment/ranking/?year=2023").status_code == 400
    export = city.get("/api/v1/assessment/ranking/?year=2023&month=6&export=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = sheet_rows(export.content)
    assert len(rows) == 1
    assert rows[0]["排名"] == 1 and rows[0]["县（市、区）"] == county.name
    assert D(str(rows[0]["月度得分"])) == D("73.53")
    assert D(str(rows[0]["行政绩效"])) == 0


def test_submissions_export_to_excel(county, county_user, city_admin, other_county):
    target(county)
    submitted(county, county_user)
    target(other_county)
    submitted(other_county, UserFactory(role="county_staff", region=other_county), year=2023, month=5)
    filled_submission(county, county_user, month=7)  # a draft: in the list with no score
    response = api_client_for(city_admin).get(f"/api/v1/assessment/submissions/export/?year=2023&county={county.pk}")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = sorted(sheet_rows(response.content), key=lambda r: r["月份"])
    assert [(r["县（市、区）"], r["年度"], r["月份"], r["状态"]) for r in rows] == [
        (county.name, 2023, 6, "已报送"),
        (county.name, 2023, 7, "草稿"),
    ]
    assert D(str(rows[0]["月度得分"])) == D("73.53") and rows[0]["逾期"] == "否"


def test_changing_a_frozen_rubric_creates_a_new_version_and_open_months_move_only_when_adopted(
    county, county_user, city_admin
):
    target(county)
    published_sub = services.publish(
        services.approve(submitted(county, county_user, month=5), user=city_admin), user=city_admin
    )
    draft = submitted(county, county_user, month=6)
    score_before = draft.score
    rubric = Rubric.objects.get(year=2023, version=1)
    assert rubric.is_frozen
    city = api_client_for(city_admin)
    response = city.post(
        f"/api/v1/assessment/rubrics/{rubric.pk}/maxima/",
        {"items": {"B6": "3.00", "B5": "2"}, "note": "绿色建材认证加大权重"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    v2 = Rubric.objects.get(year=2023, version=2)
    assert response.json()["id"] == v2.pk and v2.based_on == rubric
    assert v2.items.get(code="B6").max_points == D("3") and v2.items.get(code="B5").max_points == D("2")
    assert rubric.items.get(code="B6").max_points == D("2")  # the frozen version is untouched
    published_sub.refresh_from_db()
    draft.refresh_from_db()
    assert published_sub.rubric == rubric and draft.rubric == rubric and draft.score == score_before  # nobody moved
    assert Rubric.objects.current(2023) == v2

    assert city.post(f"/api/v1/assessment/rubrics/{v2.pk}/adopt/", {"reason": ""}, format="json").status_code == 400
    response = city.post(f"/api/v1/assessment/rubrics/{v2.pk}/adopt/", {"reason": "按第2版考评"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["moved"] == 1 and response.json()["submissions"][0]["month"] == 6
    published_sub.refresh_from_db()
    draft.refresh_from_db()
    assert published_sub.rubric == rubric and draft.rubric == v2
    entry = draft.audit.get(field="赋分表版本")
    assert (entry.old_value, entry.new_value, entry.reason, entry.actor) == (
        "第1版",
        "第2版",
        "按第2版考评",
        city_admin,
    )
    assert city.post(f"/api/v1/assessment/rubrics/{v2.pk}/adopt/", {"reason": "再来"}, format="json").status_code == 400

    item = v2.items.get(code="B6")
    for client, code in ((api_client_for(county_user), 403), (city, 400)):
        response = client.patch(f"/api/v1/assessment/rubric-items/{item.pk}/", {"max_points": "9"}, format="json")
        assert response.status_code == code
    assert api_client_for(county_user).post(
        f"/api/v1/assessment/rubrics/{v2.pk}/adopt/", {"reason": "x"}, format="json"
    ).status_code in (403, 404)


def test_an_unfrozen_rubric_is_changed_in_place_and_open_months_rescored(county, county_user, city_admin):
    target(county)
    sub = filled_submission(county, county_user)
    rubric = Rubric.objects.get(year=2023)
    groups = {g.name: g.pk for g in rubric.groups.all()}
    years.update_rubric_maxima(
        rubric,
        user=city_admin,
        groups={groups["装配式建筑"]: "10", groups["绿色创新示范"]: "16"},
        items={"D1": "10", "C1": "16"},
        note="试行",
    )
    sub.refresh_from_db()
    assert Rubric.objects.filter(year=2023).count() == 1
    assert sub.item_scores.get(item__code="D1").score == D("10.00")
    assert sub.items_total == D("63.53")


def test_targets_are_readable_by_all_staff_but_written_by_the_city_only(county, county_user, city_admin):
    t = target(county)
    payload = {"retrofit_residential_area": "8"}
    assert (
        api_client_for(county_user).patch(f"/api/v1/assessment/targets/{t.pk}/", payload, format="json").status_code
        == 403
    )
    response = api_client_for(city_admin).patch(f"/api/v1/assessment/targets/{t.pk}/", payload, format="json")
    assert response.status_code == 200 and response.json()["effective_prefab_ratio"] == "24.00"


def test_city_cannot_create_a_county_submission_through_the_api(city_admin, county):
    target(county)
    response = api_client_for(city_admin).post(
        "/api/v1/assessment/submissions/", {"year": 2023, "month": 6}, format="json"
    )
    assert response.status_code == 403
    assert not Submission.objects.exists()


def test_exception_via_api_needs_a_later_deadline(county, city_admin):
    target(county)
    api = api_client_for(city_admin)
    early = dt.datetime(2023, 6, 10, 12, 0).isoformat()
    response = api.post(
        "/api/v1/assessment/exceptions/",
        {"county": county.pk, "year": 2023, "month": 6, "new_deadline": early, "reason": "x"},
        format="json",
    )
    assert response.status_code == 400 and "晚于" in response.json()["new_deadline"][0]
