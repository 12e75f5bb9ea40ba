"""Issue 28 (item 7): the API's 修订说明 longer than 200 characters is refused (400), not cut; nothing changes."""

from __future__ import annotations

import pytest

from assessment.models import AuditEntry, Rubric
from assessment.seed import seed_rubric
from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db


def test_a_rubric_item_change_with_a_too_long_note_is_refused_and_nothing_is_saved(city_admin):
    seed_rubric(2023)
    item = Rubric.objects.get(year=2023).items.get(code="B6")
    url = f"/api/v1/assessment/rubric-items/{item.pk}/"
    city = api_client_for(city_admin)
    response = city.patch(url, {"standard": "新的评分标准", "note": "改" * 201}, format="json")
    assert response.status_code == 400
    assert response.json()["note"] == ["修订说明不能超过200个字符。"]
    item.refresh_from_db()
    assert item.standard != "新的评分标准" and not AuditEntry.objects.exists()
    response = city.patch(url, {"standard": "新的评分标准", "note": "改" * 200}, format="json")
    assert response.status_code == 200, response.json()
    assert AuditEntry.objects.get().reason == "改" * 200
