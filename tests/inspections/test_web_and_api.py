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
            "enforcement_seats": 2,
            "recency_months": 12,
        },
    )
    plan = InspectionPlan.objects.get()
    assert response.status_code == 302 and plan.county == county_user.region
    lock = client.post(
        f"/inspections/plans/{plan.pk}/lock/", {"value_source": "上证指数收盘价", "value_not_before": "2024-03-12"}
    )
    assert lock.status_code == 400 and "须晚于锁定当日" in lock.content.decode()  # today is 2024-03-12
    lock = client.post(
        f"/inspections/plans/{plan.pk}/lock/", {"value_source": "上证指数收盘价", "value_not_before": "2024-03-13"}
    )
    assert lock.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "locked" and len(plan.commitment) == 64
    early = client.post(f"/inspections/plans/{plan.pk}/draw/", {"public_value": "3089.26"})
    assert early.status_code == 400 and "2024年03月13日" in early.content.decode()
    clock.move_to(dt.datetime(2024, 3, 13, 16, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    client.force_login(county_user)  # (the idle session expired overnight)
    assert client.post(f"/inspections/plans/{plan.pk}/draw/", {"public_value": ""}).status_code == 400
    step = client.post(f"/inspections/plans/{plan.pk}/draw/", {"public_value": "３０８９.２６"})
    assert step.status_code == 302 and "/draw/confirm/" in step["Location"]
    confirm = client.get(step["Location"]).content.decode()
    assert "3089.26" in confirm and "上证指数收盘价" in confirm and plan.commitment in confirm
    assert not plan.inspections.exists()  # nothing is drawn before the confirmation
    done = client.post(f"/inspections/plans/{plan.pk}/draw/confirm/", {"public_value": "3089.26"})
    assert done.status_code == 302 and done["Location"] == f"/inspections/plans/{plan.pk}/"
    again = client.post(f"/inspections/plans/{plan.pk}/draw/confirm/", {"public_value": "1"})
    assert again.status_code == 302
    plan.refresh_from_db()
    assert plan.public_value == "3089.26" and plan.status == "drawn"
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
    client.post(
        f"/inspections/notices/{notice.pk}/close/", {"closed_on": "2024-03-10", "note": "复查合格", "confirmed": "1"}
    )
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
    early = api.post(f"/api/v1/inspection-plans/{plan['id']}/draw/", {"public_value": "42"}, format="json")
    assert early.status_code == 400 and "请先锁定并公示" in str(early.json())
    lock = {"value_source": "2024年3月13日 福彩3D开奖号码", "value_not_before": "2024-03-13"}
    locked = api.post(f"/api/v1/inspection-plans/{plan['id']}/lock/", lock, format="json")
    assert locked.status_code == 200 and locked.json()["status"] == "locked" and locked.json()["commitment"]
    relock = api.post(f"/api/v1/inspection-plans/{plan['id']}/lock/", lock, format="json")
    assert relock.status_code == 400 and "不能重新锁定" in str(relock.json())
    too_soon = api.post(f"/api/v1/inspection-plans/{plan['id']}/draw/", {"public_value": "42"}, format="json")
    assert too_soon.status_code == 400 and "public_value" in too_soon.json()
    clock.move_to(dt.datetime(2024, 3, 13, 22, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    drawn = api.post(f"/api/v1/inspection-plans/{plan['id']}/draw/", {"public_value": "42"}, format="json").json()
    twice = api.post(f"/api/v1/inspection-plans/{plan['id']}/draw/", {"public_value": "43"}, format="json")
    assert twice.status_code == 400
    cancel = api.post(f"/api/v1/inspection-plans/{plan['id']}/cancel/", {"reason": "重来"}, format="json")
    assert cancel.status_code == 400 and "不能作废" in str(cancel.json())
    assert len(drawn["draw_result"]) == 2
    assert api.get(f"/api/v1/inspection-plans/{plan['id']}/audit/").json()["same"] is True
    inspection_id = api.get(f"/api/v1/inspections/?plan={plan['id']}").json()["results"][0]["id"]
    recorded = api.post(f"/api/v1/inspections/{inspection_id}/record/", {"inspected_on": "2024-03-05"}, format="json")
    assert recorded.status_code == 200, recorded.content
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
