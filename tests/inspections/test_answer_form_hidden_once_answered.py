"""Once the unit has answered (已回复) the notice page shows no answer form — the inspector reviews; after a return
(待整改 again) the form is back."""

import datetime as dt

import pytest
from django.urls import reverse

from inspections import rectification
from tests.inspections.test_findings_and_notices import add, photo

pytestmark = pytest.mark.django_db


def _page(client, user, notice):
    client.force_login(user)
    return client.get(reverse("inspections:notice-detail", args=[notice.pk])).content.decode()


def test_the_answer_form_shows_while_issued_hides_once_answered_and_returns_after_a_return(
    inspection, county_user, unit_user, client, clock
):
    notice = add(inspection, county_user).notice
    page = _page(client, unit_user, notice)
    assert 'data-testid="answer-form"' in page and 'data-testid="answered-waiting"' not in page
    assert 'data-testid="paper-form"' in _page(client, county_user, notice)

    notice = rectification.answer_notice(notice, user=unit_user, answer="已返工并复测。", files=[photo()])
    page = _page(client, unit_user, notice)
    assert notice.get_status_display() == "已回复"
    assert 'data-testid="answer-form"' not in page and 'data-testid="answered-waiting"' in page
    inspector_page = _page(client, county_user, notice)
    assert 'data-testid="paper-form"' not in inspector_page and 'data-testid="answered-waiting"' not in inspector_page

    notice = rectification.return_notice(
        notice, user=county_user, reason="保护层厚度仍不足", new_deadline=dt.date(2024, 4, 30)
    )
    assert 'data-testid="answer-form"' in _page(client, unit_user, notice)
