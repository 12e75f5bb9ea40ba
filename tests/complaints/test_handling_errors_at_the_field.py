"""A handling step posted with a mistake comes back (after the redirect) with each message beside its field and what
was typed still there, not as a message at the top of the page (issue 26); a step's own refusal stays the page's
message."""

import re

import pytest
from django.urls import reverse

from complaints import services
from complaints.models import Complaint
from tests.complaints.factories import file_complaint

pytestmark = pytest.mark.django_db


def _page(response) -> str:
    assert response.redirect_chain and response.status_code == 200
    return response.content.decode()


def _top_messages(html: str) -> str:
    return " ".join(re.findall(r'<div class="alert alert-danger[^"]*"[^>]*>(.*?)</div>', html, re.S))


def test_a_reject_without_a_reason_shows_the_message_beside_the_reason(client, county, county_user):
    complaint, _ = file_complaint(county)
    client.force_login(county_user)
    url = reverse("complaints:action", args=[complaint.pk, "reject"])
    html = _page(client.post(url, {"reason": "  "}, follow=True))
    field_error = re.search(r'data-testid="step-error-reject-reason">(.*?)</div></div>', html, re.S).group(1)
    assert "请填写不予受理的理由" in field_error
    assert "请填写不予受理的理由" not in _top_messages(html)
    assert re.search(r'<textarea name="reason" id="id_reason"[^>]*aria-invalid="true"', html)
    assert Complaint.objects.get(pk=complaint.pk).status == "pending"
    again = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "step-error-reject-reason" not in again  # shown once, after the failed post


def test_closing_with_a_missing_reply_keeps_the_findings_typed(client, county, county_user):
    complaint, _ = file_complaint(county)
    services.accept(complaint, user=county_user)
    services.start_investigation(complaint, user=county_user)
    client.force_login(county_user)
    url = reverse("complaints:action", args=[complaint.pk, "close"])
    html = _page(client.post(url, {"findings": "现场核查，外墙空鼓属实。", "substantiated": "yes"}, follow=True))
    assert 'data-testid="step-error-close-reply"' in html
    assert "现场核查，外墙空鼓属实。</textarea>" in html
    assert 'data-testid="step-error-close-findings"' not in html
    assert Complaint.objects.get(pk=complaint.pk).status == "investigating"


def test_a_step_refused_as_a_whole_is_still_the_page_message(client, county, county_user):
    complaint, _ = file_complaint(county)
    client.force_login(county_user)
    html = _page(client.post(reverse("complaints:action", args=[complaint.pk, "investigate"]), follow=True))
    assert _top_messages(html) and "step-error-" not in html
