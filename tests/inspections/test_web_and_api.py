"""The web forms and the API drive the same services: plan → draw → record → finding → answer → close → public."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from inspections.models import InspectionPlan, NoticeStatus, RectificationNotice
from tests.conftest import api_client_for
from tests.inspections.conftest import PNG


def test_the_web_journey(client, projects, contractor, unit_user, roster, county_user, city_admin, clock):
    client.force_login(county_user)
    response = client.post(
        "/inspections/plans/new/",
        {
            "name": "2024年一季度双随机检查",
            "year": 2024,
            "period_start": "2024-03-01",
            "period_end": "2024-03-31",
            "project_count": 1,
            "team_size": 2,
            "recency_months": 12,
        },
    )
    plan = InspectionPlan.objects.get()
    assert response.status_code == 302 and plan.county == county_user.region
    assert client.post(f"/inspections/plans/{plan.pk}/draw/", {"public_value": ""}).status_code == 400
    client.post(f"/inspections/plans/{plan.pk}/draw/", {"public_value": "3089.26"})
    inspection = plan.inspections.get()
    url = f"/inspections/inspections/{inspection.pk}/"
    client.post(url + "record/", {"inspected_on": "2024-03-05", "summary": "抽查主体结构", "check_0": "not_met"})
    response = client.post(
        url + "findings/",
        {
            "description": "二层楼板钢筋保护层厚度不足",
            "severity": "serious",
            "responsible_role": "contractor",
            "deadline": "2024-03-20",
            "files": [SimpleUploadedFile("现场.png", PNG)],
        },
    )
    assert response.status_code == 302
    notice = RectificationNotice.objects.get()
    client.force_login(unit_user)
    bad = client.post(f"/inspections/notices/{notice.pk}/answer/", {"answer": "已整改"})
    assert bad.status_code == 400 and "请上传整改佐证材料" in bad.content.decode()
    client.post(
        f"/inspections/notices/{notice.pk}/answer/",
        {"answer": "已返工", "files": [SimpleUploadedFile("整改后.png", PNG)]},
    )
    client.force_login(county_user)
    client.post(f"/inspections/notices/{notice.pk}/close/", {"closed_on": "2024-03-10", "note": "复查合格"})
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.CLOSED
    public = client.get("/inspections/public/").content.decode()
    assert "二层楼板" not in public  # not confirmed yet
    client.force_login(city_admin)
    client.post(url + "confirm/")
    client.logout()
    public = client.get("/inspections/public/").content.decode()
    assert "二层楼板钢筋保护层厚度不足" in public and "已整改" in public


def test_the_api_journey(projects, contractor, unit_user, roster, county_user, clock):
    api = api_client_for(county_user)
    plan = api.post(
        "/api/v1/inspection-plans/",
        {"name": "API计划", "year": 2024, "period_start": "2024-03-01", "period_end": "2024-03-31", "project_count": 2},
        format="json",
    ).json()
    drawn = api.post(f"/api/v1/inspection-plans/{plan['id']}/draw/", {"public_value": "42"}, format="json").json()
    assert len(drawn["draw_result"]) == 2
    assert api.get(f"/api/v1/inspection-plans/{plan['id']}/audit/").json()["same"] is True
    inspection_id = api.get(f"/api/v1/inspections/?plan={plan['id']}").json()["results"][0]["id"]
    api.post(f"/api/v1/inspections/{inspection_id}/record/", {"inspected_on": "2024-03-05"}, format="json")
    finding = api.post(
        f"/api/v1/inspections/{inspection_id}/findings/",
        {
            "description": "临边防护缺失",
            "severity": "major",
            "responsible_role": "contractor",
            "deadline": "2024-03-20",
        },
        format="json",
    )
    assert finding.status_code == 201, finding.content
    notice_id = finding.json()["notice"]["id"]
    bad = api.post(f"/api/v1/inspections/{inspection_id}/findings/", {"severity": "x"}, format="json")
    assert bad.status_code == 400 and "description" in bad.json()
    unit = api_client_for(unit_user)
    answer = unit.post(
        f"/api/v1/rectification-notices/{notice_id}/answer/",
        {"answer": "已整改", "files": [SimpleUploadedFile("a.png", PNG)]},
        format="multipart",
    )
    assert answer.status_code == 200, answer.content
    closed = api.post(f"/api/v1/rectification-notices/{notice_id}/close/", {"closed_on": "2024-03-10"}, format="json")
    assert closed.json()["status"] == "closed"
    export = api.get("/api/v1/rectification-notices/export/")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert dt.date.fromisoformat(closed.json()["closed_on"]) == dt.date(2024, 3, 10)
