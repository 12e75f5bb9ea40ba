"""回访 after 办结 (seed 001: "不断提高群众满意度"; 二(六)2 "程序规范、化解到位"): the complainant's satisfaction —
满意 / 基本满意 / 不满意 — taken by phone by the handler or given once on the public status page; 不满意 waits for the
city, which reopens (back to 核查中 with a new deadline) or keeps it closed, with a reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from complaints import services
from complaints.choices import Status
from complaints.models import Complaint, ComplaintEvent, ReturnVisit
from notifications.models import Notification
from tests.complaints.factories import file_complaint
from tests.conftest import api_client_for, at

pytestmark = pytest.mark.django_db


def closed(county, county_user, **kwargs):
    complaint, secret = file_complaint(county, **kwargs)
    services.accept(complaint, user=county_user)
    services.start_investigation(complaint, user=county_user)
    services.close(complaint, user=county_user, findings="已核查。", reply="已责令整改。", substantiated="no")
    return Complaint.objects.get(pk=complaint.pk), secret


def test_handler_records_man_yi_by_phone_once_per_closing(clock, county, county_user, colleague, city_admin):
    """电话回访 "满意": recorded by the handler, once; a colleague of another county cannot; an open complaint
    cannot be visited."""
    open_complaint, _ = file_complaint(county)
    with pytest.raises(ValidationError, match="投诉办结后才能回访"):
        services.record_return_visit(open_complaint, user=city_admin, satisfaction="satisfied")
    complaint, _ = closed(county, county_user)
    with pytest.raises(PermissionDenied):
        services.record_return_visit(complaint, user=colleague, satisfaction="satisfied")
    visit = services.record_return_visit(complaint, user=county_user, satisfaction="satisfied", note="满意")
    assert (visit.get_satisfaction_display(), visit.get_channel_display(), visit.recorded_by) == (
        "满意",
        "电话回访",
        county_user,
    )
    with pytest.raises(ValidationError, match="本次办结已回访"):
        services.record_return_visit(complaint, user=county_user, satisfaction="unsatisfied")
    assert ReturnVisit.objects.count() == 1
    assert ComplaintEvent.objects.filter(complaint=complaint, action="visit").count() == 1
    with pytest.raises(ValidationError, match="请选择满意度"):
        services.record_return_visit(closed(county, county_user)[0], user=county_user, satisfaction="great")


def test_complainant_gives_bu_man_yi_on_the_status_page_once_prg(
    clock, client, county, county_user, city_admin, django_capture_on_commit_callbacks
):
    """The status page (受理编号 + 查询码) offers 满意/基本满意/不满意 after 办结; the post redirects (PRG) and a second
    post of the same form changes nothing; 不满意 tells the city."""
    complaint, secret = closed(county, county_user)
    status = client.post(reverse("complaints:public-status"), {"tracking_no": complaint.tracking_no, "secret": secret})
    assert 'data-testid="public-visit-form"' in status.content.decode()
    assert secret not in status.content.decode()  # the query code is never written back into the page
    token = status.context["visit_token"]
    data = {"token": token, "satisfaction": "unsatisfied", "note": "没解决"}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("complaints:public-visit"), data)
    assert first.status_code == 302 and first["Location"] == reverse("complaints:public-status")
    again = client.post(reverse("complaints:public-visit"), {**data, "satisfaction": "satisfied"}, follow=True)
    assert "本次办结已回访" in again.content.decode()
    visit = ReturnVisit.objects.get()
    assert (visit.satisfaction, visit.channel, visit.recorded_by, visit.note) == ("unsatisfied", "web", None, "没解决")
    assert Notification.objects.filter(recipient=city_admin, title__contains="回访不满意").exists()
    status = client.post(reverse("complaints:public-status"), {"tracking_no": complaint.tracking_no, "secret": secret})
    page = status.content.decode()
    assert 'data-testid="public-visit-form"' not in page and "您的评价：不满意" in page


def test_a_forged_or_expired_token_records_nothing(clock, client, county, county_user):
    complaint, secret = closed(county, county_user)
    forged = {"token": f"{complaint.pk}:forged", "satisfaction": "satisfied"}
    response = client.post(reverse("complaints:public-visit"), forged, follow=True)
    assert "页面已过期" in response.content.decode()
    status = client.post(reverse("complaints:public-status"), {"tracking_no": complaint.tracking_no, "secret": secret})
    clock.shift(dt.timedelta(hours=2))
    data = {"token": status.context["visit_token"], "satisfaction": "satisfied"}
    assert "页面已过期" in client.post(reverse("complaints:public-visit"), data, follow=True).content.decode()
    assert not ReturnVisit.objects.exists()


def test_bu_man_yi_reopened_by_the_city_goes_back_to_investigation_with_a_new_deadline(
    clock, county, county_user, city_admin
):
    """不满意 → the city's decision 重新办理 with a reason: 核查中 again, a new 办结时限 of 15 working days from the
    decision, the verdict cleared; closed again, it can be visited again."""
    clock.move_to(at(2024, 3, 12, 10))
    complaint, _ = closed(county, county_user)
    with pytest.raises(ValidationError, match="只有回访不满意"):
        services.decide_reopen(complaint, user=city_admin, reopen=True, reason="复查")
    services.record_return_visit(complaint, user=county_user, satisfaction="unsatisfied", note="仍在渗水")
    with pytest.raises(PermissionDenied):
        services.decide_reopen(complaint, user=county_user, reopen=True, reason="复查")
    with pytest.raises(ValidationError, match="请填写决定理由"):
        services.decide_reopen(complaint, user=city_admin, reopen=True, reason=" ")
    assert Complaint.objects.get(pk=complaint.pk).status == Status.CLOSED
    reopened = services.decide_reopen(complaint, user=city_admin, reopen=True, reason="投诉人反映问题仍存在")
    assert (reopened.status, reopened.substantiated, reopened.finished_at) == (Status.INVESTIGATING, "", None)
    assert reopened.close_due == dt.date(2024, 4, 2)  # 15 working days after Tue 12 March 2024
    visit = ReturnVisit.objects.get()
    assert (visit.decision, visit.decision_reason, visit.decided_by) == ("reopen", "投诉人反映问题仍存在", city_admin)
    assert ComplaintEvent.objects.filter(complaint=complaint, action="reopen", to_status="investigating").exists()
    services.close(reopened, user=county_user, findings="复查已整改。", reply="已复查。", substantiated="no")
    services.record_return_visit(Complaint.objects.get(pk=complaint.pk), user=county_user, satisfaction="basic")
    assert list(ReturnVisit.objects.values_list("satisfaction", flat=True)) == ["unsatisfied", "basic"]


def test_the_city_may_keep_it_closed_with_a_reason(clock, client, county, county_user, city_admin):
    complaint, _ = closed(county, county_user)
    services.record_return_visit(complaint, user=county_user, satisfaction="unsatisfied")
    client.force_login(city_admin)
    url = reverse("complaints:action", args=[complaint.pk, "reopen"])
    response = client.post(url, {"decision": "keep", "reason": "诉求超出职责范围，已解释。", "confirmed": "1"})
    assert response.status_code == 302
    assert Complaint.objects.get(pk=complaint.pk).status == Status.CLOSED
    assert ReturnVisit.objects.get().get_decision_display() == "维持办结"
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "市局决定：维持办结" in page


def test_the_api_records_the_visit_and_the_decision(clock, county, county_user, city_admin):
    complaint, _ = closed(county, county_user)
    url = f"/api/v1/complaints/{complaint.pk}/"
    bad = api_client_for(county_user).post(url + "return-visit/", {"satisfaction": "meh"}, format="json")
    assert bad.status_code == 400 and not ReturnVisit.objects.exists()
    done = api_client_for(county_user).post(url + "return-visit/", {"satisfaction": "unsatisfied"}, format="json")
    assert done.status_code == 200 and done.json()["return_visits"][0]["satisfaction"] == "unsatisfied"
    refused = api_client_for(county_user).post(url + "reopen/", {"decision": "reopen", "reason": "x"}, format="json")
    assert refused.status_code == 403
    body = api_client_for(city_admin).post(url + "reopen/", {"decision": "reopen", "reason": "复查"}, format="json")
    assert body.status_code == 200 and body.json()["status"] == "investigating"
