"""A public form never files twice (issue 26: "A reloaded receipt files the complaint again (anonymous, phone: two
rows, two tracking numbers)"): the form carries a one-time token and the POST redirects to the receipt, so a reload of
the receipt, the back button and a second tap file nothing; the receipt links to the status page with the number."""

import re

import pytest
from django.urls import reverse

from complaints import services
from complaints.models import Complaint
from disclosure.models import ProjectDisclosure
from tests.conftest import at
from tests.disclosure.factories import disclosed_project

pytestmark = pytest.mark.django_db

NEW = "complaints:public-new"


@pytest.fixture
def form(client, county, county_user):
    project = disclosed_project(county, county_user)
    page = client.get(reverse(NEW)).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    return {
        "project": ProjectDisclosure.objects.get(project=project).public_id,
        "category": "quality",
        "description": "外墙保温层大面积空鼓，部分已脱落。",
        "phone": "13900001111",
        "form_token": token,
    }


def test_the_post_redirects_and_reloading_the_receipt_files_nothing(client, form):
    response = client.post(reverse(NEW), form)
    assert response.status_code == 302 and response["Location"] == reverse("complaints:public-receipt")
    first = client.get(response["Location"])
    complaint = Complaint.objects.get()
    assert complaint.tracking_no in first.content.decode() and first.context["secret"]
    assert services.find_for_complainant(complaint.tracking_no, first.context["secret"]) == complaint
    for _ in range(3):  # reload
        again = client.get(reverse("complaints:public-receipt"))
        assert again.context["complaint"] == complaint and again.context["secret"] == first.context["secret"]
    assert Complaint.objects.count() == 1
    assert again["Cache-Control"].startswith("no-store") or "no-store" in again["Cache-Control"]


def test_the_same_form_posted_again_files_once_and_shows_the_same_receipt(client, form):
    """The back button then 提交 again, or a double tap: the same token."""
    client.post(reverse(NEW), form)
    second = client.post(reverse(NEW), form, follow=True)
    assert Complaint.objects.count() == 1
    assert second.context["complaint"] == Complaint.objects.get()


def test_a_new_blank_form_has_a_new_token(client, form):
    client.post(reverse(NEW), form)
    page = client.get(reverse(NEW)).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    assert token != form["form_token"]
    client.post(reverse(NEW), {**form, "form_token": token, "description": "另一处问题：脚手架连墙件缺失。"})
    assert Complaint.objects.count() == 2


def test_two_requests_at_once_with_one_token_file_once(form, county):
    """The second insert meets the unique token (the other request committed first): AlreadyFiled, not a row."""
    project = ProjectDisclosure.objects.get(public_id=form["project"]).project
    kwargs = dict(category="quality", description="外墙保温层大面积空鼓。", project=project, form_token="t" * 32)
    complaint, _secret = services.submit_complaint(**kwargs)
    with pytest.raises(services.AlreadyFiled) as filed:
        services.submit_complaint(**kwargs)
    assert filed.value.complaint == complaint and Complaint.objects.count() == 1
    # the race itself: the look-up found nothing, the insert hits the constraint
    Complaint.objects.filter(pk=complaint.pk).update(form_token="u" * 32)
    fields = dict(category=complaint.category, description="x" * 12, county=complaint.county, form_token="u" * 32)
    with pytest.raises(services.AlreadyFiled):
        services._create(fields, complaint.received_on)
    assert Complaint.objects.count() == 1


def test_the_receipt_links_to_the_status_page_with_the_number_filled_in(client, form):
    receipt = client.post(reverse(NEW), form, follow=True)
    number = Complaint.objects.get().tracking_no
    link = f"{reverse('complaints:public-status')}?no={number}"
    assert link in receipt.content.decode()
    status = client.get(link).content.decode()
    assert f'value="{number}"' in status
    assert 'name="secret"' in status and f'value="{receipt.context["secret"]}"' not in status


def test_the_code_is_shown_for_half_an_hour_then_only_the_number(client, form, clock):
    client.post(reverse(NEW), form)
    number = Complaint.objects.get().tracking_no
    assert client.get(reverse("complaints:public-receipt")).context["secret"]
    clock.move_to(at(2024, 3, 12, 10, 31))
    later = client.get(reverse("complaints:public-receipt"))
    assert later.context["secret"] == "" and number in later.content.decode()
    assert "现在不再显示" in later.content.decode()


def test_another_browser_sees_no_receipt(client, form, django_user_model):
    from django.test import Client

    client.post(reverse(NEW), form)
    stranger = Client().get(reverse("complaints:public-receipt"))
    assert stranger.status_code == 200 and stranger.context["complaint"] is None
    assert Complaint.objects.get().tracking_no not in stranger.content.decode()


def test_the_same_complaint_again_from_this_browser_with_a_new_token_shows_the_first_receipt(client, form):
    """The back button may fetch the form anew (a new token) when the browser kept no copy: the same where and what
    posted again from the same browser within half an hour is the same complaint."""
    client.post(reverse(NEW), form)
    again = client.post(reverse(NEW), {**form, "form_token": "n" * 32}, follow=True)
    assert Complaint.objects.count() == 1 and again.context["complaint"] == Complaint.objects.get()


def test_the_blank_form_is_private_and_kept_for_the_back_button_but_an_answer_with_input_is_never_stored(client, form):
    blank = client.get(reverse(NEW))
    assert "private" in blank["Cache-Control"] and "no-store" not in blank["Cache-Control"]
    invalid = client.post(reverse(NEW), {**form, "phone": "abc"})
    assert invalid.status_code == 400 and "no-store" in invalid["Cache-Control"]
    assert "no-store" in client.post(reverse(NEW), form)["Cache-Control"]
