"""The element minimum shown in the evaluation result rounds half-up through core.decimals, like the pass rule's
own message (aggregation.round_half_up), not with Python's default half-even quantize()."""

from decimal import Decimal

import pytest

from evaluation import results
from tests.evaluation.factories import open_evaluation

pytestmark = pytest.mark.django_db


def test_an_element_minimum_of_x_xx5_rounds_up(project, county_user, experts, settings):
    settings.JINGPIN = {**settings.JINGPIN, "EVALUATION_ELEMENT_MIN_RATIO": "0.6002"}  # 25 × 0.6002 = 15.005
    evaluation = open_evaluation(project, county_user, experts[:3])
    rows = {row.code: row for row in results.result_table(evaluation, with_sheets=False)["elements"]}
    assert rows["quality"].weight == Decimal("25")
    assert rows["quality"].minimum == Decimal("15.01")  # half-even would say 15.00
