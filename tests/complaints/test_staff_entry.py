"""Staff enter complaints that came by 12345, phone, letter, visit or 信访 referral: channel, received date, original."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaints import analysis, services
from complaints.choices import STAFF_CHANNELS, IntakeChannel
from complaints.models import CalendarDay, Complaint, ComplaintEvent
from tests.complaints.factories import file_complaint, photo
from tests.conftest import api_client_for, at
from tests.factories import UserFactory
from tests.projects_factories import ProjectFactory

pytestmark = pytest.mark.django_db
D = dt.date


def letter(name="来信扫描件.pdf"):
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )


def enter(user, county=None, **kw):
    data = dict(
        channel="phone",
        received_on=D(2030, 9, 27),
        category="safety",
        description="工地夜间塔吊作业无人指挥。",
        county=county,
        address="泽州路与凤台街交叉口",
        name="李女士",
        phone="13800001111",
    )
    data.update(kw)
    return services.enter_complaint(user=user, **data)


@pytest.fixture
def national_day(db):
    for day in (1, 2, 3):
        CalendarDay.objects.create(date=D(2030, 10, day), name="国庆节")


def test_the_accept_deadline_runs_from_the_received_date_over_the_holiday_not_from_the_entry_date(
    county, county_user, national_day, clock
):
    clock.move_to(at(2030, 10, 7, 9))  # entered on Monday 7 October; the call came on Friday 27 September
    complaint, secret = enter(county_user, county)
    # working days after Fri 27 Sep: Mon 30 Sep, (1-3 Oct holiday) Fri 4 Oct, Mon 7 Oct
    assert complaint.received_on == D(2030, 9, 27) and complaint.accept_due == D(2030, 10, 7)
    assert (
        complaint.tracking_no.startswith("TS20300927")
        and services.find_for_complainant(complaint.tracking_no, secret) == complaint
    )
    clock.move_to(at(2030, 10, 8, 9))
    assert complaint in Complaint.objects.overdue(D(2030, 10, 8))
    accepted = services.accept(complaint, user=county_user)
    assert accepted.close_due == services.due_after(D(2030, 10, 8), 15)
    services.start_investigation(accepted, user=county_user)
    closed = services.close(accepted, user=county_user, findings="不属实。", reply="经核查不属实。", substantiated="no")
    assert closed.days_to_close() == (D(2030, 10, 8) - D(2030, 9, 27)).days


@pytest.mark.parametrize("channel", [c.value for c in STAFF_CHANNELS])
def test_every_channel_is_recorded_with_its_original_and_the_entry_event(county, county_user, channel, clock):
    clock.move_to(at(2030, 10, 8, 9))
    complaint, _ = enter(county_user, county, channel=channel, source_ref="GD-1", documents=[letter()])
    assert complaint.channel == channel and complaint.entered_by == county_user and complaint.entered_by_staff
    assert complaint.documents.get().original_name == "来信扫描件.pdf"
    event = complaint.events.get()
    assert event.action == ComplaintEvent.Action.ENTER and IntakeChannel(channel).label in event.note


def test_a_letter_or_referral_needs_its_original_and_bad_dates_are_refused_in_chinese(county, county_user, clock):
    clock.move_to(at(2030, 10, 8, 9))
    for kw, field, message in (
        ({"channel": "letter"}, "documents", "来信须上传原件扫描件（来信、工单或转办单）。"),
        ({"received_on": D(2030, 10, 9)}, "received_on", "收到日期不能晚于今天。"),
        ({"received_on": None}, "received_on", "请填写收到日期。"),
        ({"channel": "online"}, "channel", "请选择来源渠道（12345热线转办、电话、来信、来访或信访转办）。"),
        ({"county": None}, "county", "请选择项目，或选择问题所在的县（市、区）。"),
    ):
        with pytest.raises(ValidationError) as exc:
            enter(county_user, **{"county": county, **kw})
        assert exc.value.message_dict[field] == [message]
    assert not Complaint.objects.exists()


def test_a_county_enters_only_for_itself_the_city_for_any_county_a_unit_never(
    county, other_county, county_user, colleague, city_admin, outsider, clock
):
    clock.move_to(at(2030, 10, 8, 9))
    with pytest.raises(PermissionDenied):
        enter(colleague, county)
    with pytest.raises(PermissionDenied):
        enter(county_user, None, project=ProjectFactory(county=other_county))
    with pytest.raises(PermissionDenied):
        enter(outsider, county)
    complaint, _ = enter(city_admin, other_county)
    assert complaint.county == other_county and complaint.entered_by == city_admin


def test_the_contact_of_an_entered_complaint_stays_with_the_handler_and_the_city(county, county_user, clock):
    clock.move_to(at(2030, 10, 8, 9))
    clerk = UserFactory(role="county_staff", region=county, username="clerk")
    complaint, _ = enter(clerk, county)
    assert complaint.handler is None and not services.can_see_contact(clerk, complaint)
    services.accept(complaint, user=county_user)  # the one who takes the first step becomes the handler
    complaint.refresh_from_db()
    assert services.can_see_contact(county_user, complaint) and not services.can_see_contact(clerk, complaint)
    listed = api_client_for(clerk).get("/api/v1/complaints/").json()
    assert "13800001111" not in str(listed) and "李女士" not in str(listed)


def test_the_channel_is_a_filter_of_the_list_and_the_api_and_an_axis_of_the_analysis(
    county, county_user, client, clock
):
    clock.move_to(at(2030, 10, 8, 9))
    web, _ = file_complaint(county)
    phone, _ = enter(county_user, county, channel="phone")
    hotline, _ = enter(county_user, county, channel="hotline", documents=[photo()])
    assert web.channel == IntakeChannel.ONLINE
    client.force_login(county_user)
    page = client.get(reverse("complaints:ledger"), {"channel": "phone"}).content.decode()
    assert phone.tracking_no in page and hotline.tracking_no not in page and web.tracking_no not in page
    rows = api_client_for(county_user).get("/api/v1/complaints/", {"channel": "hotline"}).json()["results"]
    assert [r["tracking_no"] for r in rows] == [hotline.tracking_no] and rows[0]["received_on"] == "2030-09-27"
    counts = dict(analysis.by_channel(Complaint.objects.all()))
    assert counts == {"网上": 1, "12345热线转办": 1, "电话": 1, "来信": 0, "来访": 0, "信访转办": 0}
    summary = api_client_for(county_user).get("/api/v1/complaints/analysis/", {"year": 2030}).json()
    assert {"channel": "电话", "count": 1} in summary["by_channel"]


def test_the_web_form_enters_a_complaint_shows_the_secret_once_and_redirects(county, county_user, client, clock):
    clock.move_to(at(2030, 10, 8, 9))
    client.force_login(county_user)
    url = reverse("complaints:enter")
    assert client.get(url).status_code == 200
    data = {
        "channel": "visit",
        "received_on": "2030-10-08",
        "county": county.pk,
        "address": "城区某工地",
        "category": "quality",
        "description": "来访反映楼板开裂。",
    }
    bad = client.post(url, {**data, "received_on": "2030-10-10"})
    assert bad.status_code == 400 and "收到日期不能晚于今天。" in bad.content.decode()
    response = client.post(url, data, follow=True)
    complaint = Complaint.objects.get()
    assert response.redirect_chain[-1][0] == reverse("complaints:detail", args=[complaint.pk])
    text = response.content.decode()
    assert complaint.tracking_no in text and "查询码" in text and "来访" in text


def test_the_original_document_is_served_only_within_the_scope(county, county_user, colleague, client, clock):
    clock.move_to(at(2030, 10, 8, 9))
    complaint, _ = enter(county_user, county, channel="letter", documents=[letter()])
    document = complaint.documents.get()
    client.force_login(colleague)
    assert client.get(reverse("complaints:document", args=[document.pk])).status_code == 404
    client.force_login(county_user)
    assert client.get(reverse("complaints:document", args=[document.pk])).status_code == 200


def test_the_api_enters_a_complaint_through_the_same_service(county, county_user, colleague, clock):
    clock.move_to(at(2030, 10, 8, 9))
    body = {
        "channel": "petition",
        "received_on": "2030-10-08",
        "category": "quality",
        "description": "信访转办：住宅漏水。",
        "county": county.pk,
        "address": "某小区",
        "documents": [letter()],
    }
    assert api_client_for(colleague).post("/api/v1/complaints/enter/", body, format="multipart").status_code == 403
    response = api_client_for(county_user).post(
        "/api/v1/complaints/enter/", {**body, "documents": [letter()]}, format="multipart"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["complaint"]["channel"] == "petition" and len(data["secret"]) == 8
