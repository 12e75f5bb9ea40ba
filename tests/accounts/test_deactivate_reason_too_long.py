"""Issue 28 (item 7): a 停用理由 longer than 200 characters is refused; the account stays active (it used to be
deactivated with the reason silently dropped)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accounts import services

pytestmark = pytest.mark.django_db


def test_the_web_form_refuses_a_too_long_reason_and_leaves_the_account_active(client, city_admin, county_user):
    client.force_login(city_admin)
    url = f"/accounts/users/{county_user.pk}/deactivate/"
    response = client.post(url, {"reason": "离" * 201}, follow=True)
    county_user.refresh_from_db()
    assert county_user.is_active
    assert "200" in response.content.decode()
    client.post(url, {"reason": "离" * 200})
    county_user.refresh_from_db()
    assert not county_user.is_active


def test_the_service_refuses_a_too_long_reason(city_admin, county_user):
    with pytest.raises(ValidationError, match="停用理由不能超过200个字符"):
        services.deactivate_user(city_admin, county_user, reason="离" * 201)
    county_user.refresh_from_db()
    assert county_user.is_active
