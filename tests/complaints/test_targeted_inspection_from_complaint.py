"""A complaint opens a targeted inspection of its project (issue 25; seed 001 二(六)2 "采取动态核查、办结销号等措施，
实现实时督办、责任跟踪"): one click (POST, confirmed) by city or county staff makes a 专项检查 plan of that one project,
outside the 双随机 draw, linked both ways (the complaint names the plan; the plan page lists the complaint)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from complaints import services
from complaints.models import Complaint, ComplaintEvent
from inspections import public as inspections_public
from inspections import services as inspection_services
from inspections.models import InspectionPlan, PlanStatus
from tests.complaints.factories import file_complaint
from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db


def test_the_county_opens_a_zhuan_xiang_jian_cha_of_the_complained_project(clock, client, county, county_user):
    complaint, _ = file_complaint(county)
    client.force_login(county_user)
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert 'data-testid="open-targeted"' in page and "data-confirm=" in page  # asks before it acts
    response = client.post(reverse("complaints:action", args=[complaint.pk, "targeted"]))
    assert response.status_code == 302
    complaint = Complaint.objects.get(pk=complaint.pk)
    plan = complaint.targeted_plan
    assert plan.name == f"专项检查：{complaint.project.name}"
    assert (plan.county, plan.status, plan.commitment, plan.project_count) == (county, PlanStatus.DRAWN, "", 1)
    assert [i.project for i in plan.inspections.all()] == [complaint.project]
    assert (plan.period_start, plan.period_end) == (dt.date(2024, 3, 12), dt.date(2024, 3, 27))
    assert ComplaintEvent.objects.filter(complaint=complaint, action="targeted").exists()
    # linked both ways
    detail = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert reverse("inspections:plan-detail", args=[plan.pk]) in detail
    plan_page = client.get(reverse("inspections:plan-detail", args=[plan.pk])).content.decode()
    assert f"投诉举报 {complaint.tracking_no}" in plan_page
    assert reverse("complaints:detail", args=[complaint.pk]) in plan_page
    # never among the public draws (no commitment, not drawn by 双随机)
    assert plan not in inspections_public.public_plans()


def test_once_per_complaint_and_only_in_scope(clock, county, county_user, colleague, city_admin):
    complaint, _ = file_complaint(county)
    with pytest.raises(PermissionDenied):
        services.open_targeted_inspection(complaint, user=colleague)
    plan = services.open_targeted_inspection(complaint, user=city_admin)
    assert plan.county is None  # organised by the city
    with pytest.raises(ValidationError, match="已发起专项检查"):
        services.open_targeted_inspection(Complaint.objects.get(pk=complaint.pk), user=county_user)
    assert InspectionPlan.objects.count() == 1


def test_an_address_or_rejected_complaint_opens_none(clock, county, county_user):
    address, _ = services.submit_complaint(
        category="quality", description="某处工地扬尘严重。", county=county, address="凤台街"
    )
    with pytest.raises(ValidationError, match="未关联项目"):
        services.open_targeted_inspection(address, user=county_user)
    rejected, _ = file_complaint(county)
    services.reject(rejected, user=county_user, reason="重复投诉。")
    with pytest.raises(ValidationError, match="不予受理"):
        services.open_targeted_inspection(Complaint.objects.get(pk=rejected.pk), user=county_user)
    assert not InspectionPlan.objects.exists()


def test_the_targeted_inspection_is_recorded_like_any_other(clock, county, county_user):
    complaint, _ = file_complaint(county)
    plan = services.open_targeted_inspection(complaint, user=county_user)
    inspection = plan.inspections.get()
    recorded = inspection_services.record_inspection(
        inspection, user=county_user, inspected_on=dt.date(2024, 3, 12), summary="现场核查投诉问题。"
    )
    assert recorded.status == "recorded"


def test_the_api_opens_it(clock, county, county_user):
    complaint, _ = file_complaint(county)
    url = f"/api/v1/complaints/{complaint.pk}/targeted-inspection/"
    body = api_client_for(county_user).post(url).json()
    assert body["targeted_plan"] is not None
    assert Complaint.objects.get(pk=complaint.pk).targeted_plan_id == body["targeted_plan"]
    assert api_client_for(county_user).post(url).status_code == 400
