"""The demo shows 规定办理时限 (seed 001 二(六)2) at work: a complaint marked 逾期受理, an extension approved by the
city (original and new 办结时限 on the page), and the 按期受理率 / 按期办结率 on the dashboard."""

import pytest
from django.urls import reverse

from accounts.models import User
from complaints.models import Complaint, Extension

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_late_acceptance_and_an_approved_extension(client, demo_data):
    late = Complaint.objects.get(accepted_late=True)
    assert late.description.startswith("脚手架连墙件缺失")
    extension = Extension.objects.get(state=Extension.State.APPROVED)
    complaint = extension.complaint
    assert complaint.close_due == extension.requested_due and complaint.close_due_original == extension.previous_due
    client.force_login(User.objects.filter(role=User.Role.CITY_ADMIN).first())
    html = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "经批准延期" in html and f"{complaint.close_due_original:%Y-%m-%d}" in html
    html = client.get(reverse("complaints:detail", args=[late.pk])).content.decode()
    assert 'data-testid="accepted-late"' in html
    assert "按期受理率" in client.get(reverse("dashboard")).content.decode()
