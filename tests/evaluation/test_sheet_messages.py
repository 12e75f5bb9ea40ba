"""The expert's refusal message reads as one sentence list: no "。；", one full stop at the end."""

import re

import pytest

from tests.evaluation.factories import items_of, open_evaluation

pytestmark = pytest.mark.django_db


def test_two_out_of_range_scores_are_refused_in_one_clean_message(project, county_user, experts, client):
    evaluation = open_evaluation(project, county_user, experts[:3])
    client.force_login(experts[0])
    first, second = items_of(evaluation)[:2]
    response = client.post(
        f"/evaluation/{evaluation.pk}/my-sheet/",
        {f"item_{first.pk}": str(first.max_score + 1), f"item_{second.pk}": "99", "action": "save"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    message = re.search(r"评分表未保存：[^<]*", html).group(0).strip()
    assert message.count("不能超过该项满分") == 2
    assert "。；" not in message and message.endswith("分。") and not message.endswith("。。")
