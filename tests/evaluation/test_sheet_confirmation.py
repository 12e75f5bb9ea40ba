"""Issue 26 point 4: the expert's 提交评分表 is confirmed after the server has checked the sheet, not before — an
incomplete sheet gets its errors at once, a complete one a 请确认 with the total, and only the confirmed POST submits.
"""

from decimal import Decimal as D

import pytest

from evaluation.models import Score, ScoreSheet
from tests.evaluation.factories import full_scores, items_of, open_evaluation

pytestmark = pytest.mark.django_db


@pytest.fixture
def sheet_url(project, county_user, experts, client):
    evaluation = open_evaluation(project, county_user, experts[:3])
    client.force_login(experts[0])
    client.get(f"/evaluation/{evaluation.pk}/my-sheet/")
    return evaluation, f"/evaluation/{evaluation.pk}/my-sheet/"


def test_an_incomplete_sheet_gets_its_errors_and_no_confirmation(sheet_url, experts, client):
    evaluation, url = sheet_url
    first = items_of(evaluation)[0]
    response = client.post(url, {f"item_{first.pk}": "3", "action": "submit"})
    html = response.content.decode()
    assert response.status_code == 400 and "评分表未填写完整" in html
    assert 'data-testid="confirm-step"' not in html
    sheet = ScoreSheet.objects.get(expert=experts[0])
    assert sheet.status == "draft" and not Score.objects.filter(sheet=sheet).exists()


def test_a_complete_sheet_is_confirmed_first_and_nothing_is_written_until_then(sheet_url, experts, client):
    evaluation, url = sheet_url
    data = {f"item_{k}": str(v) for k, v in full_scores(evaluation).items()}
    response = client.post(url, {**data, "action": "submit", "comment": "现场查看后评分"})
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="confirm-step"' in html
    assert "提交后评分表不能再修改" in html and "合计 100.00 / 100 分" in html and "评审意见：现场查看后评分" in html
    assert '<input type="hidden" name="confirmed" value="1">' in html
    first = next(iter(data))
    assert f'<input type="hidden" name="{first}" value="{data[first]}">' in html  # the scores are posted again
    assert 'href="#sheet-form"' in html and f'value="{data[first]}"' in html  # 返回修改 keeps what was typed
    sheet = ScoreSheet.objects.get(expert=experts[0])
    assert sheet.status == "draft" and sheet.total == 0 and not Score.objects.filter(sheet=sheet).exists()

    response = client.post(url, {**data, "action": "submit", "comment": "现场查看后评分", "confirmed": "1"})
    assert response.status_code == 302 and response["Location"] == url
    sheet.refresh_from_db()
    assert sheet.status == "submitted" and sheet.total == D("100.00") and sheet.comment == "现场查看后评分"


def test_saving_a_draft_needs_no_confirmation(sheet_url, experts, client):
    evaluation, url = sheet_url
    first = items_of(evaluation)[0]
    response = client.post(url, {f"item_{first.pk}": "3.5", "action": "save"})
    assert response.status_code == 302
    assert ScoreSheet.objects.get(expert=experts[0]).total == D("3.50")
