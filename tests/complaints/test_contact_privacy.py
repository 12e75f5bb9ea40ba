"""The complainant's contact: only the current handler and the city, every display recorded (issue 22, point 4).

Who may name the handler: the city admin, or the current handler handing over to a colleague of the county. A county
staff member who is not the handler cannot assign (not even to themselves); on a complaint without a handler the one
who takes its first step (受理 or 不予受理) becomes the handler.
"""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from complaints import services
from complaints.models import Complaint, ContactView
from tests.complaints.factories import file_complaint
from tests.conftest import api_client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/complaints/"
PHONE, NAME = "13912345678", "张三丰"


@pytest.fixture
def complaint(county):
    complaint, _ = file_complaint(county, phone=PHONE, name=NAME)
    return complaint


@pytest.fixture
def curious(county):
    """A county staff member of the complaint's county who is not its handler."""
    return UserFactory(role="county_staff", region=county, username="curious")


def everything_seen_by(user, complaint, client) -> str:
    """The page, the API detail and list, and both exports, as one text."""
    client.force_login(user)
    api = api_client_for(user)
    texts = [
        client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode(),
        client.get(reverse("complaints:ledger")).content.decode(),
        str(api.get(f"{API}{complaint.pk}/").json()),
        str(api.get(API).json()),
    ]
    for export in (client.get(reverse("complaints:ledger"), {"export": "xlsx"}), api.get(f"{API}export/")):
        rows = load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True)
        texts.append(" ".join(str(v) for row in rows for v in row))
    return "\n".join(texts)


@pytest.mark.parametrize("assigned_first", [False, True])
def test_a_county_staff_member_cannot_assign_a_complaint_to_themselves_to_read_the_contact(
    client, complaint, county_user, curious, city_admin, assigned_first
):
    """The reproduction: ``POST …/assign/ {handler: self}`` as a non-handler is refused; the contact is never seen."""
    if assigned_first:
        services.assign_handler(complaint, user=city_admin, handler=county_user)
    api = api_client_for(curious)
    response = api.post(f"{API}{complaint.pk}/assign/", {"handler": curious.pk}, format="json")
    assert response.status_code == 403
    assert "只有市局管理员可以指定承办人" in response.json()["detail"]
    web = client
    web.force_login(curious)
    web.post(reverse("complaints:action", args=[complaint.pk, "assign"]), {"handler": curious.pk})
    expected_handler = county_user if assigned_first else None
    assert Complaint.objects.get(pk=complaint.pk).handler == expected_handler
    contact = api.get(f"{API}{complaint.pk}/contact/")
    assert contact.status_code == 403 and contact["Content-Type"] == "application/json"
    web.post(reverse("complaints:contact", args=[complaint.pk]))
    seen = everything_seen_by(curious, complaint, client)
    assert PHONE not in seen and NAME not in seen
    assert not ContactView.objects.exists()


def test_the_handler_sees_the_contact_only_on_request_and_each_display_is_recorded(
    clock, client, complaint, county_user
):
    services.accept(complaint, user=county_user)  # the first acceptance of an unassigned complaint: the handler
    assert Complaint.objects.get(pk=complaint.pk).handler == county_user
    client.force_login(county_user)
    url = reverse("complaints:detail", args=[complaint.pk])
    page = client.get(url)
    assert PHONE not in page.content.decode() and "查看联系方式" in page.content.decode()
    assert page["Cache-Control"] == "no-store"
    shown = client.post(reverse("complaints:contact", args=[complaint.pk]), follow=True)
    assert shown.redirect_chain == [(url, 302)]
    assert PHONE in shown.content.decode() and NAME in shown.content.decode()
    assert PHONE not in client.get(url).content.decode()  # shown once: a reload hides it again
    client.post(reverse("complaints:contact", args=[complaint.pk]), follow=True)
    assert api_client_for(county_user).get(f"{API}{complaint.pk}/contact/").json() == {
        "complainant_name": NAME,
        "complainant_phone": PHONE,
    }
    rows = list(complaint.contact_views.order_by("pk").values_list("viewer", "channel", "viewer_was_handler"))
    assert rows == [(county_user.pk, "web", True), (county_user.pk, "web", True), (county_user.pk, "api", True)]
    # The handler does not read the audit list; the city does.
    assert "联系方式查看记录" not in client.get(url).content.decode()


def test_the_city_sees_who_viewed_the_contact_on_the_complaint(client, complaint, county_user, city_admin):
    services.accept(complaint, user=county_user)
    api_client_for(county_user).get(f"{API}{complaint.pk}/contact/")
    client.force_login(city_admin)
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "联系方式查看记录" in page and PHONE not in page
    assert f"{county_user.display_name}（承办人） · API" in page
    client.post(reverse("complaints:contact", args=[complaint.pk]))
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert PHONE in page and f"{city_admin.display_name} · 网页" in page


def test_the_handler_hands_over_and_loses_access(client, complaint, county_user, curious, city_admin):
    services.accept(complaint, user=county_user)
    api = api_client_for(county_user)
    assert api.get(f"{API}{complaint.pk}/contact/").status_code == 200
    handed = api.post(f"{API}{complaint.pk}/assign/", {"handler": curious.pk}, format="json")
    assert handed.status_code == 200 and handed.json()["handler"] == curious.pk
    assert "移交：" in handed.json()["events"][-1]["note"]
    # The old handler: no contact, no steps, and cannot take the complaint back.
    assert api.get(f"{API}{complaint.pk}/contact/").status_code == 403
    assert api.post(f"{API}{complaint.pk}/investigate/", {}, format="json").status_code == 403
    assert api.post(f"{API}{complaint.pk}/assign/", {"handler": county_user.pk}, format="json").status_code == 403
    seen = everything_seen_by(county_user, complaint, client)
    assert PHONE not in seen and NAME not in seen
    # The new handler has it; the city may name the handler again.
    assert api_client_for(curious).get(f"{API}{complaint.pk}/contact/").json()["complainant_phone"] == PHONE
    back = api_client_for(city_admin).post(f"{API}{complaint.pk}/assign/", {"handler": county_user.pk}, format="json")
    assert back.status_code == 200
    assert api.get(f"{API}{complaint.pk}/contact/").status_code == 200


def test_a_reveal_asked_before_a_hand_over_is_not_shown_after_it(client, complaint, county_user, curious):
    services.accept(complaint, user=county_user)
    client.force_login(county_user)
    client.post(reverse("complaints:contact", args=[complaint.pk]))
    services.assign_handler(complaint, user=county_user, handler=curious)
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert PHONE not in page and not ContactView.objects.exists()


def test_the_django_admin_does_not_show_the_contact(client, complaint):
    root = UserFactory(username="root", role="city_admin", is_staff=True, is_superuser=True)
    client.force_login(root)
    page = client.get(f"/admin/complaints/complaint/{complaint.pk}/change/").content.decode()
    assert complaint.tracking_no in page and PHONE not in page and NAME not in page


def test_the_contact_endpoint_is_in_the_api_schema_with_its_refusal(client, city_admin):
    import yaml

    client.force_login(city_admin)
    schema = yaml.safe_load(client.get("/api/schema/").content)
    operation = schema["paths"]["/api/v1/complaints/{id}/contact/"]["get"]
    assert set(operation["responses"]) >= {"200", "403"}
    detail = schema["paths"]["/api/v1/complaints/{id}/"]["get"]["responses"]["200"]["content"]
    ref = detail["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert "complainant_phone" not in schema["components"]["schemas"][ref]["properties"]
