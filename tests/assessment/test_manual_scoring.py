"""评审人工评分 items: the reviewer enters the score on the review page or through the API; it is capped by the
item's maximum, audited, and bad input changes nothing."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from assessment import services
from assessment.models import AuditEntry, RubricItem
from tests.assessment.factories import submitted, target
from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def manual_sub(county, county_user, city_admin):
    target(county)
    sub = submitted(county, county_user)
    item = sub.rubric.items.get(code="D3")
    services.update_rubric_item(
        item, {"kind": RubricItem.Kind.MANUAL, "params": {}}, user=city_admin, note="改为评审评分"
    )
    sub.refresh_from_db()
    return sub


def test_the_review_page_offers_the_manual_items_and_records_the_score(client, manual_sub, city_admin):
    item = manual_sub.rubric.items.get(code="D3")
    before = manual_sub.items_total - manual_sub.item_scores.get(item=item).score  # the other items
    client.force_login(city_admin)
    page = client.get(f"/assessment/submissions/{manual_sub.pk}/").content.decode()
    assert 'data-testid="manual-scores"' in page and "D3" in page
    response = client.post(
        f"/assessment/submissions/{manual_sub.pk}/manual-score/",
        {"code": "D3", "value": "1.239", "reason": "现场核查科技成果登记"},
        follow=True,
    )
    assert "已评定D3的得分。" in response.content.decode()
    manual_sub.refresh_from_db()
    assert manual_sub.manual_scores == {"D3": "1.23"}  # cut to 2 places, never rounded up
    assert manual_sub.item_scores.get(item=item).score == D("1.23")
    assert manual_sub.items_total == before + D("1.23")
    entry = AuditEntry.objects.get(submission=manual_sub, field="D3 评分")
    assert (entry.new_value, entry.reason, entry.actor) == ("1.23", "现场核查科技成果登记", city_admin)


def test_the_api_sets_a_manual_score_and_refuses_bad_input_with_chinese_messages(manual_sub, city_admin, county_user):
    maximum = manual_sub.rubric.items.get(code="D3").max_points
    url = f"/api/v1/assessment/submissions/{manual_sub.pk}/manual-score/"
    api = api_client_for(city_admin)
    ok = api.post(url, {"code": "D3", "value": str(maximum), "reason": "满分"}, format="json")
    assert ok.status_code == 200
    assert next(s for s in ok.json()["item_scores"] if s["code"] == "D3")["score"] == str(maximum)
    for body, message in (
        ({"code": "D3", "value": str(maximum + 1)}, f"分数应在0至{maximum}之间。"),
        ({"code": "D3", "value": "很多"}, "请输入分数。"),
        ({"code": "A1", "value": "1"}, "该考评项不是人工评分项。"),
    ):
        response = api.post(url, body, format="json")
        assert response.status_code == 400 and message in str(response.json())
    manual_sub.refresh_from_db()
    assert manual_sub.manual_scores == {"D3": str(maximum)}
    forbidden = api_client_for(county_user).post(url, {"code": "D3", "value": "0"}, format="json")
    assert forbidden.status_code == 403


def test_a_locked_month_takes_no_manual_score(manual_sub, city_admin):
    services.approve(manual_sub, user=city_admin)
    response = api_client_for(city_admin).post(
        f"/api/v1/assessment/submissions/{manual_sub.pk}/manual-score/", {"code": "D3", "value": "1"}, format="json"
    )
    assert response.status_code == 400 and "已锁定" in str(response.json())
