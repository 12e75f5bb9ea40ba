"""Routing to the project's county, the city's reassignment, and who sees what (the complainant's contact)."""

from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from complaints import services
from complaints.models import Complaint
from notifications.models import Notification
from tests.complaints.factories import file_complaint
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_complaint_goes_to_its_projects_county_and_notifies_it(
    county, county_user, colleague, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complaint, _ = file_complaint(county)
    assert complaint.county == county
    assert Notification.objects.filter(recipient=county_user, event_key=f"complaint-new-{complaint.pk}").exists()
    assert not Notification.objects.filter(recipient=colleague).exists()


def test_a_county_sees_only_its_own_complaints(client, county, other_county, county_user, colleague):
    own, _ = file_complaint(county, description="本县的投诉：地基沉降导致墙体开裂。")
    other, _ = file_complaint(other_county, description="外县的投诉：屋面防水层破损漏水。")
    client.force_login(county_user)
    html = client.get(reverse("complaints:ledger")).content.decode()
    assert own.tracking_no in html and other.tracking_no not in html
    assert client.get(reverse("complaints:detail", args=[other.pk])).status_code == 404
    response = client.post(reverse("complaints:action", args=[other.pk, "accept"]))
    assert response.status_code == 404
    assert Complaint.objects.get(pk=other.pk).status == "pending"


def test_unit_users_and_experts_have_no_ledger(client, county, outsider):
    file_complaint(county)
    client.force_login(outsider)
    assert client.get(reverse("complaints:ledger")).status_code == 403


@pytest.mark.parametrize(
    "who, sees_phone",
    [("handler", True), ("city_admin", True), ("same_county_staff", False), ("other_county_staff", False)],
)
def test_the_complainants_phone_only_for_the_handler_and_the_city(
    client, county, county_user, city_admin, colleague, who, sees_phone
):
    complaint, _ = file_complaint(county, phone="13912345678", name="张三")
    services.accept(complaint, user=county_user)
    user = {
        "handler": county_user,
        "city_admin": city_admin,
        "same_county_staff": UserFactory(role="county_staff", region=county, username="same"),
        "other_county_staff": colleague,
    }[who]
    client.force_login(user)
    url = reverse("complaints:detail", args=[complaint.pk])
    detail = client.get(url)
    page = detail.content.decode() if detail.status_code == 200 else ""
    assert "13912345678" not in page and "张三" not in page  # hidden until asked for, even for the handler
    revealed = client.post(reverse("complaints:contact", args=[complaint.pk]), follow=True)
    page = revealed.content.decode() if revealed.status_code == 200 else ""
    assert ("13912345678" in page) == sees_phone
    assert ("张三" in page) == sees_phone
    assert complaint.contact_views.count() == (1 if sees_phone else 0)
    export = client.get(reverse("complaints:ledger"), {"export": "xlsx"})
    cells = {str(c.value) for row in load_workbook(BytesIO(export.content)).active.iter_rows() for c in row}
    # Exports never carry the contact, for any role: each display is audited on one complaint.
    assert "13912345678" not in cells and "张三" not in cells


def test_the_city_reassigns_and_the_new_county_takes_over(
    county, other_county, county_user, colleague, city_admin, django_capture_on_commit_callbacks
):
    complaint, _ = file_complaint(county)
    services.assign_handler(complaint, user=city_admin, handler=county_user)
    with pytest.raises(PermissionDenied):
        services.reassign_county(complaint, user=county_user, county=other_county, reason="属地错误")
    with django_capture_on_commit_callbacks(execute=True):
        complaint = services.reassign_county(
            complaint, user=city_admin, county=other_county, reason="项目实际位于阳城县"
        )
    assert complaint.county == other_county and complaint.handler is None
    assert Complaint.objects.visible_to(colleague).filter(pk=complaint.pk).exists()
    assert not Complaint.objects.visible_to(county_user).filter(pk=complaint.pk).exists()
    assert Notification.objects.filter(recipient=colleague, title__contains=complaint.tracking_no).exists()
    services.accept(complaint, user=colleague)
